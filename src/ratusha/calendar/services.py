"""Changes of the work calendar. Each one locks the calendar state, bumps its version, writes a
``CalendarVersion`` row and an audit event in the same transaction (docs/legal.md §1: versioned and audited).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.calendar.constants import (
    DEFAULT_MARTIAL_LAW_BASIS,
    DEFAULT_MARTIAL_LAW_START,
    MAX_DAY,
    MIN_DAY,
    TERM_AMOUNT_MAX,
    TERM_AMOUNT_MIN,
)
from ratusha.calendar.models import CalendarState, CalendarVersion, DayOverride, MartialLawPeriod
from ratusha.calendar.permissions import require_calendar_admin
from ratusha.calendar.terms import RULES, Shift
from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError

BASIS_MAX = 500


class CalendarConflictError(ApplicationError):
    """Someone else changed the same thing since the form was opened."""

    code = "conflict"


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "…"


def _lock_state() -> CalendarState:
    """Lock the single state row; create it (with the default martial-law period) on first use."""
    state, created = CalendarState.objects.select_for_update().get_or_create(pk=1)
    if created and not MartialLawPeriod.objects.exists():
        MartialLawPeriod.objects.create(start=DEFAULT_MARTIAL_LAW_START, basis=str(DEFAULT_MARTIAL_LAW_BASIS))
    return state


def _bump(state: CalendarState, *, actor: Any, action: str, summary: str, changes: dict[str, Any],
          obj: Any = None) -> CalendarVersion:
    state.version += 1
    state.token = uuid.uuid4()
    state.save(update_fields=["version", "token", "shift", "term_amounts"])
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    changes = json.loads(json.dumps(changes, cls=DjangoJSONEncoder))
    version = CalendarVersion.objects.create(number=state.version, at=timezone.now(), actor=actor_obj,
                                             action=action, summary=summary[:500], changes=changes)
    params = {"version": state.version, **changes}
    if obj is not None:
        audit_log(actor=actor, action=action, obj=obj, params=params)
    else:
        audit_log(actor=actor, action=action, obj=version, params=params)
    return version


def _require_day(value: Any, *, field: str, required: bool = True) -> dt.date | None:
    if value is None or value == "":
        if required:
            raise ApplicationError(_("Вкажіть дату."), code="required", field=field)
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ApplicationError(_("Введіть дату у форматі ДД.ММ.РРРР."), code="invalid", field=field)
    if not MIN_DAY <= value <= MAX_DAY:
        raise ApplicationError(_("Дата має бути між %(min)s і %(max)s.") % {
            "min": _fmt(MIN_DAY), "max": _fmt(MAX_DAY)}, code="out_of_range", field=field)
    return value


def _require_text(value: str, *, field: str, message: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ApplicationError(message, code="required", field=field)
    if len(value) > BASIS_MAX:
        raise ApplicationError(_("Не більше ніж %(n)s символів.") % {"n": BASIS_MAX}, code="too_long", field=field)
    return value


# --- martial law ---------------------------------------------------------------------------------
def _check_period(start: Any, end: Any, basis: str, exclude: Any = None) -> tuple[dt.date, dt.date | None, str]:
    start = _require_day(start, field="start")
    end = _require_day(end, field="end", required=False)
    assert start is not None
    if end is not None and end < start:
        raise ApplicationError(_("Кінець не може бути раніше за початок."), code="invalid", field="end")
    basis = _require_text(basis, field="basis", message=_("Вкажіть підставу: указ, закон або рішення."))
    overlapping = MartialLawPeriod.objects.exclude(pk=exclude).filter(start__lte=end or MAX_DAY).exclude(
        end__lt=start).first()
    if overlapping is not None:
        raise ApplicationError(_("Період перетинається з уже внесеним: %(period)s.") % {"period": overlapping},
                               code="overlap", field="start")
    return start, end, basis


def martial_law_period_add(*, actor: Any, start: dt.date, end: dt.date | None = None,
                           basis: str) -> MartialLawPeriod:
    """Law 2136-IX art. 6 part 6: holidays inside the period are working days, no transfers."""
    require_calendar_admin(actor)
    with transaction.atomic():
        state = _lock_state()
        start, end, basis = _check_period(start, end, basis)
        period = MartialLawPeriod.objects.create(start=start, end=end, basis=basis)
        _bump(state, actor=actor, action="calendar.martial_law_add", obj=period,
              summary=_("Додано період воєнного стану %(period)s") % {"period": period},
              changes={"start": start, "end": end, "basis": basis})
    return period


def martial_law_period_update(*, actor: Any, period: MartialLawPeriod | uuid.UUID | str, start: dt.date,
                              end: dt.date | None, basis: str, version: int) -> MartialLawPeriod:
    """Change a period (typically: set the end when martial law is lifted). ``version`` is the one
    the form showed; if someone changed the period since, nothing is overwritten."""
    require_calendar_admin(actor)
    with transaction.atomic():
        state = _lock_state()
        locked = MartialLawPeriod.objects.select_for_update().filter(pk=getattr(period, "pk", period)).first()
        if locked is None:
            raise CalendarConflictError(_("Цей період уже вилучено."))
        if locked.version != version:
            raise CalendarConflictError(_("Період щойно змінив інший користувач. Перегляньте його й повторіть."))
        start, end, basis = _check_period(start, end, basis, exclude=locked.pk)
        before = {"start": locked.start, "end": locked.end, "basis": locked.basis}
        locked.start, locked.end, locked.basis = start, end, basis
        locked.version += 1
        locked.save()
        _bump(state, actor=actor, action="calendar.martial_law_update", obj=locked,
              summary=_("Змінено період воєнного стану: %(period)s") % {"period": locked},
              changes={"before": before, "after": {"start": start, "end": end, "basis": basis}})
    return locked


def martial_law_period_remove(*, actor: Any, period: MartialLawPeriod | uuid.UUID | str) -> None:
    require_calendar_admin(actor)
    with transaction.atomic():
        state = _lock_state()
        locked = MartialLawPeriod.objects.select_for_update().filter(pk=getattr(period, "pk", period)).first()
        if locked is None:
            raise CalendarConflictError(_("Цей період уже вилучено."))
        description = str(locked)
        changes = {"start": locked.start, "end": locked.end, "basis": locked.basis}
        pk = str(locked.pk)
        locked.delete()
        _bump(state, actor=actor, action="calendar.martial_law_remove",
              summary=_("Вилучено період воєнного стану %(period)s") % {"period": description},
              changes={"id": pk, **changes})


# --- single days -----------------------------------------------------------------------------------
def day_override_add(*, actor: Any, day: dt.date, working: bool, reason: str) -> DayOverride:
    """A local decision: this day is a working day (``working=True``) or a day off."""
    require_calendar_admin(actor)
    if not isinstance(working, bool):
        raise ApplicationError(_("Оберіть, робочий це день чи неробочий."), code="required", field="working")
    with transaction.atomic():
        state = _lock_state()
        day = _require_day(day, field="day")
        assert day is not None
        reason = _require_text(reason, field="reason", message=_("Вкажіть підставу — рішення або розпорядження."))
        existing = DayOverride.objects.filter(day=day).first()
        if existing is not None:
            raise ApplicationError(
                _("Для %(day)s уже є зміна (%(reason)s). Вилучіть її, щоб внести іншу.") % {
                    "day": _fmt(day), "reason": existing.reason}, code="exists", field="day")
        override = DayOverride.objects.create(day=day, working=working, reason=reason)
        summary = (_("%(day)s — робочий день: %(reason)s") if working
                   else _("%(day)s — неробочий день: %(reason)s")) % {"day": _fmt(day), "reason": reason}
        _bump(state, actor=actor, action="calendar.override_add", obj=override, summary=summary,
              changes={"day": day, "working": working, "reason": reason})
    return override


def day_override_remove(*, actor: Any, override: DayOverride | uuid.UUID | str) -> None:
    require_calendar_admin(actor)
    with transaction.atomic():
        state = _lock_state()
        locked = DayOverride.objects.select_for_update().filter(pk=getattr(override, "pk", override)).first()
        if locked is None:
            raise CalendarConflictError(_("Цю зміну вже вилучено."))
        changes = {"id": str(locked.pk), "day": locked.day, "working": locked.working, "reason": locked.reason}
        locked.delete()
        _bump(state, actor=actor, action="calendar.override_remove",
              summary=_("Вилучено зміну дня %(day)s") % {"day": _fmt(changes["day"])}, changes=changes)


# --- settings ----------------------------------------------------------------------------------------
def _check_version(state: CalendarState, expected_version: int | None) -> None:
    if expected_version is not None and state.version != expected_version:
        raise CalendarConflictError(
            _("Календар щойно змінив інший користувач (версія %(v)s). Перегляньте зміни й повторіть.")
            % {"v": state.version})


def calendar_shift_set(*, actor: Any, shift: str, expected_version: int | None = None) -> CalendarState:
    """Where a last day on a non-working day goes: ``previous`` (record-keeping rule, default) or
    ``next`` (Civil Code art. 254 part 5)."""
    require_calendar_admin(actor)
    if shift not in (Shift.PREVIOUS, Shift.NEXT):
        raise ApplicationError(_("Оберіть значення зі списку."), code="invalid_choice", field="shift")
    with transaction.atomic():
        state = _lock_state()
        _check_version(state, expected_version)
        if state.shift == shift:
            return state
        before, state.shift = state.shift, str(shift)
        summary = (_("Останній неробочий день строку переноситься на наступний робочий день")
                   if shift == Shift.NEXT else
                   _("Останній неробочий день строку переноситься на попередній робочий день"))
        _bump(state, actor=actor, action="calendar.shift_set", summary=summary,
              changes={"before": before, "after": str(shift)})
    return state


def calendar_terms_set(*, actor: Any, amounts: dict[str, int | None],
                       expected_version: int | None = None) -> CalendarState:
    """Change ⚠ terms of docs/legal.md (settings with a default): {rule: amount}; ``None`` restores the
    default. One version for the whole change; rules not in ``amounts`` stay as they are."""
    require_calendar_admin(actor)
    for rule, amount in amounts.items():
        term = RULES.get(rule)
        if term is None or not term.configurable:
            raise ApplicationError(_("Цей строк установлено законом, його не можна змінити."),
                                   code="not_configurable", field=rule)
        if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)
                                   or not TERM_AMOUNT_MIN <= amount <= TERM_AMOUNT_MAX):
            raise ApplicationError(_("Строк — ціле число від %(min)s до %(max)s.") % {
                "min": TERM_AMOUNT_MIN, "max": TERM_AMOUNT_MAX}, code="invalid", field=rule)
    with transaction.atomic():
        state = _lock_state()
        _check_version(state, expected_version)
        current = dict(state.term_amounts or {})
        changed: dict[str, dict[str, int]] = {}
        for rule, amount in amounts.items():
            default = RULES[rule].amount
            before = current.get(rule, default)
            after = default if amount is None else amount
            if after == default:
                current.pop(rule, None)
            else:
                current[rule] = after
            if before != after:
                changed[rule] = {"before": before, "after": after}
        if not changed:
            return state
        state.term_amounts = current
        summary = "; ".join(_("«%(label)s»: %(before)s → %(after)s") % {
            "label": RULES[rule].label, "before": c["before"], "after": c["after"]} for rule, c in changed.items())
        _bump(state, actor=actor, action="calendar.terms_set", summary=_("Змінено строки: %(list)s") % {
            "list": summary}, changes={"terms": changed})
    return state
