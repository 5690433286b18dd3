"""Appeals statistics: a scenario built with the ORM, expected counts computed here independently (plain
Python over the scenario's own specs), compared with the report, the page and the exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ratusha.appeals.constants import OPEN_STATUSES, AppealStatus
from ratusha.appeals.models import Appeal, ClassifierTopic, ClassifierVersion
from ratusha.calendar.selectors import add_working_days
from ratusha.orgs.constants import OrgKind
from ratusha.reports.appeals_constants import AppealsPeriod, appeals_period_range
from ratusha.reports.appeals_selectors import NOT_GIVEN, appeals_report
from tests.factories import EmployeeFactory, OrganisationFactory
from tests.reports.factories import DocumentFactory

D = dt.date
Q1 = (D(2025, 1, 1), D(2025, 3, 31))
Q1_QUERY = {"period": "custom", "date_from": "01.01.2025", "date_to": "31.03.2025"}
S = AppealStatus
_counter = iter(range(1, 10_000))


def aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# The Q1 2025 cohort. Each spec is what the appeal is; the expectations below are computed from these.
# (received, status, form, medium, type, subject, sign, sex, social, categories, settlement, topic, outcome,
#  deadline, decided, priority)
SPECS = [
    (D(2025, 1, 2), S.ANSWERED, "post", "letter", "complaint", "individual", "primary", "m", "pensioner",
     ["01", "05"], "Луцьк", "010.001", "satisfied", D(2025, 2, 2), D(2025, 1, 30), True),
    (D(2025, 1, 10), S.CLOSED, "electronic", "electronic", "application", "individual", "primary", "f", "worker",
     [], "Луцьк", "010.001", "explained", D(2025, 2, 10), D(2025, 2, 12), False),  # late
    (D(2025, 1, 15), S.RETURNED, "electronic", "electronic", "application", "individual", "primary", "f", "",
     [], "Ківерці", "010.002", "returned", D(2025, 1, 25), D(2025, 1, 20), False),
    (D(2025, 1, 20), S.FORWARDED, "post", "letter", "proposal", "collective", "primary", "m", "entrepreneur",
     ["12"], "Луцьк", "020.001", "forwarded", D(2025, 1, 25), D(2025, 1, 27), False),  # late
    (D(2025, 2, 1), S.NOT_CONSIDERED, "post", "letter", "application", "anonymous", "primary", "", "",
     [], "", None, "not_considered", D(2025, 3, 1), D(2025, 2, 3), False),
    (D(2025, 2, 5), S.IN_WORK, "reception", "oral", "application", "individual", "repeated", "m", "military",
     ["01"], "Луцьк", "020.001", "", D(2025, 3, 5), None, True),  # overdue today
    (D(2025, 2, 14), S.REGISTERED, "hotline", "oral", "complaint", "individual", "duplicate", "f", "pensioner",
     ["05", "14"], "Рожище", "020", "", D(2025, 3, 14), None, True),  # overdue (a section-level topic)
    (D(2025, 3, 1), S.ANSWERED, "representative", "letter", "application", "individual", "mass", "f", "student",
     ["14"], "Луцьк", "010.001", "refused", D(2025, 4, 1), D(2025, 3, 20), False),
    (D(2025, 3, 3), S.ANSWERED, "media", "telegram", "proposal", "individual", "recurrent", "m", "unemployed",
     [], "Ківерці", "010.002", "partly", D(2025, 4, 3), D(2025, 4, 3), False),  # decided on the deadline: on time
    (D(2025, 3, 31), S.IN_WORK, "other_bodies", "letter", "application", "individual", "primary", "m",
     "public_sector", ["17"], "Луцьк", None, "", None, None, False),  # open, no deadline yet: not overdue
]
FIELDS = ("received", "status", "receipt_form", "medium", "appeal_type", "subject", "sign", "sex", "social_status",
          "categories", "settlement", "topic", "outcome", "deadline", "decided", "priority")
COHORT = [dict(zip(FIELDS, spec, strict=True)) for spec in SPECS]


def build(org, topics: dict[str, ClassifierTopic], spec: dict, *, number: str | None = None) -> Appeal:
    document = None
    if number is not None:
        document = DocumentFactory(organisation=org, reg_index=number, reg_date=spec["received"])
    return Appeal.objects.create(
        organisation=org, document=document, status=spec["status"], tracking_code=f"T-{next(_counter):06d}",
        received_at=aware(spec["received"]), received_date=spec["received"], receipt_form=spec["receipt_form"],
        medium=spec["medium"], appeal_type=spec["appeal_type"], subject=spec["subject"], sign=spec["sign"],
        last_name="Шевченко", first_name="Тарас", sex=spec["sex"], social_status=spec["social_status"],
        categories=spec["categories"], settlement=spec["settlement"], text="Суть звернення",
        topic=topics[spec["topic"]] if spec["topic"] else None, outcome=spec["outcome"],
        deadline=spec["deadline"], decided_at=aware(spec["decided"], 16) if spec["decided"] else None,
        priority=spec["priority"])


def scenario_build() -> SimpleNamespace:
    org = OrganisationFactory(kind=OrgKind.CITY_COUNCIL, name="Тестівська міська рада", code="testivka")
    other = OrganisationFactory(name="Інша рада", code="other")
    v1 = ClassifierVersion.objects.create(number=1, is_active=False)
    v2 = ClassifierVersion.objects.create(number=2)
    topics = {
        "010": ClassifierTopic.objects.create(version=v1, code="010", title="Комунальне господарство"),
        "010.001": ClassifierTopic.objects.create(version=v1, code="010.001", title="Вивезення сміття (стара)",
                                                  parent_code="010", level=2),
        "010.002": ClassifierTopic.objects.create(version=v2, code="010.002", title="Ремонт доріг",
                                                  parent_code="010", level=2),
        "020": ClassifierTopic.objects.create(version=v2, code="020", title="Соціальний захист"),
        "020.001": ClassifierTopic.objects.create(version=v2, code="020.001", title="Субсидії",
                                                  parent_code="020", level=2),
    }
    # The newest version renames 010.001 and 010: the report shows the newest titles.
    ClassifierTopic.objects.create(version=v2, code="010.001", title="Вивезення побутових відходів",
                                   parent_code="010", level=2)
    ClassifierTopic.objects.create(version=v2, code="010", title="Житлово-комунальне господарство")
    for index, spec in enumerate(COHORT):
        build(org, topics, spec, number=f"К-{index + 1}")
    noise = dict(COHORT[0])
    for received in (D(2024, 12, 31), D(2025, 4, 1)):  # outside the period
        build(org, topics, {**noise, "received": received})
    build(org, topics, {**noise, "status": S.SUBMITTED})  # not registered yet
    build(other, topics, noise)  # another organisation
    people = SimpleNamespace(**{role: EmployeeFactory(organisation=org, roles=[role], user__username=role).user
                                for role in ("reception", "head", "controller", "registrar", "executor")})
    outsider = EmployeeFactory(organisation=other, roles=["reception", "head"], user__username="outsider").user
    return SimpleNamespace(org=org, other=other, topics=topics, people=people, outsider=outsider)


@pytest.fixture
def appeals_scenario(db):
    return scenario_build()


def expected_totals(today: dt.date) -> dict[str, int]:
    is_open = [a for a in COHORT if a["status"] in OPEN_STATUSES]
    decided = [a for a in COHORT if a["status"] not in OPEN_STATUSES]
    return {
        "received": len(COHORT),
        "considered": len(decided),
        "late": sum(1 for a in decided if a["decided"] and a["deadline"] and a["decided"] > a["deadline"]),
        "in_work": len(is_open),
        "overdue": sum(1 for a in is_open if a["deadline"] and a["deadline"] < today),
        "priority": sum(1 for a in COHORT if a["priority"]),
    }


def counts(dimension) -> dict[str, int]:
    return {row.key: row.count for row in dimension.rows if row.count}


def expected(field: str) -> dict[str, int]:
    return {(k or NOT_GIVEN): v for k, v in Counter(a[field] for a in COHORT).items()}


# --- Selectors ---------------------------------------------------------------------------------


def test_totals(appeals_scenario):
    today = timezone.localdate()
    report = appeals_report(user=appeals_scenario.people.reception, organisation=appeals_scenario.org,
                            date_from=Q1[0], date_to=Q1[1], today=today)
    assert report.totals == expected_totals(today)
    assert report.totals == {"received": 10, "considered": 7, "late": 2, "in_work": 3, "overdue": 2, "priority": 3}


@pytest.mark.parametrize("field", ["receipt_form", "sign", "appeal_type", "subject", "medium", "sex",
                                   "social_status", "settlement", "outcome"])
def test_every_dimension(appeals_scenario, field):
    report = appeals_report(user=appeals_scenario.people.head, organisation=appeals_scenario.org,
                            date_from=Q1[0], date_to=Q1[1])
    dimension = report.dimension(field)
    assert counts(dimension) == expected(field)
    assert dimension.total == len(COHORT)  # every dimension adds up to the appeals received


def test_every_choice_is_listed_with_zeros(appeals_scenario):
    report = appeals_report(user=appeals_scenario.people.head, organisation=appeals_scenario.org,
                            date_from=Q1[0], date_to=Q1[1])
    forms = report.dimension("receipt_form")
    assert [r.key for r in forms.rows] == ["post", "reception", "representative", "authorities", "media",
                                           "other_bodies", "hotline", "electronic"]
    assert next(r for r in forms.rows if r.key == "authorities").count == 0
    sex = report.dimension("sex")
    assert [(r.key, r.label) for r in sex.rows][-1] == (NOT_GIVEN, "Не зазначено")
    assert next(r for r in forms.rows if r.key == "post").percent == "30,0"  # 3 of 10


def test_categories_count_each_category_of_a_person(appeals_scenario):
    report = appeals_report(user=appeals_scenario.people.head, organisation=appeals_scenario.org,
                            date_from=Q1[0], date_to=Q1[1])
    want = Counter(code for a in COHORT for code in a["categories"])
    want[NOT_GIVEN] = sum(1 for a in COHORT if not a["categories"])
    dimension = report.dimension("categories")
    assert counts(dimension) == dict(want)
    assert counts(dimension) == {"01": 2, "05": 2, "12": 1, "14": 2, "17": 1, NOT_GIVEN: 4}
    assert len(dimension.rows) == 18  # all 17 codes + «без категорії»
    assert "кількох категорій" in dimension.note


def test_topics_grouped_by_section_with_newest_titles(appeals_scenario):
    report = appeals_report(user=appeals_scenario.people.head, organisation=appeals_scenario.org,
                            date_from=Q1[0], date_to=Q1[1])
    topic = {t.code: t for t in appeals_scenario.topics.values()}
    per_code = Counter(a["topic"] for a in COHORT if a["topic"])
    per_section = Counter()
    for code, n in per_code.items():
        per_section[topic[code].parent_code or code] += n
    rows = [(r.depth, r.key, r.count) for r in report.dimension("topic").rows]
    assert rows == [
        (0, "010", per_section["010"]), (1, "010.001", per_code["010.001"]), (1, "010.002", per_code["010.002"]),
        (0, "020", per_section["020"]), (1, "020.001", per_code["020.001"]),
        (0, NOT_GIVEN, sum(1 for a in COHORT if not a["topic"]))]
    labels = [r.label for r in report.dimension("topic").rows]
    assert labels[:2] == ["010 Житлово-комунальне господарство", "010.001 Вивезення побутових відходів"]
    section = report.dimension("topic").rows[3]
    assert section.states == {"considered": 1, "in_work": 0, "overdue": 2}  # 020: forwarded + 2 overdue


def test_lists_overdue_and_at_risk(appeals_scenario):
    org, today = appeals_scenario.org, timezone.localdate()
    spec = dict(COHORT[5])
    late = build(org, appeals_scenario.topics, {**spec, "received": today - dt.timedelta(days=40),
                                                "deadline": today - dt.timedelta(days=3), "priority": False},
                 number="К-100")
    soon = build(org, appeals_scenario.topics, {**spec, "received": today - dt.timedelta(days=20),
                                                "deadline": add_working_days(today, 2), "priority": False},
                 number="К-101")
    build(org, appeals_scenario.topics, {**spec, "received": today, "deadline": add_working_days(today, 10)})
    online = build(org, appeals_scenario.topics, {**spec, "status": S.SUBMITTED, "received": today,
                                                  "deadline": today, "priority": False})
    build(org, appeals_scenario.topics, {**COHORT[0], "deadline": today - dt.timedelta(days=1)})  # answered
    report = appeals_report(user=appeals_scenario.people.controller, organisation=org, date_from=Q1[0],
                            date_to=Q1[1], horizon=3, today=today)
    overdue = [(i.number, i.priority) for i in report.overdue]
    # priority first, then the earliest deadline; an e-appeal never registered is there too (no number)
    assert overdue == [("", True), ("К-6", True), ("К-7", True), ("К-100", False)]
    assert report.overdue_count == 4
    assert report.overdue[-1].days == 3 and report.overdue[-1].topic == "020.001 Субсидії"
    assert report.overdue[1].pk == Appeal.objects.get(document__reg_index="К-6").pk
    assert [(i.number, i.pk) for i in report.at_risk] == [("", online.pk), ("К-101", soon.pk)]
    assert report.at_risk[1].days == 2 and report.at_risk[0].days == 0
    assert report.horizon_until == add_working_days(today, 3)
    assert late.pk in {i.pk for i in report.overdue}


def test_who_may_see(appeals_scenario):
    from django.http import Http404

    people = appeals_scenario.people
    for user in (people.reception, people.head, people.controller, people.registrar):
        appeals_report(user=user, organisation=appeals_scenario.org, date_from=Q1[0], date_to=Q1[1])
    for user in (people.executor, appeals_scenario.outsider):
        with pytest.raises(Http404):
            appeals_report(user=user, organisation=appeals_scenario.org, date_from=Q1[0], date_to=Q1[1])


@pytest.mark.parametrize(("preset", "today", "expected"), [
    (AppealsPeriod.QUARTER, D(2025, 5, 14), (D(2025, 4, 1), D(2025, 6, 30))),
    (AppealsPeriod.PREV_QUARTER, D(2025, 2, 1), (D(2024, 10, 1), D(2024, 12, 31))),
    (AppealsPeriod.HALF, D(2025, 8, 1), (D(2025, 7, 1), D(2025, 12, 31))),
    (AppealsPeriod.PREV_HALF, D(2025, 8, 1), (D(2025, 1, 1), D(2025, 6, 30))),
    (AppealsPeriod.PREV_HALF, D(2025, 3, 1), (D(2024, 7, 1), D(2024, 12, 31))),
    (AppealsPeriod.YEAR, D(2025, 3, 1), (D(2025, 1, 1), D(2025, 12, 31))),
    (AppealsPeriod.PREV_YEAR, D(2025, 3, 1), (D(2024, 1, 1), D(2024, 12, 31))),
])
def test_period_presets(preset, today, expected):
    assert appeals_period_range(preset, today) == expected


# --- Page ---------------------------------------------------------------------------------------


URL = "/office/reports/appeals/"


def test_page_shows_the_counts(client, appeals_scenario):
    client.force_login(appeals_scenario.people.reception)
    response = client.get(URL, Q1_QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    report = response.context["report"]
    assert report.totals == expected_totals(timezone.localdate())
    for label in ("Надійшло", "Розглянуто", "Форма надходження", "Ознака надходження", "Вид звернення",
                  "Суб&#x27;єкт звернення", "Тип за носієм", "Стать заявника", "Категорія заявника",
                  "Соціальний стан заявника", "Населений пункт", "Тематика", "Результат розгляду",
                  "Прострочені звернення", "Під загрозою"):
        assert label in html, label
    assert 'class="chart"' in html and "Звернення за тематикою" in html
    assert "Шевченко" not in html and "Тарас" not in html  # no applicant's data anywhere
    assert f"{reverse('reports:appeals-xlsx')}?org={appeals_scenario.org.pk}" in html


def test_default_period_is_the_current_quarter(client, appeals_scenario):
    client.force_login(appeals_scenario.people.head)
    response = client.get(URL)
    assert response.status_code == 200
    start, end = appeals_period_range("quarter", timezone.localdate())
    assert (response.context["report"].date_from, response.context["report"].date_to) == (start, end)


def test_index_links_the_report(client, appeals_scenario):
    client.force_login(appeals_scenario.people.controller)
    html = client.get("/office/reports/").content.decode()
    assert f'href="{URL}"' in html and "З&#x27;явиться згодом" not in html


def test_outsiders_get_404(client, appeals_scenario):
    client.force_login(appeals_scenario.people.executor)
    assert client.get(URL, Q1_QUERY).status_code == 404
    client.force_login(appeals_scenario.outsider)
    assert client.get(URL, {"org": str(appeals_scenario.org.pk), **Q1_QUERY}).status_code == 404
    assert client.get(URL, {"org": "not-a-uuid"}).status_code == 404
    assert client.get(reverse("reports:appeals-xlsx"), {"org": str(appeals_scenario.org.pk)}).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"period": "custom", "date_from": "31.02.2025", "date_to": "31.03.2025"}, "date_from", None),
    ({"period": "custom", "date_from": "01.04.2025", "date_to": "01.03.2025"}, "date_to",
     "Кінцева дата раніша за початкову."),
    ({"period": "custom", "date_from": "", "date_to": "01.03.2025"}, "date_from", "Вкажіть початок періоду."),
    ({"period": "decade"}, "period", "Оберіть період зі списку."),
    ({**Q1_QUERY, "horizon": "abc"}, "horizon", "Вкажіть ціле число робочих днів."),
    ({**Q1_QUERY, "horizon": "0"}, "horizon", "Щонайменше 1 робочий день."),
    ({**Q1_QUERY, "horizon": "99"}, "horizon", "Не більше 20 робочих днів."),
])
def test_bad_input_keeps_what_was_typed(client, appeals_scenario, params, field, message):
    client.force_login(appeals_scenario.people.reception)
    response = client.get(URL, params)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    if message:
        assert message in form.errors[field]
    html = response.content.decode()
    assert 'id="error-summary"' in html
    for name, value in params.items():
        if value and name != "period":
            assert f'value="{value}"' in html
    # a bad filter on an export answers with the page, not a broken file
    assert client.get(reverse("reports:appeals-csv"), params).status_code == 400


# --- Exports ------------------------------------------------------------------------------------


def test_xlsx(client, appeals_scenario):
    client.force_login(appeals_scenario.people.head)
    response = client.get(reverse("reports:appeals-xlsx"), Q1_QUERY)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="appeals-testivka-20250101-20250331.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Статистика", "Прострочені", "Під загрозою", "Визначення"]
    sheet = book["Статистика"]
    assert sheet["A1"].value == "Статистика звернень громадян: Тестівська міська рада"
    assert sheet["A2"].value.startswith("Період надходження: 01.01.2025 – 31.03.2025")
    assert [c.value for c in sheet[4]] == ["Розділ", "Показник", "Кількість", "Частка, %"]
    data = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    totals = {label: n for section, label, n, _share in data if section == "Підсумки"}
    assert totals["Надійшло"] == 10 and totals["З них прострочено"] == expected_totals(timezone.localdate())[
        "overdue"]
    by_form = {label: n for section, label, n, _share in data if section == "Форма надходження"}
    assert by_form == {"Поштою": 3, "На особистому прийомі": 1, "Через уповноважену особу": 1,
                       "Через органи влади": 0, "Через засоби масової інформації": 1,
                       "Від інших органів, установ, організацій": 1, "Телефоном / «гаряча лінія»": 1,
                       "Електронною поштою / через вебсайт": 2}
    share = next(row[3] for row in data if row[0] == "Форма надходження" and row[1] == "Поштою")
    assert share == pytest.approx(0.3)
    overdue = book["Прострочені"]
    rows = [[c.value for c in row] for row in overdue.iter_rows(min_row=6) if row[0].value]
    assert [r[0] for r in rows] == ["не зареєстровано", "К-6", "К-7"]


def test_csv_stats_and_lists(client, appeals_scenario):
    client.force_login(appeals_scenario.people.registrar)
    response = client.get(reverse("reports:appeals-csv"), Q1_QUERY)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="appeals-testivka-20250101-20250331.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == ["Розділ", "Показник", "Кількість", "Частка, %"]
    by_sign = {r[1]: int(r[2]) for r in rows if r[0] == "Ознака надходження"}
    assert by_sign == {"Первинне": 6, "Повторне": 1, "Дублетне": 1, "Неодноразове": 1, "Масове": 1}
    assert ["Вид звернення", "Скарга", "2", "20,0"] in rows
    lists = client.get(reverse("reports:appeals-lists-csv"), Q1_QUERY)
    assert lists["Content-Disposition"] == 'attachment; filename="appeals-lists-testivka-20250101-20250331.csv"'
    list_rows = list(csv.reader(io.StringIO(lists.content.decode("utf-8")[1:]), delimiter=";"))
    assert list_rows[0][:3] == ["Список", "Реєстраційний номер", "Надійшло"]
    assert [(r[0], r[1], r[6]) for r in list_rows[1:]] == [
        ("Прострочені", "не зареєстровано", "так"), ("Прострочені", "К-6", "так"), ("Прострочені", "К-7", "так")]
    assert "Шевченко" not in response.content.decode() + lists.content.decode()


def test_settlements_that_look_like_formulas_are_written_as_text(client, appeals_scenario):
    """The settlement is typed by the applicant on the public form: a formula there stays text."""
    import zipfile

    evil = '=HYPERLINK("http://evil.example/","Луцьк")'
    Appeal.objects.filter(organisation=appeals_scenario.org, settlement="Луцьк").update(settlement=evil)
    client.force_login(appeals_scenario.people.head)
    cells = []
    for name in ("reports:appeals-csv", "reports:appeals-lists-csv"):
        text = client.get(reverse(name), Q1_QUERY).content.decode("utf-8")[1:]
        cells += [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row]
    assert "'" + evil in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    book = client.get(reverse("reports:appeals-xlsx"), Q1_QUERY).content
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        assert not any("<f>" in archive.read(n).decode() for n in archive.namelist() if "worksheets/" in n)
    values = [c.value for sheet in load_workbook(io.BytesIO(book)).worksheets for row in sheet.iter_rows()
              for c in row]
    assert evil in values  # the text as it is, a string, not a formula
