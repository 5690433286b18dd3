"""Which days are working days — the pure work calendar (no database).

Sources (docs/legal.md §1):
- Saturdays and Sundays are days off (Labour Code art. 67 part 1, five-day week).
- Official holidays: Labour Code art. 73 as amended over the years, including the 2023 amendment
  (Law 3212-IX: Christmas only on 25 December; Statehood Day 15 July; Defenders' Day 1 October).
  The dates per year come from the ``holidays`` package (country UA), which encodes every version.
- A holiday falling on a Saturday or Sunday makes the next working day a day off
  (Labour Code art. 67 part 3).
- Martial law (Law 2136-IX of 15.03.2022, art. 6 part 6): arts. 67 (transfer) and 71–73 (holidays)
  do not apply — while martial law lasts, holidays are working days and nothing is transferred.
  Martial law is a date range set by an administrator, given to :class:`WorkCalendar` as ``periods``.
- Single days overridden by a local decision (``overrides``) win over all of the above.

``holidays`` itself drops UA holidays during martial law (it files them under its ``WORKDAY``
category); we take both of its categories without its own transfers and apply our own range and the
art. 67 transfer rule, so the same code gives the peacetime and the martial-law calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from types import MappingProxyType
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

ONE_DAY = dt.timedelta(days=1)
# Searching for a working day further than this means the calendar is broken (every day overridden
# as non-working); raise instead of looping forever.
MAX_SEARCH_DAYS = 3700


class DayKind(StrEnum):
    WORKING = "working"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"                   # official holiday, a day off (Labour Code art. 73)
    TRANSFERRED = "transferred"           # day off moved from a holiday on a weekend (art. 67 part 3)
    MARTIAL_WORKING = "martial_working"   # a holiday that is a working day under martial law
    OVERRIDE_WORKING = "override_working"
    OVERRIDE_NON_WORKING = "override_non_working"


DAY_KIND_LABELS: Mapping[DayKind, object] = MappingProxyType({
    DayKind.WORKING: gettext_lazy("Робочий день"),
    DayKind.WEEKEND: gettext_lazy("Вихідний"),
    DayKind.HOLIDAY: gettext_lazy("Святковий день"),
    DayKind.TRANSFERRED: gettext_lazy("Перенесений вихідний"),
    DayKind.MARTIAL_WORKING: gettext_lazy("Свято — робочий день (воєнний стан)"),
    DayKind.OVERRIDE_WORKING: gettext_lazy("Робочий за місцевим рішенням"),
    DayKind.OVERRIDE_NON_WORKING: gettext_lazy("Неробочий за місцевим рішенням"),
})
WORKING_KINDS = frozenset({DayKind.WORKING, DayKind.MARTIAL_WORKING, DayKind.OVERRIDE_WORKING})


@dataclass(frozen=True)
class DayInfo:
    day: dt.date
    kind: DayKind
    name: Any = ""  # str, or a lazy translation (rendered in the language of the request)

    @property
    def working(self) -> bool:
        return self.kind in WORKING_KINDS

    @property
    def kind_label(self) -> str:
        return str(DAY_KIND_LABELS[self.kind])


@dataclass(frozen=True)
class Override:
    """A single day made working or non-working by a local decision."""

    day: dt.date
    working: bool
    reason: str = ""


@dataclass(frozen=True)
class Period:
    """A martial-law period; ``end`` None = still in force (open end)."""

    start: dt.date
    end: dt.date | None = None

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day and (self.end is None or day <= self.end)


# `--martial-law on`: every date is under martial law; `off`: none is.
ALWAYS = (Period(dt.date.min),)
NEVER: tuple[Period, ...] = ()


@dataclass(frozen=True)
class _YearData:
    holidays: Mapping[dt.date, str]        # statutory holidays (art. 73), before any martial-law rule
    transfers: Mapping[dt.date, tuple[dt.date, str]]  # day off -> (its source date, name)
    worked_saturdays: Mapping[dt.date, dt.date]        # CMU-moved working Saturday -> the day off


_SUBSTITUTED = re.compile(r"\(перенесено з (\d{2})\.(\d{2})\.(\d{4})\)")


def _is_transfer_in_force(day: dt.date) -> bool:
    # Art. 67 part 3 transfers apply since 23.04.1999 (and 27.01.1995–09.01.1998); mirrors `holidays`.
    return dt.date(1995, 1, 27) <= day <= dt.date(1998, 1, 9) or day >= dt.date(1999, 4, 23)


@cache
def _year_data(year: int) -> _YearData:
    """The peacetime holidays of ``year``, the art. 67 transfers and the CMU-recommended swaps."""
    import holidays
    from holidays.constants import PUBLIC, WORKDAY

    official: dict[dt.date, str] = {}
    swapped_off: dict[dt.date, dt.date] = {}   # CMU day off -> the Saturday worked instead
    if year >= 1991:
        found = holidays.country_holidays("UA", years=year, categories=(PUBLIC, WORKDAY), observed=False,
                                          language="uk")
        for day, names in found.items():
            for name in names.split("; "):
                match = _SUBSTITUTED.search(name)
                if match:
                    swapped_off[day] = dt.date(int(match[3]), int(match[2]), int(match[1]))
                else:
                    official.setdefault(day, name)
    # Labour Code art. 67 part 3: a holiday on a Saturday or Sunday -> the next working day is off.
    transfers: dict[dt.date, tuple[dt.date, str]] = {}
    for day in sorted(official):
        if day.weekday() < 5 or not _is_transfer_in_force(day):
            continue
        target = day + ONE_DAY
        while target.weekday() >= 5 or target in official or target in transfers or target in swapped_off:
            target += ONE_DAY
        transfers[target] = (day, official[day])
    saturdays = {saturday: off for off, saturday in swapped_off.items()}
    return _YearData(MappingProxyType(official), MappingProxyType(transfers), MappingProxyType(saturdays))


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are non-working: weekends, holidays, transfers, martial law, local overrides.

    ``periods``: martial-law periods (``ALWAYS`` / ``NEVER`` for on/off everywhere);
    ``overrides``: single-day decisions, which win over everything else.
    """

    periods: tuple[Period, ...] = ()
    overrides: tuple[Override, ...] = ()
    _by_day: Mapping[dt.date, Override] = field(init=False, repr=False, compare=False, hash=False)
    _memo: dict[dt.date, DayInfo] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "periods", tuple(self.periods))
        object.__setattr__(self, "overrides", tuple(self.overrides))
        object.__setattr__(self, "_by_day", MappingProxyType({o.day: o for o in self.overrides}))
        object.__setattr__(self, "_memo", {})

    @classmethod
    def build(cls, *, periods: Iterable[Period] = (), overrides: Iterable[Override] = ()) -> WorkCalendar:
        return cls(periods=tuple(periods), overrides=tuple(overrides))

    # --- martial law ---------------------------------------------------------------------------
    def is_martial_law(self, day: dt.date) -> bool:
        return any(day in period for period in self.periods)

    # --- one day -------------------------------------------------------------------------------
    def day_info(self, day: dt.date) -> DayInfo:
        info = self._memo.get(day)
        if info is None:
            info = self._compute_day_info(day)
            if len(self._memo) > 200_000:
                self._memo.clear()
            self._memo[day] = info
        return info

    def _compute_day_info(self, day: dt.date) -> DayInfo:
        override = self._by_day.get(day)
        if override is not None:
            kind = DayKind.OVERRIDE_WORKING if override.working else DayKind.OVERRIDE_NON_WORKING
            return DayInfo(day, kind, override.reason)
        data = _year_data(day.year)
        holiday = data.holidays.get(day)
        martial = self.is_martial_law(day)
        if holiday is not None:
            if martial:  # Law 2136-IX art. 6 part 6: a holiday is a working day under martial law
                return DayInfo(day, DayKind.WEEKEND if day.weekday() >= 5 else DayKind.MARTIAL_WORKING, holiday)
            return DayInfo(day, DayKind.HOLIDAY, holiday)
        if day.weekday() >= 5:
            off = data.worked_saturdays.get(day)
            if off is not None and not martial and not self.is_martial_law(off):
                return DayInfo(day, DayKind.WORKING,
                               format_lazy(gettext_lazy("Робочий день (перенесено на {date})"),
                                           date=off.strftime("%d.%m.%Y")))
            return DayInfo(day, DayKind.WEEKEND)
        # A transfer may come from the previous year (a holiday on the last weekend of December).
        for source_data in (data, _year_data(day.year - 1)):
            transfer = source_data.transfers.get(day)
            if transfer is not None:
                source, name = transfer
                # Law 2136-IX art. 6 part 6: Labour Code art. 67 (transfer) does not apply.
                if not martial and not self.is_martial_law(source):
                    return DayInfo(day, DayKind.TRANSFERRED, format_lazy(
                        gettext_lazy("{name} (перенесено з {date})"), name=name, date=source.strftime("%d.%m.%Y")))
                return DayInfo(day, DayKind.WORKING)
        for source_data in (data, _year_data(day.year - 1), _year_data(day.year + 1)):
            saturday = next((s for s, off in source_data.worked_saturdays.items() if off == day), None)
            if saturday is not None:
                if not martial and not self.is_martial_law(saturday):
                    return DayInfo(day, DayKind.TRANSFERRED, format_lazy(
                        gettext_lazy("Вихідний день (перенесено з {date})"), date=saturday.strftime("%d.%m.%Y")))
                break
        return DayInfo(day, DayKind.WORKING)

    def is_working_day(self, day: dt.date) -> bool:
        return self.day_info(day).working

    # --- moving along the calendar -------------------------------------------------------------
    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        for _i in range(MAX_SEARCH_DAYS):
            if self.is_working_day(day):
                return day
            day += ONE_DAY
        raise ValueError("no working day found")

    def previous_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the last working day before it."""
        for _i in range(MAX_SEARCH_DAYS):
            if self.is_working_day(day):
                return day
            day -= ONE_DAY
        raise ValueError("no working day found")

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (``start`` itself not counted), n >= 1."""
        if n < 1:
            raise ValueError("n must be >= 1")
        day = start
        for _i in range(n):
            day = self.next_working_day(day + ONE_DAY)
        return day

    def subtract_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day before ``start`` (``start`` itself not counted), n >= 1."""
        if n < 1:
            raise ValueError("n must be >= 1")
        day = start
        for _i in range(n):
            day = self.previous_working_day(day - ONE_DAY)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Number of working days in (start, end]; 0 when end <= start."""
        count = 0
        day = start + ONE_DAY
        while day <= end:
            count += self.is_working_day(day)
            day += ONE_DAY
        return count

    def non_working_days(self, start: dt.date, end: dt.date) -> list[DayInfo]:
        """The non-working days in [start, end], in order."""
        out = []
        day = start
        while day <= end:
            info = self.day_info(day)
            if not info.working:
                out.append(info)
            day += ONE_DAY
        return out

    def month(self, year: int, month: int) -> list[DayInfo]:
        """Every day of a month, in order."""
        day = dt.date(year, month, 1)
        out = []
        while day.month == month:
            out.append(self.day_info(day))
            day += ONE_DAY
        return out
