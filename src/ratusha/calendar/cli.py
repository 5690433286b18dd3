"""`ratusha deadline RULE START [--martial-law on|off] [--shift previous|next]` (docs/legal.md §8)."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TextIO

from django.utils.translation import gettext as _


def _rules_text() -> str:
    from ratusha.calendar.terms import RULES

    width = max(len(rule) for rule in RULES)
    return "\n".join(f"  {rule.ljust(width)}  {term.label}" for rule, term in RULES.items())


def _installation_configured() -> bool:
    """False on a database that was never migrated: then the default calendar is used."""
    from django.db import DatabaseError, connection

    try:
        return "workcalendar_calendarstate" in connection.introspection.table_names()
    except DatabaseError:
        return False


def format_deadline(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def run_deadline(rule: str, start: str, *, martial_law: str | None = None, shift: str | None = None,
                 out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print the deadline; 2 with a message (and the list of rules) on bad input."""
    from ratusha.calendar.parsing import StartError, parse_start
    from ratusha.calendar.terms import RULES, Shift, TermUnit, compute_term

    out = out or sys.stdout
    err = err or sys.stderr
    if rule not in RULES:
        print(_("Невідоме правило «%(rule)s». Доступні правила:") % {"rule": rule}, file=err)
        print(_rules_text(), file=err)
        return 2
    hours = RULES[rule].unit is TermUnit.HOURS
    try:
        value = parse_start(start)
    except StartError:
        if hours:
            print(_("Неправильна дата або час «%(start)s». Очікується РРРР-ММ-ДД або РРРР-ММ-ДДTГГ:ХХ[:СС]"
                    "[±ГГ:ХХ] (без зсуву — київський час), рік від 1991 до 2100.") % {"start": start}, file=err)
        else:
            print(_("Неправильна дата «%(start)s». Очікується РРРР-ММ-ДД, наприклад 2025-03-14, "
                    "рік від 1991 до 2100.") % {"start": start}, file=err)
        print(_("Доступні правила:"), file=err)
        print(_rules_text(), file=err)
        return 2
    flag = {"on": True, "off": False, None: None}[martial_law]
    if _installation_configured():
        from ratusha.calendar.selectors import deadline

        result = deadline(rule, value, martial_law=flag, shift=shift)
    else:
        from ratusha.calendar.selectors import DEFAULT_CONFIG
        from ratusha.calendar.terms import ALWAYS, NEVER, WorkCalendar

        periods = DEFAULT_CONFIG.periods if flag is None else (ALWAYS if flag else NEVER)
        term = RULES[rule]
        result = compute_term(term.unit, term.amount, value, WorkCalendar(periods=periods),
                              Shift(shift or DEFAULT_CONFIG.shift))
    print(format_deadline(result), file=out)
    return 0
