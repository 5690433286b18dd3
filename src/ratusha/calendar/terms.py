"""Statutory clocks — the one engine for every term (docs/legal.md §2, §8). Pure: no database.

    compute_deadline(RULES["appeal"], date(2025, 1, 31), calendar, Shift.PREVIOUS)  -> date(2025, 2, 28)

Counting (Civil Code art. 253–254):
- a term in days or months starts the day after the event (art. 253);
- calendar days: the last day is event date + N;
- months: the same day-number N months later, or that month's last day if it has no such day
  (art. 254 part 2);
- working days: the N-th working day after the event day;
- hours: the event timestamp + N hours (elapsed time; the result keeps START's UTC offset);
- working days before (draft publication, Law 890-IX): the N-th working day before the date, the date
  itself not counted;
- a calendar-day or month term whose last day is a non-working day moves to the preceding working day
  (the record-keeping rule, default) or to the following one (Civil Code art. 254 part 5) — ``Shift``.
  Never to the event day or before it: then the following working day is taken.
"""

from __future__ import annotations

import calendar as _pycal
import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from ratusha.calendar.days import (  # noqa: F401 - re-exported: the engine's public names
    ALWAYS,
    NEVER,
    DayInfo,
    DayKind,
    Override,
    Period,
    WorkCalendar,
)

KYIV = ZoneInfo("Europe/Kyiv")
ONE_DAY = dt.timedelta(days=1)


class TermUnit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"
    WORKING_DAYS = "working_days"
    HOURS = "hours"
    WORKING_DAYS_BEFORE = "working_days_before"


UNIT_LABELS = {
    TermUnit.CALENDAR_DAYS: _("календарних днів"),
    TermUnit.MONTHS: _("місяців"),
    TermUnit.WORKING_DAYS: _("робочих днів"),
    TermUnit.HOURS: _("годин"),
    TermUnit.WORKING_DAYS_BEFORE: _("робочих днів до дати"),
}
# The last-day rule (Civil Code art. 254 part 5) applies to these units only (docs/legal.md §2).
SHIFTED_UNITS = frozenset({TermUnit.CALENDAR_DAYS, TermUnit.MONTHS})


class Shift(StrEnum):
    PREVIOUS = "previous"   # record-keeping rule: executed no later than the working day before (default)
    NEXT = "next"           # Civil Code art. 254 part 5: the first working day after


SHIFT_LABELS = {
    Shift.PREVIOUS: _("на попередній робочий день"),
    Shift.NEXT: _("на наступний робочий день"),
}


@dataclass(frozen=True)
class Term:
    rule: str
    unit: TermUnit
    amount: int
    label: Any          # lazy gettext
    article: Any        # lazy gettext: the act and article
    configurable: bool = False  # ⚠ in docs/legal.md: a setting with this default (administrators change it)

    def with_amount(self, amount: int) -> Term:
        return replace(self, amount=amount)


def _term(rule: str, unit: TermUnit, amount: int, label: Any, article: Any, configurable: bool = False) -> Term:
    return Term(rule, unit, amount, label, article, configurable)


# docs/legal.md §8 — the 13 rules of `ratusha deadline`.
RULES: dict[str, Term] = {t.rule: t for t in (
    # Law 393/96-ВР "Про звернення громадян", art. 20: decided within one month of receipt.
    _term("appeal", TermUnit.MONTHS, 1, _("Звернення громадян — 1 місяць"),
          _("Закон № 393/96-ВР, ст. 20")),
    # Law 393/96-ВР art. 20: needing no extra study — without delay, no later than 15 days.
    _term("appeal-urgent", TermUnit.CALENDAR_DAYS, 15,
          _("Звернення, що не потребує додаткового вивчення — 15 днів"), _("Закон № 393/96-ВР, ст. 20")),
    # Law 393/96-ВР art. 20: an extended term, the total not over 45 days.
    _term("appeal-max", TermUnit.CALENDAR_DAYS, 45, _("Звернення — продовжений строк, не більше 45 днів"),
          _("Закон № 393/96-ВР, ст. 20")),
    # Law 393/96-ВР art. 5 (as amended by 577-VIII): returned with an explanation within 10 days.
    _term("appeal-return", TermUnit.CALENDAR_DAYS, 10,
          _("Повернення звернення, що не відповідає вимогам ст. 5 — 10 днів"), _("Закон № 393/96-ВР, ст. 5")),
    # Law 393/96-ВР art. 7 ⚠: forwarded to the competent body within 5 days.
    _term("appeal-forward", TermUnit.CALENDAR_DAYS, 5, _("Пересилання звернення за належністю — 5 днів"),
          _("Закон № 393/96-ВР, ст. 7"), configurable=True),
    # Law 393/96-ВР art. 23-1: considered no later than 10 working days from the start of consideration.
    _term("petition-answer", TermUnit.WORKING_DAYS, 10, _("Розгляд електронної петиції — 10 робочих днів"),
          _("Закон № 393/96-ВР, ст. 23-1")),
    # Law 2939-VI "Про доступ до публічної інформації", art. 20 part 1: 5 working days.
    _term("info-request", TermUnit.WORKING_DAYS, 5, _("Запит на інформацію — 5 робочих днів"),
          _("Закон № 2939-VI, ст. 20 ч. 1")),
    # Law 2939-VI art. 20 part 4: a large volume of information — extension to 20 working days.
    _term("info-request-extended", TermUnit.WORKING_DAYS, 20,
          _("Запит на інформацію — продовжений строк, 20 робочих днів"), _("Закон № 2939-VI, ст. 20 ч. 4")),
    # Law 2939-VI art. 20 part 2: life or liberty, environment, accidents… — 48 hours.
    _term("info-request-urgent", TermUnit.HOURS, 48,
          _("Запит на інформацію щодо захисту життя чи свободи особи — 48 годин"),
          _("Закон № 2939-VI, ст. 20 ч. 2")),
    # CMU No. 55 of 17.01.2018 / Minjust rules 1000/5 ⚠: no deadline set — 30 calendar days.
    _term("control-default", TermUnit.CALENDAR_DAYS, 30,
          _("Контроль виконання — строк не визначено, 30 днів"),
          _("Типова інструкція (ПКМУ № 55), правила № 1000/5"), configurable=True),
    # CMU No. 55 / rules 1000/5 ⚠: marked «Терміново» — 3 working days.
    _term("control-urgent", TermUnit.WORKING_DAYS, 3, _("Контроль виконання «Терміново» — 3 робочі дні"),
          _("Типова інструкція (ПКМУ № 55), правила № 1000/5"), configurable=True),
    # CMU No. 55 / rules 1000/5 ⚠: marked «Невідкладно» — 1 working day.
    _term("control-immediate", TermUnit.WORKING_DAYS, 1,
          _("Контроль виконання «Невідкладно» — 1 робочий день"),
          _("Типова інструкція (ПКМУ № 55), правила № 1000/5"), configurable=True),
    # Law 2939-VI art. 15 part 1 item 3 as amended by Law 890-IX of 15.09.2020: drafts of decisions are
    # published at least 10 working days before consideration; START is the session date.
    _term("draft-publication", TermUnit.WORKING_DAYS_BEFORE, 10,
          _("Оприлюднення проєкту рішення — не пізніше ніж за 10 робочих днів до розгляду"),
          _("Закон № 2939-VI, ст. 15; Закон № 890-IX")),
)}


# --- start values ------------------------------------------------------------------------------
def event_day(start: dt.date | dt.datetime) -> dt.date:
    """The calendar day of the event: an aware timestamp is read in Kyiv time, a naive one as is."""
    if isinstance(start, dt.datetime):
        return start.astimezone(KYIV).date() if start.tzinfo is not None else start.date()
    return start


def as_aware(start: dt.date | dt.datetime) -> dt.datetime:
    """A timestamp for an hour term: a date is its midnight and a naive timestamp is Kyiv time."""
    if not isinstance(start, dt.datetime):
        return dt.datetime.combine(start, dt.time(), KYIV)
    if start.tzinfo is None or start.utcoffset() is None:
        return start.replace(tzinfo=KYIV)
    return start


def add_months(day: dt.date, months: int) -> dt.date:
    """Civil Code art. 254 part 2: the same day-number, or the month's last day if it has none."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, _pycal.monthrange(year, month)[1]))


def add_hours(start: dt.date | dt.datetime, hours: int) -> dt.datetime:
    """Elapsed hours (correct across DST changes), shown in START's UTC offset."""
    aware = as_aware(start)
    offset = aware.utcoffset()
    assert offset is not None
    return (aware.astimezone(dt.UTC) + dt.timedelta(hours=hours)).astimezone(dt.timezone(offset))


# --- the engine --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Explanation:
    """How a deadline came out: for the calculator and for people who ask "why this day?"."""

    unit: TermUnit
    amount: int
    shift: Shift
    start: dt.date | dt.datetime
    event_day: dt.date
    nominal: dt.date | dt.datetime         # last day before the non-working-day rule
    deadline: dt.date | dt.datetime
    non_working: tuple[DayInfo, ...]        # non-working days inside the counted range
    moved_from: DayInfo | None = None       # the nominal last day, when the deadline was moved off it
    moved_forward_to_keep_after_event: bool = False

    @property
    def is_timestamp(self) -> bool:
        return isinstance(self.deadline, dt.datetime)

    @property
    def skips_non_working(self) -> bool:
        """Working-day terms pass over non-working days; calendar-day terms count them."""
        return self.unit in (TermUnit.WORKING_DAYS, TermUnit.WORKING_DAYS_BEFORE)


def _check(unit: TermUnit | str, amount: int) -> TermUnit:
    unit = TermUnit(unit)
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
        raise ValueError("a term is a positive whole number")
    return unit


def _shift_last_day(last: dt.date, event: dt.date, calendar: WorkCalendar, shift: Shift) -> tuple[dt.date, bool]:
    """Civil Code art. 254 part 5 / record-keeping rule: move a non-working last day. (day, forced-forward)"""
    if calendar.is_working_day(last):
        return last, False
    if Shift(shift) is Shift.NEXT:
        return calendar.next_working_day(last), False
    previous = calendar.previous_working_day(last)
    if previous > event:
        return previous, False
    # Moving back would reach the event day itself: the term cannot end before it starts.
    return calendar.next_working_day(last), True


def compute_term(unit: TermUnit | str, amount: int, start: dt.date | dt.datetime, calendar: WorkCalendar,
                 shift: Shift | str = Shift.PREVIOUS) -> dt.date | dt.datetime:
    """The deadline of an ad-hoc term (e.g. 45 calendar days); a date, or a timestamp for hours."""
    unit = _check(unit, amount)
    if unit is TermUnit.HOURS:
        return add_hours(start, amount)
    event = event_day(start)
    if unit is TermUnit.WORKING_DAYS:
        return calendar.add_working_days(event, amount)
    if unit is TermUnit.WORKING_DAYS_BEFORE:
        return calendar.subtract_working_days(event, amount)
    last = event + dt.timedelta(days=amount) if unit is TermUnit.CALENDAR_DAYS else add_months(event, amount)
    return _shift_last_day(last, event, calendar, Shift(shift))[0]


def compute_deadline(term: Term, start: dt.date | dt.datetime, calendar: WorkCalendar,
                     shift: Shift | str = Shift.PREVIOUS) -> dt.date | dt.datetime:
    """The deadline of a rule of §8 (pass ``RULES[name]`` or a term with an administrator's amount)."""
    return compute_term(term.unit, term.amount, start, calendar, shift)


def explain_term(unit: TermUnit | str, amount: int, start: dt.date | dt.datetime, calendar: WorkCalendar,
                 shift: Shift | str = Shift.PREVIOUS) -> Explanation:
    """``compute_term`` with its reasons: the non-working days met and why the last day moved."""
    unit = _check(unit, amount)
    shift = Shift(shift)
    event = event_day(start)
    if unit is TermUnit.HOURS:
        result = add_hours(start, amount)
        return Explanation(unit, amount, shift, start, event, result, result, ())
    if unit is TermUnit.WORKING_DAYS:
        result = calendar.add_working_days(event, amount)
        return Explanation(unit, amount, shift, start, event, result, result,
                           tuple(calendar.non_working_days(event + ONE_DAY, result)))
    if unit is TermUnit.WORKING_DAYS_BEFORE:
        result = calendar.subtract_working_days(event, amount)
        return Explanation(unit, amount, shift, start, event, result, result,
                           tuple(calendar.non_working_days(result, event - ONE_DAY)))
    last = event + dt.timedelta(days=amount) if unit is TermUnit.CALENDAR_DAYS else add_months(event, amount)
    result, forced = _shift_last_day(last, event, calendar, shift)
    moved = calendar.day_info(last) if result != last else None
    return Explanation(unit, amount, shift, start, event, last, result,
                       tuple(calendar.non_working_days(event + ONE_DAY, max(last, result))), moved, forced)


def explain_deadline(term: Term, start: dt.date | dt.datetime, calendar: WorkCalendar,
                     shift: Shift | str = Shift.PREVIOUS) -> Explanation:
    return explain_term(term.unit, term.amount, start, calendar, shift)
