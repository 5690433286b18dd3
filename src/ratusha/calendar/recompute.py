"""Recomputing stored deadlines after a calendar change (docs/legal.md §1).

Deadlines are computed when set and stored. Apps that store rule-based deadlines register a function
in their ``AppConfig.ready()``:

    from ratusha.calendar.recompute import register_recomputer
    register_recomputer("workflow", recompute_open_assignment_deadlines)

``fn(*, actor) -> int`` recomputes the *open* items with the current calendar and returns how many
deadlines changed. An administrator runs them all with ``calendar_recompute_open_deadlines``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import transaction

from ratusha.calendar.permissions import require_calendar_admin
from ratusha.core.audit import audit_log

Recomputer = Callable[..., int]

_registry: dict[str, Recomputer] = {}
_lock = threading.Lock()


def register_recomputer(name: str, fn: Recomputer) -> None:
    """Register (or replace, e.g. on a reload) the recomputer called ``name``."""
    if not name or not callable(fn):
        raise ValueError("a recomputer needs a name and a callable")
    with _lock:
        _registry[name] = fn


def unregister_recomputer(name: str) -> None:
    with _lock:
        _registry.pop(name, None)


def registered_recomputers() -> list[str]:
    with _lock:
        return sorted(_registry)


def calendar_recompute_open_deadlines(*, actor: Any) -> dict[str, int]:
    """Run every registered recomputer in one transaction; {name: number of deadlines changed}."""
    require_calendar_admin(actor)
    with _lock:
        recomputers = sorted(_registry.items())
    from ratusha.calendar.selectors import calendar_version

    results: dict[str, int] = {}
    with transaction.atomic():
        for name, fn in recomputers:
            results[name] = int(fn(actor=actor) or 0)
        audit_log(actor=actor, action="calendar.recompute", object_type="workcalendar.calendar",
                  object_id="calendar", object_repr="calendar",
                  params={"version": calendar_version(), "results": results})
    return results
