"""Reports: period presets, report options and the definitions of the execution-discipline figures.

The definitions below are the single source for the page's help text, the XLSX «Визначення» sheet and
the aggregation in ``reports.selectors`` (issue 3 item 6; the execution control of docs/legal.md §6 —
CMU No. 55 of 17.01.2018: an assignment is executed on time when its execution mark is dated on or
before its deadline).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodPreset(models.TextChoices):
    """Report period shortcuts, counted from today. ``custom`` takes the typed dates."""

    MONTH = "month", _("Поточний місяць")
    PREV_MONTH = "prev_month", _("Попередній місяць")
    QUARTER = "quarter", _("Поточний квартал")
    PREV_QUARTER = "prev_quarter", _("Попередній квартал")
    HALF = "half", _("Поточне півріччя")
    YEAR = "year", _("Поточний рік")
    CUSTOM = "custom", _("Довільний період")


DEFAULT_PERIOD = PeriodPreset.MONTH


class Levels(models.TextChoices):
    ALL = "all", _("Усі рівні")
    TOP = "top", _("Лише першого рівня")


class Figure(models.TextChoices):
    """The four counts of the report, in table order (also the chart's segment order)."""

    ON_TIME = "on_time", _("Виконано вчасно")
    LATE = "late", _("Виконано із запізненням")
    OVERDUE = "overdue", _("Прострочено")
    IN_PROGRESS = "in_progress", _("На виконанні")


# What each figure counts. "Day of report" = the period's last day, or today if the period is not over.
# Cancelled assignments are never counted.
DEFINITIONS: dict[str, str] = {
    Figure.ON_TIME: _("Виконані доручення, дата виконання яких припадає на період і не пізніша за "
                      "термін виконання."),
    Figure.LATE: _("Виконані доручення, дата виконання яких припадає на період, але пізніша за "
                   "термін виконання."),
    Figure.OVERDUE: _("Доручення, не виконані на день звіту (останній день періоду або сьогодні, якщо "
                      "період ще триває), термін виконання яких минув до цього дня."),
    Figure.IN_PROGRESS: _("Доручення, видані не пізніше дня звіту і не виконані на цей день, термін "
                          "виконання яких ще не минув."),
    "rate": _("Виконавська дисципліна = виконано вчасно ÷ (виконано вчасно + із запізненням + "
              "прострочено) × 100 %. Доручення на виконанні до розрахунку не входять."),
}

# Longest period a report may cover (a guard against typos such as 01.01.0202).
MAX_PERIOD_DAYS = 366 * 5
