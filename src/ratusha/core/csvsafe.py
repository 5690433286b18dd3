"""Spreadsheet-safe exports: text that a spreadsheet would run as a formula is written as text.

A cell starting with «=», «+», «-», «@», a tab or a carriage return is taken by Excel and LibreOffice
as a formula (CSV injection, OWASP): a summary such as ``=HYPERLINK("http://…","…")`` typed into a
card or an appeal would run on the computer of whoever opens the export. Every CSV writer of Ratusha
goes through ``writer()``, which prefixes such *strings* with an apostrophe (shown by spreadsheets as
plain text); numbers stay numbers, a negative number included. Every XLSX goes through
``xlsx_strings_only()`` before it is saved, so no cell value becomes a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The value as a spreadsheet shows it as text: strings starting a formula get a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose every string cell is neutralised; ``convert`` (e.g. a decimal comma) runs after,
    so a number turned into text by it («-12,5») is not taken for a formula."""

    def __init__(self, stream: Any, convert: Callable[[Any], Any] | None = None, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)
        self._convert = convert or (lambda value: value)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([self._convert(neutralise(value)) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: Any, convert: Callable[[Any], Any] | None = None, **options: Any) -> SafeWriter:
    return SafeWriter(stream, convert, **options)


def xlsx_strings_only(workbook: Any) -> Any:
    """Keep every text cell of an openpyxl workbook text: openpyxl stores a string starting with «=» as a
    formula; our exports write no formulas, so each such cell is set back to a string (data type «s»)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return workbook
