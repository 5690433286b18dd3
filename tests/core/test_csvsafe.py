"""Spreadsheet-safe exports: the shared CSV writer and the XLSX guard (``ratusha.core.csvsafe``)."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from ratusha.core import csvsafe


@pytest.mark.parametrize(
    "text",
    ["=1+2", "+380", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil.example/","Натисніть")'],
)
def test_formula_starts_get_an_apostrophe(text):
    assert csvsafe.neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["Про бюджет", "", " =не на початку", "'=вже з апострофом", 5, -5, -2.5, Decimal("-12.5"), None]
)
def test_everything_else_stays_as_it_is(value):
    assert csvsafe.neutralise(value) == value


def test_the_writer_keeps_numbers_numeric_even_after_conversion():
    buffer = io.StringIO()
    writer = csvsafe.writer(
        buffer,
        convert=lambda v: str(v).replace(".", ",") if isinstance(v, Decimal) else v,
        delimiter=";",
        lineterminator="\n",
    )
    writer.writerows([["=cmd|' /C calc'!A0", -3, Decimal("-12.5"), "-5"]])
    assert buffer.getvalue() == "'=cmd|' /C calc'!A0;-3;-12,5;'-5\n"


def test_xlsx_text_that_looks_like_a_formula_stays_text():
    workbook = Workbook()
    workbook.active.append(['=HYPERLINK("http://evil.example/","x")', -7, "Звичайний текст"])
    buffer = io.BytesIO()
    csvsafe.xlsx_strings_only(workbook).save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    cells = list(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows(values_only=True))[0]
    assert cells == ('=HYPERLINK("http://evil.example/","x")', -7, "Звичайний текст")
