import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from ratusha.reports.constants import PeriodPreset
from ratusha.reports.periods import period_range
from tests.factories import EmployeeFactory, UserFactory
from tests.reports.expected import EXPECTED_ROWS, EXPECTED_UNIT_A_TOTAL

URL = "/office/reports/execution/"
MARCH = {"period": "custom", "date_from": "01.03.2025", "date_to": "31.03.2025"}


class TableParser(HTMLParser):
    """Text of every cell of the report table (``table.report-table``), row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_table = False
        self.cell: list[str] | None = None
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "report-table" in (attrs.get("class") or ""):
            self.in_table = True
        elif self.in_table and tag == "tr":
            self.rows.append([])
        elif self.in_table and tag in ("td", "th"):
            self.cell = []
        elif tag == "span" and (self.hidden or "visually-hidden" in (attrs.get("class") or "")):
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_table = False
        elif self.in_table and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(" ".join(self.cell).split()))
            self.cell = None
        elif self.hidden and tag == "span":
            self.hidden -= 1

    def handle_data(self, data):
        if self.cell is not None and not self.hidden:
            self.cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    parser = TableParser()
    parser.feed(html)
    return parser.rows


def shown(row) -> list[str]:
    """An EXPECTED row as the page shows it: figures as text, rate «36,4 %» or «—»."""
    *_, on_time, late, overdue, in_progress, total, rate = row
    rate_text = "—" if rate is None else f"{rate}".replace(".", ",") + " %"
    return [str(v) for v in (on_time, late, overdue, in_progress, total)] + [rate_text]


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/office/login/" in response["Location"]


def test_index_lists_the_report(scenario, as_user):
    response = as_user(scenario.a1).get(reverse("reports:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/office/reports/execution/"' in html
    assert "Виконавська дисципліна" in html


def test_default_is_the_current_month(scenario, as_user):
    response = as_user(scenario.head).get(URL)
    assert response.status_code == 200
    start, end = period_range(PeriodPreset.MONTH, timezone.localdate())
    html = response.content.decode()
    assert f'value="{start:%d.%m.%Y}"' in html
    assert f'value="{end:%d.%m.%Y}"' in html
    assert '<option value="month" selected>' in html


def test_table_shows_the_hand_counted_figures(scenario, as_user):
    response = as_user(scenario.controller).get(URL, MARCH)
    assert response.status_code == 200
    rows = table_rows(response.content.decode())
    header, body = rows[0], rows[1:]
    assert header[:7] == ["Підрозділ / виконавець", "Виконано вчасно", "Виконано із запізненням", "Прострочено",
                          "На виконанні", "Усього", "Виконавська дисципліна"]
    assert len(body) == len(EXPECTED_ROWS)
    for got, expected in zip(body, EXPECTED_ROWS, strict=True):
        label = expected[1] if expected[1] not in ("Разом по підрозділу", "") else expected[0]
        assert got[0].startswith(label), (got, expected)
        assert got[1:7] == shown(expected), (got, expected)


def test_page_has_accessible_table_and_chart(scenario, as_user):
    html = as_user(scenario.head).get(URL, MARCH).content.decode()
    assert "<caption>" in html
    assert '<th scope="col" class="num">Прострочено</th>' in html
    assert html.count('scope="rowgroup"') == 4
    assert html.count('<th scope="row" class="report-person') == 7
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    assert '<title id="chart-title">' in html
    assert len(re.findall(r'<rect class="chart__seg chart__seg--overdue"', html)) == 3  # A, A1 and B
    assert " style=" not in html and "<style" not in html  # CSP: no inline styles
    # Numbers in the SVG are not localised (a decimal comma would break the attributes).
    svg = html[html.index("<svg class=\"chart\""):html.index("</svg>")]
    assert not re.search(r'(x|y|width)="\d+,\d', svg)


def test_rows_link_to_the_control_board(scenario, as_user):
    html = as_user(scenario.head).get(URL, MARCH).content.decode()
    assert f'href="/office/work/control/?unit={scenario.unit_a.pk}"' in html
    assert f'href="/office/work/control/?person={scenario.b1.pk}"' in html


def test_export_links_carry_the_filter(scenario, as_user):
    html = as_user(scenario.head).get(URL, {**MARCH, "levels": "top", "responsible_only": "on"}).content.decode()
    assert '<option value="top" selected>' in html  # the form keeps what was chosen
    assert re.search(r'<input type="checkbox" name="responsible_only"[^>]* checked', html)
    match = re.search(r'href="/office/reports/execution\.xlsx\?([^"]+)"', html)
    assert match
    query = match.group(1).replace("&amp;", "&")
    assert f"org={scenario.org.pk}" in query
    assert "date_from=01.03.2025" in query and "date_to=31.03.2025" in query and "levels=top" in query
    assert "responsible_only=on" in query


def test_unit_head_sees_only_their_subtree(scenario, as_user):
    response = as_user(scenario.head_a).get(URL, MARCH)
    html = response.content.decode()
    assert "Відділ освіти" not in html and "Дорошенко" not in html and "Гнатюк Василь" not in html
    total = table_rows(html)[-1]
    assert total[1:5] == [str(v) for v in EXPECTED_UNIT_A_TOTAL]


def test_unit_head_cannot_pick_another_unit(scenario, as_user):
    response = as_user(scenario.head_a).get(URL, {**MARCH, "unit": str(scenario.unit_b.pk)})
    assert response.status_code == 400
    assert "Оберіть підрозділ зі списку." in response.content.decode()


def test_executor_cannot_pick_another_person(scenario, as_user):
    response = as_user(scenario.b2).get(URL, {**MARCH, "person": str(scenario.b1.pk)})
    assert response.status_code == 400
    assert "Оберіть виконавця зі списку." in response.content.decode()
    own = as_user(scenario.b2).get(URL, MARCH).content.decode()
    assert "Дорошенко" not in own and "Єременко Євген" in own
    assert 'name="unit"' not in own  # nothing to choose from


def test_outsider_gets_404(scenario, as_user):
    outsider = EmployeeFactory(roles=["head"]).user
    client = as_user(outsider)
    assert client.get(URL, {"org": str(scenario.org.pk), **MARCH}).status_code == 404
    assert client.get(reverse("reports:execution-xlsx"), {"org": str(scenario.org.pk), **MARCH}).status_code == 404
    assert client.get(reverse("reports:execution-csv"), {"org": str(scenario.org.pk), **MARCH}).status_code == 404
    assert client.get(URL, {"org": "not-a-uuid"}).status_code == 404
    # In their own organisation they see an empty report, never the other one's people.
    own = client.get(URL, MARCH)
    assert own.status_code == 200
    assert "Антоненко" not in own.content.decode()


def test_user_without_any_appointment_gets_404(db, as_user):
    client = as_user(UserFactory())
    assert client.get(URL).status_code == 404
    assert client.get(reverse("reports:index")).status_code == 200


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"period": "custom", "date_from": "32.13.2025", "date_to": "31.03.2025"}, "date_from",
     "Введіть дату у форматі ДД.ММ.РРРР"),
    ({"period": "custom", "date_from": "01.04.2025", "date_to": "01.03.2025"}, "date_to",
     "Кінцева дата раніша за початкову."),
    ({"period": "custom", "date_from": "", "date_to": "31.03.2025"}, "date_from", "Вкажіть початок періоду."),
    ({"period": "custom", "date_from": "01.03.2025", "date_to": ""}, "date_to", "Вкажіть кінець періоду."),
    ({"period": "custom", "date_from": "01.01.2999", "date_to": "31.01.2999"}, "date_from", "Перевірте рік"),
    ({"period": "custom", "date_from": "01.01.1990", "date_to": "31.12.2024"}, "date_to", "Період задовгий"),
    ({"period": "decade"}, "period", "Оберіть період зі списку."),
    ({"levels": "deepest"}, "levels", "Оберіть рівні доручень зі списку."),
])
def test_bad_filter_input(scenario, as_user, params, field, message):
    response = as_user(scenario.head).get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert 'id="error-summary"' in html
    for key in ("date_from", "date_to"):  # what the user typed is kept
        if params.get(key):
            assert f'value="{params[key]}"' in html
    assert "report-table" not in html


def test_a_period_that_has_not_started(scenario, as_user):
    start = timezone.localdate() + dt.timedelta(days=3)
    params = {"period": "custom", "date_from": f"{start:%d.%m.%Y}", "date_to": f"{start:%d.%m.%Y}"}
    response = as_user(scenario.head).get(URL, params)
    assert response.status_code == 400
    assert "Період ще не розпочався: початок не може бути пізніше за сьогодні." in response.content.decode()


def test_typed_dates_turn_a_preset_into_a_custom_period(scenario, as_user):
    dates = {"date_from": MARCH["date_from"], "date_to": MARCH["date_to"]}
    response = as_user(scenario.head).get(URL, {"period": "month", **dates})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="custom" selected>' in html
    assert table_rows(html)[-1][1:5] == ["6", "4", "5", "3"]


def test_export_with_bad_input_shows_the_form(scenario, as_user):
    response = as_user(scenario.head).get(reverse("reports:execution-csv"), {"period": "custom", "date_from": "x"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Введіть дату у форматі ДД.ММ.РРРР" in response.content.decode()
