"""The execution-discipline report as XLSX (openpyxl) and CSV (UTF-8 with BOM, «;» for Ukrainian Excel).

``csv_bytes``, ``sheet_heading`` and ``workbook_bytes`` are shared with the appeals statistics
(``reports/appeals_exports.py``): one look for every report file.

Both carry the same columns and rows as the page's table: per unit a subtotal row (sub-units included)
followed by its people, then the total row.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ratusha.core import csvsafe
from ratusha.reports.constants import DEFINITIONS, Figure
from ratusha.reports.selectors import Counts, ExecutionReport

COLUMN_WIDTHS = (44, 36, 14, 16, 14, 14, 12, 16)


def headers() -> list[str]:
    return [_("Підрозділ"), _("Виконавець"), *[str(f.label) for f in Figure], _("Усього"),
            _("Виконавська дисципліна, %")]


def unit_label(group: Any) -> str:
    return group.unit.name if group.unit is not None else _("Без підрозділу")


def _numbers(counts: Counts) -> list[Any]:
    return [*counts.values, counts.total, counts.rate]


def _table(report: ExecutionReport) -> list[tuple[str, list[Any]]]:
    """(kind, row) in table order; kind is "unit" (a subtotal), "person" or "total"."""
    rows: list[tuple[str, list[Any]]] = []
    for group in report.groups:
        name = unit_label(group)
        rows.append(("unit", [name, _("Разом по підрозділу"), *_numbers(group.subtotal)]))
        rows.extend(("person", [name, person.user.full_name, *_numbers(person.counts)]) for person in group.rows)
    rows.append(("total", [_("Разом"), "", *_numbers(report.total)]))
    return rows


def export_rows(report: ExecutionReport) -> list[list[Any]]:
    """Rows of the table: [unit, person or «Разом по підрозділу», 4 figures, total, rate or None]."""
    return [row for _kind, row in _table(report)]


def describe_period(report: ExecutionReport) -> str:
    text = _("Період: %(start)s – %(end)s") % {"start": date_format(report.date_from, "d.m.Y"),
                                              "end": date_format(report.date_to, "d.m.Y")}
    if report.as_of < report.date_to:
        text += "; " + _("станом на %(day)s") % {"day": date_format(report.as_of, "d.m.Y")}
    return text


def describe_filters(report: ExecutionReport) -> str:
    parts = []
    if report.unit is not None:
        parts.append(_("підрозділ: %(unit)s (з підпорядкованими)") % {"unit": report.unit.name})
    if report.person is not None:
        parts.append(_("виконавець: %(person)s") % {"person": report.person.full_name})
    parts.append(_("лише доручення першого рівня") if report.top_level_only else _("усі рівні доручень"))
    if report.responsible_only:
        parts.append(_("лише відповідальні виконавці"))
    return "; ".join(parts)


def filename(report: ExecutionReport, extension: str) -> str:
    return (f"execution-{report.organisation.code}-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}"
            f".{extension}")


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")  # Ukrainian Excel reads «85,7» as a number
    return value


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """Rows as CSV for Ukrainian Excel: UTF-8 with BOM, «;», CRLF, decimal commas, None as empty."""
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer, convert=_csv_value, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_csv(report: ExecutionReport) -> bytes:
    return csv_bytes([headers(), *export_rows(report)])


def sheet_heading(sheet: Any, *, title: str, lines: Iterable[str], headers: list[str]) -> int:
    """A report sheet's top: the bold title and description lines (merged across the table), a blank
    row, then the styled header row. Returns the header row's number."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    columns = max(1, len(headers))
    texts = [title, *lines]
    for text in texts:
        sheet.append([text])
        if columns > 1:
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=columns)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(headers)
    header_row = sheet.max_row
    thin = Side(style="thin", color="8A94A6")
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="E8EFFB")
        cell.border = Border(bottom=thin)
    return header_row


def workbook_bytes(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    csvsafe.xlsx_strings_only(workbook).save(buffer)
    return buffer.getvalue()


def render_xlsx(report: ExecutionReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Виконавська дисципліна")[:31]
    columns = len(headers())
    header_row = sheet_heading(sheet, title=_("Виконавська дисципліна: %(org)s") % {"org": report.organisation.name},
                               lines=[describe_period(report), describe_filters(report)], headers=headers())
    bold = Font(bold=True)
    for kind, row in _table(report):
        *head, rate = row
        # The rate as a fraction formatted «0.0%»: a number Excel can compute with.
        sheet.append([*head, None if rate is None else float(rate) / 100])
        excel_row = sheet.max_row
        sheet.cell(excel_row, columns).number_format = "0.0%"
        if kind != "person":
            for cell in sheet[excel_row]:
                cell.font = bold
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 3)

    notes = workbook.create_sheet(_("Визначення")[:31])
    notes.append([_("Показник"), _("Що враховано")])
    for cell in notes[1]:
        cell.font = bold
    labels = {**{f.value: str(f.label) for f in Figure}, "rate": _("Виконавська дисципліна, %")}
    for key, text in DEFINITIONS.items():
        notes.append([labels[key], str(text)])
    notes.append(["", _("Скасовані доручення не враховуються.")])
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 100
    for row in notes.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(workbook)
