"""Report periods: the date ranges of the presets (calendar months, quarters, half-years, years).

These are plain calendar boundaries, not statutory terms, so they do not go through ``ratusha.calendar``.
"""

from __future__ import annotations

import datetime as dt

from ratusha.reports.constants import PeriodPreset


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _months(year: int, first_month: int, count: int) -> tuple[dt.date, dt.date]:
    last_month = first_month + count - 1
    return dt.date(year, first_month, 1), _month_end(year, last_month)


def period_range(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """[first day, last day] of the preset period that contains (or precedes) ``today``.

    ``PeriodPreset.CUSTOM`` has no range of its own: a ValueError, like any unknown preset.
    """
    year, month = today.year, today.month
    quarter_first = (month - 1) // 3 * 3 + 1
    if preset == PeriodPreset.MONTH:
        return _months(year, month, 1)
    if preset == PeriodPreset.PREV_MONTH:
        return _months(year, month - 1, 1) if month > 1 else _months(year - 1, 12, 1)
    if preset == PeriodPreset.QUARTER:
        return _months(year, quarter_first, 3)
    if preset == PeriodPreset.PREV_QUARTER:
        return _months(year, quarter_first - 3, 3) if quarter_first > 1 else _months(year - 1, 10, 3)
    if preset == PeriodPreset.HALF:
        return _months(year, 1 if month <= 6 else 7, 6)
    if preset == PeriodPreset.YEAR:
        return _months(year, 1, 12)
    raise ValueError(f"no fixed range for period preset {preset!r}")
