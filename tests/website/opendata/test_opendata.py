"""Open data: the register, passports (page and JSON), CSV/JSON data that parse, counts computed here
independently, no personal data in the appeals statistics, catalog.json, Last-Modified / 304."""

import csv
import io
import json
from collections import Counter

import pytest

from ratusha.orgs.constants import OrgKind
from ratusha.registry.constants import AccessMark, JournalKind
from tests.factories import EmployeeFactory, OrganisationFactory, PositionFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSPORT_KEYS = {"identifier", "title", "description", "publisher", "responsible", "frequency", "keywords",
                 "licence", "last_modified", "distributions", "structure", "format_note"}


def _csv(response):
    body = b"".join(response.streaming_content)
    assert not body.startswith(b"\xef\xbb\xbf")  # plain UTF-8, no BOM (as the passport says)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def _json(response):
    return json.loads(b"".join(response.streaming_content).decode("utf-8"))


def test_register_and_catalog(client):
    response = client.get("/open-data/")
    assert response.status_code == 200
    text = response.content.decode()
    for identifier in ("all-002", "all-009", "appeals-statistics"):
        assert f"/open-data/{identifier}/" in text
    catalog = json.loads(client.get("/open-data/catalog.json").content)
    assert [d["identifier"] for d in catalog["datasets"]] == ["all-002", "all-009", "appeals-statistics"]
    assert "CC BY 4.0" in catalog["licence"]["title"]


@pytest.mark.parametrize("identifier", ["all-002", "all-009", "appeals-statistics"])
def test_passport_page_and_json(client, identifier):
    page = client.get(f"/open-data/{identifier}/")
    assert page.status_code == 200 and "Структура набору даних" in page.content.decode()
    response = client.get(f"/open-data/{identifier}/passport.json")
    assert response["Content-Type"] == "application/json"
    passport = json.loads(response.content)
    assert set(passport) >= PASSPORT_KEYS
    assert {d["format"] for d in passport["distributions"]} == {"CSV", "JSON"}
    assert all({"name", "type", "description"} <= set(f) for f in passport["structure"])
    # The data's header row is exactly the passport's structure.
    data = client.get(f"/open-data/{identifier}/data.csv")
    header = b"".join(data.streaming_content).decode().splitlines()[0].split(",")
    assert header == [f["name"] for f in passport["structure"]]


def test_unknown_dataset_is_404(client):
    assert client.get("/open-data/all-999/").status_code == 404
    assert client.get("/open-data/all-999/data.csv").status_code == 404


def test_all_002_structure(client):
    council = OrganisationFactory(kind=OrgKind.CITY_COUNCIL, name="Тестова міська рада", code="tmr",
                                  address="вул. Незалежності, 1", phone="+380 332 00 00 00", email="rada@example.org")
    unit = UnitFactory(organisation=council, name="Загальний відділ", code="01")
    head_pos = PositionFactory(organisation=council, unit=unit, title="Начальник загального відділу", is_head=True)
    mayor_pos = PositionFactory(organisation=council, title="Міський голова", is_head=True)
    EmployeeFactory(organisation=council, position=mayor_pos,
                    user=UserFactory(last_name="Головко", first_name="Ігор", middle_name="Петрович",
                                     phone="+380 67 111 11 11", email="private@example.org"))
    EmployeeFactory(organisation=council, unit=unit, position=head_pos,
                    user=UserFactory(last_name="Коваль", first_name="Олена", middle_name="Іванівна"))
    EmployeeFactory(organisation=council, unit=unit, user=UserFactory(last_name="Простенко", first_name="Іван"))
    rows = _csv(client.get("/open-data/all-002/data.csv"))
    assert len(rows) == 2
    org_row = next(r for r in rows if not r["unit"])
    assert org_row["head_name"] == "Головко Ігор Петрович" and org_row["head_position"] == "Міський голова"
    assert org_row["email"] == "rada@example.org"
    unit_row = next(r for r in rows if r["unit"])
    assert unit_row["unit"] == "Загальний відділ" and unit_row["head_name"] == "Коваль Олена Іванівна"
    body = client.get("/open-data/all-002/data.json")
    data = _json(body)
    assert len(data) == 2
    text = json.dumps(data, ensure_ascii=False)
    assert "Простенко" not in text and "private@example.org" not in text and "+380 67" not in text


def test_all_009_acts_counts_and_formats(client, register_act):
    for summary in ("Про бюджет", "Про оренду землі", "Про тарифи"):
        register_act(summary)
    register_act("Про кадрові питання", access=AccessMark.RESTRICTED)
    register_act("Про прибирання", kind=JournalKind.ORDERS)
    from ratusha.website.acts.models import PublishedAct

    expected = PublishedAct.objects.filter(status__in=("adopted", "draft")).count()
    assert expected == 4
    response = client.get("/open-data/all-009/data.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Last-Modified"]
    rows = _csv(response)
    assert len(rows) == expected
    assert Counter(r["kind"] for r in rows) == {"Рішення ради": 3, "Розпорядження / наказ": 1}
    assert all(r["url"].startswith("http://testserver/decisions/") and r["pdf_url"].endswith("/pdf/") for r in rows)
    assert "кадрові" not in json.dumps(rows, ensure_ascii=False)
    data = _json(client.get("/open-data/all-009/data.json"))
    assert len(data) == expected and {r["number"] for r in data} == {r["number"] for r in rows}
    # A conditional GET with the same date: 304, nothing re-generated.
    again = client.get("/open-data/all-009/data.csv", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


@pytest.fixture
def appeals_scenario(db):
    from tests.reports.test_appeals_report import scenario_build

    return scenario_build()


def test_appeals_statistics_counts_and_no_personal_data(client, appeals_scenario):
    from tests.reports.test_appeals_report import COHORT

    rows = _csv(client.get("/open-data/appeals-statistics/data.csv"))
    q1 = [r for r in rows if r["quarter"] == "2025-Q1" and r["organisation"] == appeals_scenario.org.name]

    def counts(dimension):
        return {r["value_code"]: int(r["count"]) for r in q1 if r["dimension"] == dimension and int(r["count"])}

    assert counts("total")["received"] == len(COHORT) == 10
    for field in ("appeal_type", "receipt_form", "subject"):
        assert counts(field) == dict(Counter(spec[field] for spec in COHORT)), field
    expected_outcomes = Counter(spec["outcome"] or "__none__" for spec in COHORT)
    assert counts("outcome") == dict(expected_outcomes)
    expected_sections = Counter((spec["topic"] or "__none__").split(".")[0] for spec in COHORT)
    assert counts("topic") == dict(expected_sections)
    # The noise: one appeal in Q4 2024, one in Q2 2025, one of another council in Q1 2025.
    received = {(r["quarter"], r["organisation"]): int(r["count"]) for r in rows
                if r["dimension"] == "total" and r["value_code"] == "received"}
    assert received[("2024-Q4", appeals_scenario.org.name)] == 1
    assert received[("2025-Q2", appeals_scenario.org.name)] == 1
    assert received[("2025-Q1", appeals_scenario.other.name)] == 1
    text = json.dumps(_json(client.get("/open-data/appeals-statistics/data.json")), ensure_ascii=False)
    for personal in ("Шевченко", "Тарас", "Луцьк", "Ківерці", "T-0", "К-1", "Суть звернення"):
        assert personal not in text, personal
    assert {r["dimension"] for r in rows} == {"total", "receipt_form", "appeal_type", "subject", "topic", "outcome"}


def test_csv_cells_that_look_like_formulas_are_written_as_text(client, register_act):
    evil = '=HYPERLINK("http://evil.example/","Про бюджет")'
    register_act(evil)
    register_act("-1 Про тарифи")
    rows = _csv(client.get("/open-data/all-009/data.csv"))
    assert sorted(r["title"] for r in rows) == ["'-1 Про тарифи", "'" + evil]
    assert {r["title"] for r in _json(client.get("/open-data/all-009/data.json"))} == {evil, "-1 Про тарифи"}
    passport = client.get("/open-data/all-009/passport.json").json()
    assert "апостроф" in passport["format_note"]
