"""search_documents on the real database: morphology, files, permissions, filters, ranking, junk input.

Runs on SQLite (FTS5) and PostgreSQL (tsvector): `DATABASE_URL=postgres://… pytest tests/search`.
"""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratusha.registry.constants import AccessMark, DocumentStatus
from ratusha.registry.models import DocumentFile
from ratusha.registry.services import document_access_grant, document_transition
from ratusha.search.analysis import index_tokens, parse_query
from ratusha.search.models import SearchEntry
from ratusha.search.selectors import SCORE_CARD, SCORE_FILE, search_documents
from ratusha.search.services import card_texts
from tests.factories import JournalFactory, OrganisationFactory
from tests.search.conftest import make_docx, make_pdf

pytestmark = pytest.mark.django_db


def found(user, query, **filters):
    return [hit.document for hit in search_documents(user=user, query=query, **filters).hits]


# --- Morphology end to end -----------------------------------------------------------------------

def test_issue_examples(make_doc, registrar):
    letter = make_doc("Звернення мешканців: міська рада має розглянути ремонт", correspondent="Ініціативна група")
    road = make_doc("Про стан дорога на вулиці Лесі Українки")
    assert found(registrar, "зверненням міської ради") == [letter]
    assert found(registrar, "доріг") == [road]


def test_word_with_several_readings_keeps_recall(make_doc, registrar):
    noun = make_doc("Рішення міської ради про бюджет")
    adjective = make_doc("Будемо раді співпраці з громадою")
    assert set(found(registrar, "рада")) == {noun, adjective}
    # «радою»: instrumental of the noun or of the adjective — either reading finds.
    assert set(found(registrar, "радою")) == {noun, adjective}
    assert adjective in found(registrar, "радий")


def test_apostrophes_and_case(make_doc, registrar):
    doc = make_doc("Допомога багатодітній СІМ’Ї з Луцька")
    assert found(registrar, "сім'я") == [doc]
    assert found(registrar, "сімʼєю") == [doc]
    assert found(registrar, "ЛУЦЬК") == [doc]


def test_indexes_and_correspondent(make_doc, registrar):
    doc = make_doc("Лист про тарифи", correspondent="КП «Луцькводоканал»", correspondent_index="07-15/245",
                   correspondent_date=timezone.localdate())
    other = make_doc("Лист про тарифи на тепло", correspondent="ТОВ «Теплокомуненерго»")
    assert found(registrar, "07-15/245") == [doc]
    assert found(registrar, "07-15") == [doc]
    assert found(registrar, "245") == [doc]
    assert found(registrar, "луцькводоканалу") == [doc]
    assert found(registrar, doc.reg_index) == [doc]
    assert found(registrar, other.reg_index) == [other]


def test_every_word_must_match(make_doc, registrar):
    make_doc("Звернення щодо освітлення вулиці")
    assert found(registrar, "звернення пенсія") == []
    assert len(found(registrar, "звернення від освітлення")) == 1  # «від» is a service word


# --- Files -----------------------------------------------------------------------------------

def test_pdf_text_is_searchable_and_stored_on_the_file(make_doc, registrar):
    pdf = make_pdf("Акт обстеження мосту через річку Стир, виявлено пошкодження опор")
    doc = make_doc("Супровідний лист", files=[("akt.pdf", pdf)])
    assert found(registrar, "мостів річки") == [doc]
    file = DocumentFile.objects.get(document=doc)
    assert "Акт обстеження мосту" in file.text
    hit = search_documents(user=registrar, query="пошкоджень опори").hits[0]
    assert hit.score == SCORE_FILE
    assert hit.snippet_source == "file"
    assert "<mark>пошкодження</mark>" in hit.snippet_html


def test_docx_text_is_searchable(make_doc, registrar):
    data = make_docx("Проєкт рішення про встановлення тарифів на вивезення сміття")
    doc = make_doc("Проєкт рішення", files=[("rishennia.docx", data)])
    assert found(registrar, "тарифу на сміття") == [doc]


def test_newest_first_and_score_tells_where_the_words_were_found(make_doc, registrar):
    today = timezone.localdate()
    in_file = make_doc("Супровідний лист", files=[("a.pdf", make_pdf("Благоустрій парку культури"))],
                       reg_date=today)
    in_card = make_doc("Про благоустрій парку", reg_date=today - dt.timedelta(days=1))
    results = search_documents(user=registrar, query="благоустрою парків")
    assert [h.document for h in results.hits] == [in_file, in_card]
    assert [h.score for h in results.hits] == [SCORE_FILE, SCORE_CARD]
    assert [h.snippet_source for h in results.hits] == ["file", "summary"]


# --- Permissions -----------------------------------------------------------------------------

def test_results_never_include_what_the_user_may_not_open(make_doc, registrar, executor, outsider):
    internal = make_doc("Звернення про ремонт покрівлі школи")
    restricted = make_doc("Звернення про ремонт покрівлі гімназії", access=AccessMark.RESTRICTED)
    personal = make_doc("Звернення про ремонт покрівлі будинку", access=AccessMark.PERSONAL)
    other_org_journal = JournalFactory(organisation=outsider.employments.first().organisation,
                                       index_template="{seq}", kind="incoming")
    foreign = make_doc("Звернення про ремонт покрівлі лікарні", actor=outsider, journal=other_org_journal)

    registrar_sees = search_documents(user=registrar, query="ремонт покрівлі")
    assert {h.document for h in registrar_sees.hits} == {internal, restricted, personal}
    assert registrar_sees.total == 3

    executor_sees = search_documents(user=executor, query="ремонт покрівлі")
    assert [h.document for h in executor_sees.hits] == [internal]
    assert executor_sees.total == 1

    outsider_sees = search_documents(user=outsider, query="ремонт покрівлі")
    assert [h.document for h in outsider_sees.hits] == [foreign]
    assert outsider_sees.total == 1


def test_grants_and_public_documents(make_doc, registrar, executor, outsider):
    restricted = make_doc("Кадрові питання відділу", access=AccessMark.RESTRICTED)
    public = make_doc("Оголошення про конкурс на посаду", access=AccessMark.PUBLIC)
    assert found(executor, "кадрових питань") == []
    document_access_grant(actor=registrar, document=restricted, user=executor)
    assert found(executor, "кадрових питань") == [restricted]
    assert found(outsider, "конкурсу") == [public]


def test_users_without_a_job_see_nothing(make_doc, user):
    make_doc("Оголошення про конкурс", access=AccessMark.PUBLIC)
    assert search_documents(user=user, query="конкурс").total == 0


# --- Filters ----------------------------------------------------------------------------------

def test_filters(make_doc, registrar, org):
    today = timezone.localdate()
    second_journal = JournalFactory(organisation=org, kind="outgoing", index_template="{seq}",
                                    name="Вихідні")
    a = make_doc("Запит щодо освітлення", kind="request", correspondent="Олена Коваленко",
                 reg_date=today - dt.timedelta(days=10))
    b = make_doc("Лист щодо освітлення", kind="letter", correspondent="ТОВ «Світло»", reg_date=today)
    c = make_doc("Лист щодо освітлення парку", journal=second_journal, correspondent="")
    document_transition(actor=registrar, document=b, to=DocumentStatus.IN_WORK)

    q = "освітлення"
    assert set(found(registrar, q)) == {a, b, c}
    assert set(found(registrar, q, organisation=org)) == {a, b, c}
    assert set(found(registrar, q, organisation=OrganisationFactory())) == set()
    assert found(registrar, q, journal=second_journal) == [c]
    assert set(found(registrar, q, journal=str(a.journal_id))) == {a, b}
    assert found(registrar, q, date_to=today - dt.timedelta(days=1)) == [a]
    assert set(found(registrar, q, date_from=today)) == {b, c}
    assert found(registrar, q, correspondent="коваленко") == [a]  # Cyrillic, any case, both DBs
    assert found(registrar, q, correspondent="СВІТЛО") == [b]
    assert found(registrar, q, kind="request") == [a]
    assert found(registrar, q, status=DocumentStatus.IN_WORK) == [b]
    assert found(registrar, q, kind="letter", status=DocumentStatus.REGISTERED) == [c]


def test_ordering_and_pagination(make_doc, registrar):
    today = timezone.localdate()
    docs = [make_doc(f"Протокол засідання комісії № {i}", reg_date=today - dt.timedelta(days=i % 4))
            for i in range(8)]
    expected = sorted(docs, key=lambda d: (d.reg_date, d.registered_at), reverse=True)
    first = search_documents(user=registrar, query="протоколи засідань", limit=3)
    assert first.total == 8 and first.exact
    assert [h.document for h in first.hits] == expected[:3]
    rest = search_documents(user=registrar, query="протоколи засідань", limit=3, offset=3)
    assert [h.document for h in rest.hits] == expected[3:6]
    assert search_documents(user=registrar, query="протоколи засідань", offset=100).hits == []


def test_walk_in_chunks_with_hidden_matches_and_count_limit(make_doc, registrar, executor, monkeypatch):
    from ratusha.search import selectors

    monkeypatch.setattr(selectors, "FIRST_CHUNK", 2)
    visible = [make_doc(f"Акт приймання робіт № {i}") for i in range(5)]
    hidden = [make_doc(f"Акт приймання робіт (обмежений) № {i}", access=AccessMark.RESTRICTED)
              for i in range(4)]
    assert {h.document for h in search_documents(user=executor, query="акти", limit=50).hits} == set(visible)
    assert search_documents(user=executor, query="акти").total == 5
    assert search_documents(user=registrar, query="акти").total == 9
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 6)
    capped = search_documents(user=registrar, query="акти", limit=50)
    assert capped.total == 6 and not capped.exact
    assert len(capped.hits) == 6
    assert {h.document for h in capped.hits} <= set(visible) | set(hidden)
    exact = search_documents(user=executor, query="акти", limit=50)
    assert exact.total == 5 and exact.exact


# --- Query input is never syntax ----------------------------------------------------------------

JUNK = ['AND OR NOT NEAR ^ : ( ) " * -', '"', "'", "*", "-", "(", ")", ":", "^", "рада*", "-рада", '"рада',
        "NEAR(рада дорога, 2)", "рада OR", "AND", "{lemmas} : рада", "lemmas:рада", "'; DROP TABLE x; --",
        "\\", "%", "_", "рада & | ! <->", "!!", "\x00", "рада\x00дорога", "a" * 5000, "ﬁ ǅ ß ẞ", "𗀀 𝔘𝔫𝔦"]


def test_junk_queries_never_raise(make_doc, registrar):
    doc = make_doc("Рішення ради щодо доріг")
    for junk in JUNK:
        results = search_documents(user=registrar, query=junk)
        assert results.total >= 0
    assert found(registrar, '"рада" "дорога*"') == [doc]
    assert found(registrar, "-ради (доріг)") == [doc]


def test_empty_query_finds_nothing(make_doc, registrar):
    make_doc("Рішення ради")
    for empty in ["", "   ", None, "?!", "— … «»"]:
        results = search_documents(user=registrar, query=empty)
        assert results.total == 0 and results.hits == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=60) | st.text(alphabet="радогзвнеяї'’ʼ-/.:*\"()^&|!~ ANDORT01", max_size=40))
def test_arbitrary_text_never_raises(registrar, query):
    search_documents(user=registrar, query=query)


# --- The database agrees with the Python reference semantics -------------------------------------

CORPUS = [
    "Звернення громадян щодо ремонту доріг",
    "Міська рада ухвалила рішення про бюджет",
    "Раді повідомити про відкриття ЦНАП",
    "Лист № 01-10/245 від КП «Луцькводоканал»",
    "Сім’я загиблого військового просить допомоги",
    "Ґрунтові дороги села потребують ремонту",
    "Протокол засідання виконавчого комітету",
    "COVID-19: вакцинація працівників",
    "Івано-Франківська обласна рада",
    "Дорога до школи небезпечна",
]
VOCABULARY = sorted({w for text in CORPUS for w in text.replace("«", " ").replace("»", " ").split()}
                    | {"радою", "доріг", "зверненням", "сімʼї", "грунт", "01-10", "ради", "дорогий", "пенсія"})


@pytest.fixture
def corpus(make_doc):
    docs = [make_doc(text) for text in CORPUS]
    return [(doc, set(index_tokens(*card_texts(doc)))) for doc in docs]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=3))
def test_database_results_equal_python_reference(corpus, registrar, words):
    query_text = " ".join(words)
    query = parse_query(query_text)
    expected = {doc.pk for doc, tokens in corpus if query.matches(tokens)}
    results = search_documents(user=registrar, query=query_text, limit=100)
    assert {h.document.pk for h in results.hits} == expected
    assert results.total == len(expected)


def test_entries_are_one_per_document(make_doc):
    doc = make_doc("Рішення")
    assert SearchEntry.objects.filter(document=doc).count() == 1
