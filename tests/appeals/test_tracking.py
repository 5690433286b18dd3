"""Citizen tracking at /appeals/track/: tracking codes, what a right code shows, the neutral answer to a
wrong one, the answer download authorised by the code, the per-address rate limit."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from ratusha.appeals.constants import TRACKING_ALPHABET, AppealStatus, Outcome, TermKind
from ratusha.appeals.services.codes import format_tracking_code, new_tracking_code, normalise_tracking_code
from ratusha.appeals.services.timeline import appeal_event_add
from ratusha.registry import services as registry_services
from ratusha.registry.constants import JournalKind
from tests.appeals.test_intake_support import PDF, make_appeal
from tests.factories import EmployeeFactory, JournalFactory

pytest_plugins = ["tests.appeals.test_intake_support"]
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

URL = "/appeals/track/"
NOT_FOUND = "Звернення з таким кодом не знайдено"


# --- codes ---------------------------------------------------------------------------------------


def test_new_codes_are_grouped_from_the_alphabet_and_do_not_repeat():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:200]:
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        assert set(code.replace("-", "")) <= set(TRACKING_ALPHABET)
    assert not set("OI01L") & set(TRACKING_ALPHABET)


def test_normalise_forgives_case_spaces_dashes_and_cyrillic_lookalikes():
    assert normalise_tracking_code("abcd efgh-jkmn pqrs") == "ABCD-EFGH-JKMN-PQRS"
    assert normalise_tracking_code(" ABCDEFGHJKMNPQRS ") == "ABCD-EFGH-JKMN-PQRS"
    assert normalise_tracking_code("АВСЕ–НКМР–ТХ23–4567") == "ABCE-HKMP-TX23-4567"  # Cyrillic + en dashes
    assert normalise_tracking_code("ABCD-EFGH-JKMN-PQR") == ""  # too short
    assert normalise_tracking_code("ABCD-EFGH-JKMN-PQRO") == ""  # O is not in the alphabet
    assert normalise_tracking_code("") == "" and normalise_tracking_code(None) == ""
    assert format_tracking_code("ABCDEFGHJKMNPQRS") == "ABCD-EFGH-JKMN-PQRS"


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def registrar(council):
    return EmployeeFactory(organisation=council, roles=["registrar", "reception"]).user


@pytest.fixture
def appeals_journal(council):
    return JournalFactory(organisation=council, kind=JournalKind.APPEALS, index_template="{seq}")


@pytest.fixture
def outgoing_journal(council):
    return JournalFactory(organisation=council, kind=JournalKind.OUTGOING, index_template="{seq}")


def register(appeal, registrar, journal):
    document = registry_services.document_register(actor=registrar, journal=journal, kind="appeal",
                                                   summary="Про освітлення двору", correspondent="Петренко І. В.")
    appeal.document = document
    appeal.status = AppealStatus.REGISTERED
    appeal.save()
    return document


# --- the page ------------------------------------------------------------------------------------


def test_form_without_code(client, council):
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode() and NOT_FOUND not in response.content.decode()


def test_right_code_shows_status_deadline_timeline_and_masked_name_only(client, council, registrar,
                                                                         appeals_journal):
    appeal = make_appeal(council, deadline=dt.date(2026, 7, 3), phone="+380501234567")
    appeal_event_add(appeal=appeal)
    document = register(appeal, registrar, appeals_journal)
    appeal_event_add(appeal=appeal, message="Звернення передано до управління благоустрою.")
    typed = appeal.tracking_code.lower().replace("-", " ")
    response = client.get(URL, {"code": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Зареєстровано" in html
    assert f"Звернення № {document.reg_index} від {document.reg_date.strftime('%d.%m.%Y')}" in html
    assert "до 03.07.2026" in html
    assert "Іван П." in html
    assert "Звернення передано до управління благоустрою." in html
    assert "Подано, очікує реєстрації" in html  # the first timeline entry
    for private in ("Петренко", "Васильович", "Лесі Українки", "ivan.petrenko@example.com", "+380501234567",
                    "ліхтарі"):
        assert private not in html, private


def test_extended_term_is_said(client, council):
    appeal = make_appeal(council, status=AppealStatus.IN_WORK, deadline=dt.date(2026, 7, 20),
                         term_kind=TermKind.EXTENDED)
    html = client.get(URL, {"code": appeal.tracking_code}).content.decode()
    assert "до 20.07.2026" in html and "продовжено керівником" in html


@pytest.mark.parametrize("code", ["ABCD-EFGH-JKMN-PQRS", "nonsense", "ABCD", "'; DROP TABLE --"])
def test_wrong_code_gets_the_same_neutral_message(client, council, code):
    make_appeal(council, tracking_code="ZZZZ-YYYY-XXXX-WWWW")
    response = client.get(URL, {"code": code})
    assert response.status_code == 200
    html = response.content.decode()
    assert NOT_FOUND in html
    assert "Іван" not in html and "Луцька міська рада</dd>" not in html
    assert response.context.get("appeal") is None


def test_empty_code_asks_for_one(client, council):
    response = client.get(URL, {"code": ""})
    assert response.status_code == 400
    assert "Введіть код відстеження." in response.content.decode()


# --- the answer ---------------------------------------------------------------------------------


@pytest.fixture
def answered(council, registrar, appeals_journal, outgoing_journal):
    appeal = make_appeal(council)
    register(appeal, registrar, appeals_journal)
    answer = registry_services.document_register(
        actor=registrar, journal=outgoing_journal, kind="letter", summary="Відповідь Петренку І. В.",
        files=[registry_services.FileInput(name="Відповідь.pdf", content=PDF)])
    appeal.answer_document = answer
    appeal.status = AppealStatus.ANSWERED
    appeal.outcome = Outcome.SATISFIED
    appeal.answered_at = timezone.now()
    appeal.save()
    return appeal


def test_answer_is_shown_and_downloadable_with_the_code(client, answered):
    response = client.get(URL, {"code": answered.tracking_code})
    html = response.content.decode()
    [file] = response.context["answer_files"]
    assert "Відповідь на звернення" in html and "Задоволено" in html
    link = f"/appeals/track/answer/{file.pk}/?code={answered.tracking_code}"
    assert link in html
    download = client.get(link)
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "private" in download["Cache-Control"] and "no-store" in download["Cache-Control"]
    # without the code, with another code, or with a code of another appeal: nothing
    assert client.get(f"/appeals/track/answer/{file.pk}/").status_code == 404
    other = make_appeal(answered.organisation)
    assert client.get(f"/appeals/track/answer/{file.pk}/?code={other.tracking_code}").status_code == 404


def test_answer_is_not_shown_before_it_is_sent(client, answered):
    answered.status = AppealStatus.IN_WORK
    answered.answered_at = None
    answered.save()
    response = client.get(URL, {"code": answered.tracking_code})
    assert response.context["answer_files"] == []
    assert "Відповідь на звернення" not in response.content.decode()
    file = answered.answer_document.files.get()
    assert client.get(f"/appeals/track/answer/{file.pk}/?code={answered.tracking_code}").status_code == 404


def test_forwarded_appeal_says_where(client, council):
    appeal = make_appeal(council, status=AppealStatus.FORWARDED, forwarded_to="Головне управління ДПС у Волинській області")
    html = client.get(URL, {"code": appeal.tracking_code}).content.decode()
    assert "Надіслано за належністю" in html and "Головне управління ДПС у Волинській області" in html
    assert "Термін розгляду" not in html  # no running term once forwarded


# --- rate limit ---------------------------------------------------------------------------------


def test_lookups_are_rate_limited_per_address(client, council, settings):
    settings.APPEALS = {"TRACK_LIMIT": 3, "TRACK_WINDOW_MINUTES": 10}
    appeal = make_appeal(council)
    for code in ("AAAA-BBBB-CCCC-DDDD", "AAAA-BBBB-CCCC-EEEE", appeal.tracking_code):
        assert client.get(URL, {"code": code}).status_code == 200
    blocked = client.get(URL, {"code": appeal.tracking_code})
    assert blocked.status_code == 429
    assert 0 < int(blocked["Retry-After"]) <= 600
    html = blocked.content.decode()
    assert "Забагато запитів" in html and "Іван П." not in html
    assert client.get(URL, {"code": appeal.tracking_code}, REMOTE_ADDR="10.1.2.3").status_code == 200
