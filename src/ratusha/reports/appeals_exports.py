"""The appeals statistics as XLSX and CSV, with the shared helpers of ``reports.exports``.

XLSX: sheet «Статистика» (totals, then every dimension: row, count, share), «Прострочені», «Під загрозою»
(the lists), «Визначення». CSV (``kind="stats"``): one row per figure — section; row; count — so every
number of the page is there; CSV ``kind="lists"``: both lists with a «Список» column.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ratusha.reports.appeals_constants import CATEGORY_NOTE, DEFINITIONS, LISTS_NOTE, Total
from ratusha.reports.appeals_selectors import AppealsReport, ListItem
from ratusha.reports.exports import csv_bytes, sheet_heading, workbook_bytes


def describe_period(report: AppealsReport) -> str:
    return _("Період надходження: %(start)s – %(end)s; стан на %(today)s") % {
        "start": date_format(report.date_from, "d.m.Y"), "end": date_format(report.date_to, "d.m.Y"),
        "today": date_format(report.today, "d.m.Y")}


def title(report: AppealsReport) -> str:
    return _("Статистика звернень громадян: %(org)s") % {"org": report.organisation.name}


def filename(report: AppealsReport, extension: str, kind: str = "stats") -> str:
    stem = "appeals" if kind == "stats" else "appeals-lists"
    return f"{stem}-{report.organisation.code}-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}.{extension}"


def stat_headers() -> list[str]:
    return [_("Розділ"), _("Показник"), _("Кількість"), _("Частка, %")]


def stat_rows(report: AppealsReport) -> list[tuple[str, list[Any]]]:
    """(kind, [section, row, count, share]) — kind: "total", "row", or "sub" (an issue under its section)."""
    rows: list[tuple[str, list[Any]]] = []
    section = _("Підсумки")
    for _key, label, value in report.total_rows:
        rows.append(("total", [section, label, value, None]))
    received = report.received
    for dimension in report.dimensions:
        for row in dimension.rows:
            label = ("    " + row.label) if row.depth else row.label
            share = None if not received else round(row.count * 100 / received, 1)
            rows.append(("sub" if row.depth else "row", [dimension.title, label, row.count, share]))
    return rows


def list_headers() -> list[str]:
    return [_("Список"), _("Реєстраційний номер"), _("Надійшло"), _("Питання"), _("Термін розгляду"),
            _("Днів"), _("Пріоритетне"), _("Стан")]


def _list_row(kind: str, item: ListItem) -> list[Any]:
    return [kind, item.number or _("не зареєстровано"), item.received_date.strftime("%d.%m.%Y"), item.topic,
            item.deadline.strftime("%d.%m.%Y"), item.days, _("так") if item.priority else "", item.status]


def list_rows(report: AppealsReport) -> list[list[Any]]:
    overdue, at_risk = _("Прострочені"), _("Під загрозою")
    return ([_list_row(str(overdue), i) for i in report.overdue]
            + [_list_row(str(at_risk), i) for i in report.at_risk])


def render_csv(report: AppealsReport, kind: str = "stats") -> bytes:
    if kind == "lists":
        return csv_bytes([list_headers(), *list_rows(report)])
    # Shares as Decimal: the shared CSV writer prints them with a decimal comma («12,5»).
    return csv_bytes([stat_headers(), *[[*row[:3], None if row[3] is None else Decimal(str(row[3]))]
                                        for _kind, row in stat_rows(report)]])


def render_xlsx(report: AppealsReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    bold = Font(bold=True)
    sheet = workbook.active
    sheet.title = _("Статистика")[:31]
    header_row = sheet_heading(sheet, title=title(report), lines=[describe_period(report)], headers=stat_headers())
    for kind, (section, label, count, share) in stat_rows(report):
        sheet.append([section, label, count, None if share is None else share / 100])
        sheet.cell(sheet.max_row, 4).number_format = "0.0%"
        if kind == "total":
            for cell in sheet[sheet.max_row]:
                cell.font = bold
    for index, width in enumerate((34, 60, 12, 12), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)

    for name, items, count in ((_("Прострочені"), report.overdue, report.overdue_count),
                               (_("Під загрозою"), report.at_risk, report.at_risk_count)):
        lines = [str(LISTS_NOTE), _("Усього: %(n)s") % {"n": count}]
        if name == _("Під загрозою"):
            lines.append(_("Термін спливає до %(day)s (%(n)s роб. дн.)") % {
                "day": date_format(report.horizon_until, "d.m.Y"), "n": report.horizon})
        list_sheet = workbook.create_sheet(name[:31])
        sheet_heading(list_sheet, title=f"{name}: {report.organisation.name}", lines=lines,
                      headers=list_headers()[1:])
        for item in items:
            list_sheet.append(_list_row(name, item)[1:])
        for index, width in enumerate((22, 12, 50, 16, 8, 12, 24), start=1):
            list_sheet.column_dimensions[get_column_letter(index)].width = width

    notes = workbook.create_sheet(_("Визначення")[:31])
    notes.append([_("Показник"), _("Що враховано")])
    for cell in notes[1]:
        cell.font = bold
    for total in Total:
        notes.append([str(total.label), str(DEFINITIONS[total.value])])
    notes.append([_("Категорія заявника"), str(CATEGORY_NOTE)])
    notes.append([_("Списки"), str(LISTS_NOTE)])
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 100
    for row in notes.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(workbook)
