import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.reports.expected import EXPECTED_ROWS

MARCH = {"period": "custom", "date_from": "01.03.2025", "date_to": "31.03.2025"}
HEADERS = ["Підрозділ", "Виконавець", "Виконано вчасно", "Виконано із запізненням", "Прострочено",
           "На виконанні", "Усього", "Виконавська дисципліна, %"]


@pytest.fixture
def head_client(client, scenario):
    client.force_login(scenario.head)
    return client


def test_xlsx_equals_the_table(scenario, head_client):
    response = head_client.get(reverse("reports:execution-xlsx"), {"org": str(scenario.org.pk), **MARCH})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="execution-testivka-20250301-20250331.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet.title == "Виконавська дисципліна"
    assert sheet["A1"].value == "Виконавська дисципліна: Тестівська міська рада"
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "Період: 01.03.2025 – 31.03.2025"
    header = [cell.value for cell in sheet[5]]
    assert header == HEADERS
    assert all(cell.font.bold for cell in sheet[5])
    assert sheet.column_dimensions["A"].width >= 40
    data = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6)]
    assert len(data) == len(EXPECTED_ROWS)
    for got, expected in zip(data, EXPECTED_ROWS, strict=True):
        unit, who, *numbers, rate = expected
        assert got[0] == unit and (got[1] or "") == who
        assert got[2:7] == numbers
        assert all(type(value) is int for value in got[2:7])
        assert isinstance(got[7], (int, float))  # a number (0 % reads back as int 0)
        assert round(got[7] * 100, 1) == float(rate)
    assert sheet.cell(6, 8).number_format == "0.0%"
    assert sheet.cell(6, 1).font.bold  # subtotal rows are bold
    assert not sheet.cell(7, 1).font.bold
    notes = book.worksheets[1]
    assert notes.title == "Визначення"
    assert "Прострочено" in [row[0].value for row in notes.iter_rows()]


def test_csv_equals_the_table(scenario, head_client):
    response = head_client.get(reverse("reports:execution-csv"), {"org": str(scenario.org.pk), **MARCH})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('filename="execution-testivka-20250301-20250331.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 correctly
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADERS
    expected = [[unit, who, *[str(n) for n in numbers], "" if rate is None else str(rate).replace(".", ",")]
                for unit, who, *numbers, rate in EXPECTED_ROWS]
    assert rows[1:] == expected


def test_exports_respect_the_scope(scenario, client):
    client.force_login(scenario.head_a)
    response = client.get(reverse("reports:execution-csv"), {"org": str(scenario.org.pk), **MARCH})
    text = response.content.decode("utf-8-sig")
    assert "Відділ освіти" not in text and "Дорошенко" not in text
    assert text.splitlines()[-1] == "Разом;;4;3;4;2;13;36,4"


def test_empty_rate_is_an_empty_cell(scenario, head_client):
    response = head_client.get(reverse("reports:execution-csv"),
                               {"org": str(scenario.org.pk), "period": "custom", "date_from": "01.01.2024",
                                "date_to": "31.01.2024"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1:] == [["Разом", "", "0", "0", "0", "0", "0", ""]]


EVIL_UNIT = '=HYPERLINK("http://evil.example/","Відділ освіти")'


def _sheet_xml(content: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_names_that_look_like_formulas_are_written_as_text(scenario, head_client):
    from ratusha.orgs.models import Unit, User

    Unit.objects.filter(organisation=scenario.org, name="Відділ освіти").update(name=EVIL_UNIT)
    User.objects.filter(last_name="Дорошенко").update(last_name="@Дорошенко")
    query = {"org": str(scenario.org.pk), **MARCH}
    response = head_client.get(reverse("reports:execution-csv"), query)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert "'" + EVIL_UNIT in cells and any(c.startswith("'@Дорошенко") for c in cells)
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert all(c.lstrip("-").replace(",", "").isdigit() for row in rows[1:] for c in row[2:7])  # numbers stay
    book = head_client.get(reverse("reports:execution-xlsx"), query).content
    assert "<f>" not in _sheet_xml(book)
    values = [c.value for row in load_workbook(io.BytesIO(book)).worksheets[0].iter_rows() for c in row]
    assert EVIL_UNIT in values  # the text as it is, a string, not a formula
