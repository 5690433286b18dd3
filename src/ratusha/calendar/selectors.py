"""The installation's work calendar and deadlines, read from the database (cached per calendar version).

Other apps call these; all deadline arithmetic is in ``terms.py`` / ``days.py``:

    from ratusha.calendar.selectors import deadline
    due = deadline("appeal", received_on)               # a date
    due = deadline("info-request-urgent", received_at)  # a timestamp

The configuration (martial-law periods, overrides, shift, changed ⚠ terms) is cached in the Django cache
under the calendar's version number + a token that changes with every change, so several processes agree
as soon as a change commits; the built ``WorkCalendar`` objects are memoised per process.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from ratusha.calendar.constants import (
    CACHE_PREFIX,
    CACHE_SECONDS,
    DEFAULT_MARTIAL_LAW_BASIS,
    DEFAULT_MARTIAL_LAW_START,
)
from ratusha.calendar.terms import (
    ALWAYS,
    NEVER,
    RULES,
    Explanation,
    Override,
    Period,
    Shift,
    Term,
    TermUnit,
    WorkCalendar,
    compute_term,
    explain_term,
)
from ratusha.core.errors import ApplicationError


class UnknownRuleError(ApplicationError):
    code = "unknown_rule"


@dataclass(frozen=True)
class CalendarConfig:
    version: int
    stamp: str
    shift: str
    periods: tuple[Period, ...]
    overrides: tuple[Override, ...]
    term_amounts: dict[str, int] = field(default_factory=dict)


# Before any administrator's change (no CalendarState row): martial law from 15.03.2022, open end.
DEFAULT_CONFIG = CalendarConfig(version=0, stamp="default", shift=Shift.PREVIOUS.value,
                                periods=(Period(DEFAULT_MARTIAL_LAW_START),), overrides=())

_memo: dict[tuple[str, bool | None], WorkCalendar] = {}
_memo_lock = threading.Lock()


def _state_key() -> tuple[int, str] | None:
    from ratusha.calendar.models import CalendarState

    row = CalendarState.objects.filter(pk=1).values_list("version", "token").first()
    return (row[0], str(row[1])) if row else None


def _load_config() -> CalendarConfig | None:
    """Read everything; None if a change committed while reading (the caller retries)."""
    from ratusha.calendar.models import CalendarState, DayOverride, MartialLawPeriod

    state = CalendarState.objects.filter(pk=1).first()
    if state is None:
        return DEFAULT_CONFIG
    periods = tuple(Period(p.start, p.end) for p in MartialLawPeriod.objects.order_by("start"))
    overrides = tuple(Override(o.day, o.working, o.reason) for o in DayOverride.objects.order_by("day"))
    if _state_key() != (state.version, str(state.token)):
        return None
    amounts = {rule: int(n) for rule, n in (state.term_amounts or {}).items()
               if rule in RULES and RULES[rule].configurable}
    return CalendarConfig(state.version, str(state.token), state.shift, periods, overrides, amounts)


def calendar_config() -> CalendarConfig:
    """The current configuration (one small query when cached)."""
    key = _state_key()
    if key is None:
        return DEFAULT_CONFIG
    cache_key = f"{CACHE_PREFIX}:{key[0]}:{key[1]}"
    config = cache.get(cache_key)
    if isinstance(config, CalendarConfig):
        return config
    for _attempt in range(5):
        config = _load_config()
        if config is not None:
            break
    if config is None:  # changing under our feet five times in a row: read without caching
        from django.db import transaction

        with transaction.atomic():
            config = _load_config() or DEFAULT_CONFIG
        return config
    cache.set(f"{CACHE_PREFIX}:{config.version}:{config.stamp}", config, CACHE_SECONDS)
    return config


def calendar_version() -> int:
    key = _state_key()
    return key[0] if key else 0


def work_calendar(*, martial_law: bool | None = None) -> WorkCalendar:
    """The installation's calendar. ``martial_law``: None = the configured periods; True/False = martial
    law on/off for every date (``ratusha deadline --martial-law on|off``). Overrides apply in every mode."""
    config = calendar_config()
    memo_key = (config.stamp, martial_law)
    found = _memo.get(memo_key)
    if found is not None:
        return found
    periods = config.periods if martial_law is None else (ALWAYS if martial_law else NEVER)
    built = WorkCalendar(periods=periods, overrides=config.overrides)
    with _memo_lock:
        if len(_memo) > 24:
            _memo.clear()
        _memo[memo_key] = built
    return built


def default_shift() -> str:
    """The installation's last-day rule: ``previous`` (default) or ``next``."""
    return calendar_config().shift


def rule_names() -> list[str]:
    return list(RULES)


def rule_term(rule: str) -> Term:
    """The rule of docs/legal.md §8 with this installation's amount (⚠ rules may be changed by an administrator)."""
    term = RULES.get(rule)
    if term is None:
        raise UnknownRuleError(
            _("Невідоме правило «%(rule)s». Доступні правила: %(rules)s.") % {
                "rule": rule, "rules": ", ".join(RULES)}, field="rule")
    amount = calendar_config().term_amounts.get(rule)
    return term.with_amount(amount) if amount else term


def rule_terms() -> list[Term]:
    """All 13 rules, with this installation's amounts."""
    return [rule_term(rule) for rule in RULES]


def _shift(shift: str | None) -> Shift:
    return Shift(shift) if shift else Shift(default_shift())


def deadline(rule: str, start: dt.date | dt.datetime, *, martial_law: bool | None = None,
             shift: str | None = None) -> dt.date | dt.datetime:
    """The deadline of a §8 rule from ``start`` (the event: receipt, registration, session date)."""
    term = rule_term(rule)
    return compute_term(term.unit, term.amount, start, work_calendar(martial_law=martial_law), _shift(shift))


def deadline_explained(rule: str, start: dt.date | dt.datetime, *, martial_law: bool | None = None,
                       shift: str | None = None) -> Explanation:
    term = rule_term(rule)
    return explain_term(term.unit, term.amount, start, work_calendar(martial_law=martial_law), _shift(shift))


def term_deadline(unit: str, amount: int, start: dt.date | dt.datetime, *,
                  shift: str | None = None) -> dt.date | dt.datetime:
    """An ad-hoc term (e.g. a head's extension to 45 days): ``unit`` is a ``TermUnit`` value."""
    return compute_term(TermUnit(unit), amount, start, work_calendar(), _shift(shift))


def is_working_day(day: dt.date) -> bool:
    return work_calendar().is_working_day(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    return work_calendar().add_working_days(start, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return work_calendar().working_days_between(start, end)


# --- lists for the calendar page (any signed-in staff may read them) ---------------------------
def _require_signed_in(user: Any) -> None:
    from ratusha.core.errors import PermissionDeniedError

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDeniedError(_("Увійдіть, щоб переглянути календар."))


def martial_law_periods(*, user: Any) -> list[Any]:
    from ratusha.calendar.models import CalendarState, MartialLawPeriod

    _require_signed_in(user)
    if not CalendarState.objects.filter(pk=1).exists():
        # Not configured yet: show the default period (it is created by the first change).
        return [MartialLawPeriod(start=DEFAULT_MARTIAL_LAW_START, end=None, basis=str(DEFAULT_MARTIAL_LAW_BASIS),
                                 version=0)]
    return list(MartialLawPeriod.objects.order_by("start"))


def day_overrides(*, user: Any, year: int | None = None) -> list[Any]:
    from ratusha.calendar.models import DayOverride

    _require_signed_in(user)
    qs = DayOverride.objects.order_by("day")
    if year:
        qs = qs.filter(day__year=year)
    return list(qs)


def calendar_versions(*, user: Any, limit: int = 20) -> list[Any]:
    from ratusha.calendar.models import CalendarVersion

    _require_signed_in(user)
    return list(CalendarVersion.objects.select_related("actor").order_by("-number")[:limit])
