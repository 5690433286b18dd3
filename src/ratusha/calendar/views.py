"""The calendar page: month grid, deadline calculator, and (for administrators) the calendar's settings.

Views translate HTTP to service/selector calls and back; they hold no rules.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ratusha.calendar import selectors
from ratusha.calendar import services as svc
from ratusha.calendar.constants import MAX_DAY, MIN_DAY
from ratusha.calendar.days import DAY_KIND_LABELS, DayKind
from ratusha.calendar.explain import explanation_context
from ratusha.calendar.forms import (
    CalculatorForm,
    OverrideForm,
    PeriodEditForm,
    PeriodForm,
    ShiftForm,
    TermsForm,
)
from ratusha.calendar.permissions import can_manage_calendar
from ratusha.calendar.recompute import calendar_recompute_open_deadlines, registered_recomputers
from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.formservice import form_saved

# Legend: every kind has a text symbol as well as a colour (WCAG 1.4.1: not colour alone).
KIND_SYMBOLS = {
    DayKind.WORKING: "",
    DayKind.WEEKEND: "",
    DayKind.HOLIDAY: "★",
    DayKind.TRANSFERRED: "↷",
    DayKind.MARTIAL_WORKING: "⚑",
    DayKind.OVERRIDE_WORKING: "✓",
    DayKind.OVERRIDE_NON_WORKING: "✕",
}
WEEKDAYS = [
    (gettext_lazy("Пн"), gettext_lazy("понеділок")), (gettext_lazy("Вт"), gettext_lazy("вівторок")),
    (gettext_lazy("Ср"), gettext_lazy("середа")), (gettext_lazy("Чт"), gettext_lazy("четвер")),
    (gettext_lazy("Пт"), gettext_lazy("пʼятниця")), (gettext_lazy("Сб"), gettext_lazy("субота")),
    (gettext_lazy("Нд"), gettext_lazy("неділя")),
]
ACTION_LABELS = {
    "calendar.initialise": gettext_lazy("Початкове налаштування"),
    "calendar.martial_law_add": gettext_lazy("Воєнний стан: новий період"),
    "calendar.martial_law_update": gettext_lazy("Воєнний стан: зміна періоду"),
    "calendar.martial_law_remove": gettext_lazy("Воєнний стан: період вилучено"),
    "calendar.override_add": gettext_lazy("Зміна дня"),
    "calendar.override_remove": gettext_lazy("Зміну дня вилучено"),
    "calendar.shift_set": gettext_lazy("Перенесення останнього дня"),
    "calendar.terms_set": gettext_lazy("Строки"),
}


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _month(value: str | None) -> dt.date:
    """``YYYY-MM`` → the first day of that month; anything else → this month."""
    try:
        year, month = (int(part) for part in (value or "").split("-", 1))
        first = dt.date(year, month, 1)
    except (TypeError, ValueError):
        return timezone.localdate().replace(day=1)
    if not MIN_DAY <= first <= MAX_DAY:
        return timezone.localdate().replace(day=1)
    return first


def _shift_month(first: dt.date, delta: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + delta
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_grid(first: dt.date) -> dict[str, Any]:
    calendar = selectors.work_calendar()
    today = timezone.localdate()
    days = calendar.month(first.year, first.month)
    cells: list[dict[str, Any] | None] = [None] * days[0].day.weekday()
    for info in days:
        cells.append({"info": info, "symbol": KIND_SYMBOLS[info.kind], "today": info.day == today,
                      "label": info.kind_label})
    cells += [None] * (-len(cells) % 7)
    special = [info for info in days if info.kind not in (DayKind.WORKING, DayKind.WEEKEND) or info.name]
    previous, following = _shift_month(first, -1), _shift_month(first, 1)
    return {
        "first": first,
        "weeks": [cells[i:i + 7] for i in range(0, len(cells), 7)],
        "special": [{"info": i, "symbol": KIND_SYMBOLS[i.kind]} for i in special],
        "martial": any(calendar.is_martial_law(i.day) for i in days),
        "working_count": sum(1 for i in days if i.working),
        "prev": previous if previous >= MIN_DAY.replace(day=1) else None,
        "next": following if following <= MAX_DAY else None,
        "this_month": today.replace(day=1),
    }


def _calculator(request: HttpRequest, terms: list[Any]) -> dict[str, Any]:
    if "rule" not in request.GET:
        return {"calc_form": CalculatorForm(terms=terms, initial={"start": timezone.localdate().strftime("%d.%m.%Y")})}
    form = CalculatorForm(request.GET, terms=terms)
    context: dict[str, Any] = {"calc_form": form, "calc_submitted": True}
    if form.is_valid():
        data = form.cleaned_data
        flag = {"on": True, "off": False}.get(data["martial_law"])
        try:
            expl = selectors.deadline_explained(data["rule"], data["start"], martial_law=flag,
                                                shift=data["shift"] or None)
        except (ApplicationError, ValueError, OverflowError) as exc:
            form.add_error("start" if not isinstance(exc, ApplicationError) else exc.field,
                           getattr(exc, "message", _("Строк не вдалося обчислити для цієї дати.")))
        else:
            context.update(explanation_context(expl, form.term, data["martial_law"]))
    return context


def _page(request: HttpRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    user = request.user
    manage = can_manage_calendar(user)
    config = selectors.calendar_config()
    terms = selectors.rule_terms()
    first = _month(request.GET.get("m") or request.POST.get("m"))
    periods = selectors.martial_law_periods(user=user)
    context: dict[str, Any] = {
        "can_manage": manage,
        "config": config,
        "month": _month_grid(first),
        "m": first.strftime("%Y-%m"),
        "weekdays": WEEKDAYS,
        "legend": [{"kind": k, "label": DAY_KIND_LABELS[k], "symbol": KIND_SYMBOLS[k]} for k in DayKind],
        "periods": periods,
        "overrides": selectors.day_overrides(user=user),
        "versions": [{"v": v, "title": ACTION_LABELS.get(v.action, v.action)}
                     for v in selectors.calendar_versions(user=user)],
        "terms": terms,
        "shift_label": dict(ShiftForm.base_fields["shift"].choices).get(config.shift, config.shift),
        "recomputers": registered_recomputers(),
        **_calculator(request, terms),
    }
    if manage:
        context.setdefault("period_form", PeriodForm(prefix="period"))
        context.setdefault("override_form", OverrideForm(prefix="override"))
        context.setdefault("shift_form", ShiftForm(prefix="shift", initial={
            "shift": config.shift, "expected_version": config.version}))
        context.setdefault("terms_form", TermsForm(prefix="terms", terms=terms,
                                                   initial={"expected_version": config.version}))
        edit_forms = extra.pop("edit_forms", {})
        context["period_rows"] = [
            {"period": p, "form": edit_forms.get(str(p.pk)) or PeriodEditForm(
                prefix="edit", auto_id=f"id_p{n}_%s",
                initial={"start": p.start, "end": p.end, "basis": p.basis, "version": p.version}),
             "open": str(p.pk) in edit_forms}
            for n, p in enumerate(periods) if p.version]
    context.update(extra)
    return render(request, "workcalendar/index.html", context, status=status)


@office_view
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if _is_htmx(request) and "rule" in request.GET:
        context = {"can_manage": can_manage_calendar(request.user),
                   **_calculator(request, selectors.rule_terms())}
        return render(request, "workcalendar/index.html#calc-result", context)
    return _page(request)


# --- administrators ----------------------------------------------------------------------------------
def _require_admin(request: HttpRequest) -> None:
    if not can_manage_calendar(request.user):
        raise PermissionDenied


def _done(request: HttpRequest, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    m = _month(request.POST.get("m")).strftime("%Y-%m")
    return redirect(f"{reverse('workcalendar:index')}?m={m}#{anchor}")


@office_view
@require_POST
def period_add(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = PeriodForm(request.POST, prefix="period")
    if form.is_valid() and form_saved(form, lambda: svc.martial_law_period_add(actor=request.user,
                                                                          **form.cleaned_data)):
        return _done(request, _("Період воєнного стану додано."), "martial-law")
    return _page(request, status=400, period_form=form, open_period_add=True)


@office_view
@require_POST
def period_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    _require_admin(request)
    form = PeriodEditForm(request.POST, prefix="edit", auto_id="id_pe_%s")
    data = form.cleaned_data if form.is_valid() else None
    if data is not None and form_saved(form, lambda: svc.martial_law_period_update(
            actor=request.user, period=pk, start=data["start"], end=data["end"], basis=data["basis"],
            version=data["version"])):
        return _done(request, _("Період воєнного стану змінено."), "martial-law")
    return _page(request, status=400, edit_forms={str(pk): form})


@office_view
@require_POST
def period_remove(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    _require_admin(request)
    try:
        svc.martial_law_period_remove(actor=request.user, period=pk)
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _page(request, status=409)
    return _done(request, _("Період воєнного стану вилучено."), "martial-law")


@office_view
@require_POST
def override_add(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = OverrideForm(request.POST, prefix="override")
    if form.is_valid() and form_saved(form, lambda: svc.day_override_add(actor=request.user, **form.cleaned_data)):
        return _done(request, _("Зміну дня внесено."), "overrides")
    return _page(request, status=400, override_form=form, open_override_add=True)


@office_view
@require_POST
def override_remove(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    _require_admin(request)
    try:
        svc.day_override_remove(actor=request.user, override=pk)
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _page(request, status=409)
    return _done(request, _("Зміну дня вилучено."), "overrides")


@office_view
@require_POST
def shift_set(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = ShiftForm(request.POST, prefix="shift")
    if form.is_valid() and form_saved(form, lambda: svc.calendar_shift_set(
            actor=request.user, shift=form.cleaned_data["shift"],
            expected_version=form.cleaned_data["expected_version"]), "shift"):
        return _done(request, _("Налаштування збережено."), "settings")
    return _page(request, status=400, shift_form=form)


@office_view
@require_POST
def terms_set(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = TermsForm(request.POST, prefix="terms", terms=selectors.rule_terms())
    if form.is_valid() and form_saved(form, lambda: svc.calendar_terms_set(
            actor=request.user, amounts=form.amounts(), expected_version=form.cleaned_data["expected_version"])):
        return _done(request, _("Строки збережено."), "settings")
    return _page(request, status=400, terms_form=form)


@office_view
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    try:
        results = calendar_recompute_open_deadlines(actor=request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _page(request, status=409)
    if not results:
        message = _("Перераховувати нічого: жоден модуль не зберігає строків, що залежать від календаря.")
    else:
        message = _("Відкриті строки перераховано: %(list)s.") % {
            "list": ", ".join(f"{name} — {count}" for name, count in results.items())}
    return _done(request, message, "recompute")
