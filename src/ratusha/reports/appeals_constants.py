"""Appeals statistics (issue 4 item 9; docs/legal.md §3 «Reports: quarterly and half-yearly statistics by every
classifier dimension and by outcome»): period presets, the totals and what each of them counts.

The definitions are the single source for the page's help text, the XLSX «Визначення» sheet and the
aggregation in ``reports.appeals_selectors``.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusha.reports.constants import PeriodPreset
from ratusha.reports.periods import period_range


class AppealsPeriod(models.TextChoices):
    """The statistics are reported by quarter and half-year (Classifier 858 reporting); year and custom too."""

    QUARTER = PeriodPreset.QUARTER.value, _("Поточний квартал")
    PREV_QUARTER = PeriodPreset.PREV_QUARTER.value, _("Попередній квартал")
    HALF = PeriodPreset.HALF.value, _("Поточне півріччя")
    PREV_HALF = "prev_half", _("Попереднє півріччя")
    YEAR = PeriodPreset.YEAR.value, _("Поточний рік")
    PREV_YEAR = "prev_year", _("Попередній рік")
    CUSTOM = PeriodPreset.CUSTOM.value, _("Довільний період")


DEFAULT_APPEALS_PERIOD = AppealsPeriod.QUARTER


def appeals_period_range(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """[first day, last day] of a preset; the ones the execution report has come from ``period_range``."""
    if preset == AppealsPeriod.PREV_HALF:
        if today.month <= 6:
            return dt.date(today.year - 1, 7, 1), dt.date(today.year - 1, 12, 31)
        return dt.date(today.year, 1, 1), dt.date(today.year, 6, 30)
    if preset == AppealsPeriod.PREV_YEAR:
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    if preset not in AppealsPeriod.values:
        raise ValueError(f"unknown appeals period preset {preset!r}")
    return period_range(preset, today)


class Total(models.TextChoices):
    """The totals of the report, in display order."""

    RECEIVED = "received", _("Надійшло")
    CONSIDERED = "considered", _("Розглянуто")
    LATE = "late", _("З них з порушенням строку")
    IN_WORK = "in_work", _("На розгляді")
    OVERDUE = "overdue", _("З них прострочено")
    PRIORITY = "priority", _("Пріоритетні категорії")


# What each total counts. Cohort: appeals of the organisation received (``received_date``) in the period
# and registered (not those still waiting online for registration); their state is today's.
DEFINITIONS: dict[str, str] = {
    Total.RECEIVED: _("Зареєстровані звернення, дата надходження яких припадає на період."),
    Total.CONSIDERED: _("З них ті, за якими ухвалено рішення: надано відповідь, повернуто заявникові (ст. 5), "
                        "надіслано за належністю (ст. 7), залишено без розгляду (ст. 8) або розгляд завершено."),
    Total.LATE: _("Розглянуті, рішення за якими ухвалено пізніше за встановлений термін."),
    Total.IN_WORK: _("Зареєстровані, але ще не розглянуті на день формування звіту."),
    Total.OVERDUE: _("Не розглянуті на день формування звіту, термін розгляду яких минув."),
    Total.PRIORITY: _("Звернення заявників пільгових категорій (ст. 22): першочерговий розгляд."),
}
CATEGORY_NOTE = _("Заявник може належати до кількох категорій: звернення враховано в кожній із них, тож сума "
                  "може перевищувати кількість звернень.")
LISTS_NOTE = _("Списки — станом на сьогодні: усі відкриті звернення організації незалежно від періоду, "
               "спершу пріоритетні.")

# The at-risk list: open appeals due within this many working days (the form lets the user choose).
DEFAULT_HORIZON = 3
MAX_HORIZON = 20
# Rows shown per list on the page and in the files (the count says how many there are in all).
LIST_LIMIT = 500
