"""Ukrainian analysis: lemmas, readings, normalisation, compounds, query parsing (no database)."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ratusha.search import analysis
from ratusha.search.analysis import index_tokens, lemma_string, normalise, parse_query

TOKEN = re.compile(r"^[^\W_]+(?:_[^\W_]+)*$")


def finds(query: str, text: str) -> bool:
    return parse_query(query).matches(index_tokens(text))


def test_issue_example_inflected_phrase():
    text = "Звернення громадян, розглянуте на засіданні: міська рада підтримала"
    assert finds("зверненням міської ради", text)
    assert finds("звернень міських рад", text)


def test_issue_example_genitive_plural():
    assert finds("доріг", "Ремонт дорога по вулиці Шевченка")
    assert finds("дорогою", "Про ремонт доріг")


def test_all_readings_are_indexed_and_any_reading_matches():
    tokens = set(index_tokens("рада"))
    assert {"рада", "радий"} <= tokens  # noun «рада» and adjective «радий»
    assert finds("рада", "Ми раді співпраці")  # the adjective
    assert finds("рада", "Рішення міської ради")  # the noun
    assert finds("радою", "засідання ради")


def test_all_words_must_be_found():
    assert not finds("звернення дорога", "Звернення щодо освітлення")
    assert not finds("пенсія", "Звернення щодо освітлення")


def test_apostrophes_are_normalised():
    variants = ["сім'я", "сім’я", "сімʼя", "сім`я", "сім‘я"]
    assert len({lemma_string(v) for v in variants}) == 1
    assert finds("сімʼї", "Допомога багатодітній сім'ї")
    assert finds("обов’язків", "виконувач обов'язків")


def test_g_with_upturn_and_case_and_stress():
    assert finds("грунт", "Аналіз ҐРУНТУ")
    assert finds("ґрунтів", "відбір проб грунту")
    assert finds("звернення", "ЗВЕ́РНЕННЯ")
    assert normalise("ЗВЕ́РНЕННЯ") == "звернення"


def test_indexes_are_kept_whole_and_split_into_parts():
    text = "Лист № 01-10/245 від 12.03.2024"
    tokens = set(index_tokens(text))
    assert {"01_10_245", "01", "10", "245", "12_03_2024", "2024"} <= tokens
    assert finds("01-10/245", text)
    assert finds("01-10", text)
    assert finds("245", text)
    assert finds("12.03.2024", text)
    assert not finds("01-11", text)


def test_latin_numbers_and_unknown_words_are_kept_as_is():
    text = "COVID-19 USB3 вхід 2024 Шмигальчукові"
    tokens = set(index_tokens(text))
    assert {"covid_19", "covid", "19", "usb3", "2024"} <= tokens
    assert finds("covid-19", text)
    assert finds("Шмигальчукові", text)


def test_hyphenated_words():
    text = "м. Івано-Франківськ, північно-західний район"
    assert finds("Івано-Франківську", text)
    assert finds("франківськ", text)
    assert finds("північно-західного", text)


def test_service_words_are_not_required_in_queries():
    assert finds("лист від міської ради", "Лист міської ради")
    assert finds("звернення щодо доріг", "звернення: ремонт доріг")
    # ... unless the query has nothing else
    assert [w.text for w in parse_query("від").words] == ["від"]


def test_query_syntax_is_never_syntax():
    for junk in ['AND OR NOT NEAR ^ : ( ) " * -', '"рада', "рада*", "-рада", "рада:дорога", "NEAR(рада дорога)",
                 "'; DROP TABLE search_fts; --", "{lemmas} : рада", "рада OR 1=1"]:
        query = parse_query(junk)
        fts = query.to_fts5()
        ts = query.to_tsquery()
        for token in query.tokens:
            assert TOKEN.match(token), token
            assert f'"{token}"' in fts
            assert f"'{token}'" in ts
        assert "*" not in fts and "^" not in fts and ":" not in fts and ";" not in fts


def test_empty_and_punctuation_only_queries_are_empty():
    for text in ["", "   ", None, "!!! ??? — … «»", "* - ^ ( ) :"]:
        assert not parse_query(text)


def test_query_limits():
    query = parse_query(" ".join(f"слово{i}" for i in range(100)))
    assert len(query.words) == analysis.MAX_QUERY_WORDS
    assert parse_query("рада рада РАДА").words == parse_query("рада").words


def test_morphology_is_lazy_single_and_cached():
    first = analysis.morph()
    assert analysis.morph() is first
    analysis.word_tokens("громадою")
    before = analysis.word_tokens.cache_info().hits
    analysis.word_tokens("громадою")
    assert analysis.word_tokens.cache_info().hits == before + 1
    assert analysis.word_tokens.cache_info().maxsize >= 100_000


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_analyses_into_clean_tokens(text):
    for token in index_tokens(text):
        assert TOKEN.match(token), token
        assert len(token) <= analysis.MAX_TOKEN_CHARS
    query = parse_query(text)
    for token in query.tokens:
        assert TOKEN.match(token), token
    # A text always finds itself.
    if query:
        assert query.matches(index_tokens(text))
