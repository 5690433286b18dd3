"""POST actions on an appeal page: each binds its form, calls one service, and on an error re-renders the
page with the form open and everything typed kept (status 400); on success it redirects back."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusha.appeals import forms as appeal_forms
from ratusha.appeals import selectors
from ratusha.appeals import services as svc
from ratusha.appeals.constants import AppealSign, NotConsideredGround, Outcome
from ratusha.appeals.views import render_appeal
from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError


def _back(appeal: Any, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("appeals:detail", args=[appeal.pk]) + (f"#{anchor}" if anchor else ""))


def _action(request: HttpRequest, pk: uuid.UUID, *, form_class: type, form_key: str, panel: str, prefix: str,
            call: Callable[[Any, dict[str, Any]], Any], success: Callable[[Any], str],
            form_kwargs: dict[str, Any] | None = None) -> HttpResponse:
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    form = form_class(request.POST, auto_id=f"id_{prefix}_%s", **(form_kwargs or {}))
    action_error = ""
    if form.is_valid():
        try:
            result = call(appeal, form.cleaned_data)
        except ApplicationError as exc:
            if exc.field in form.fields and exc.field != "version":
                form.add_error(exc.field, exc.message)
            else:  # not about one field (rights, status, a concurrent change): shown above the page
                action_error = exc.message
        else:
            messages.success(request, success(result))
            return _back(appeal)
    appeal.refresh_from_db()
    return render_appeal(request, appeal, status=400, open_panel=panel, action_error=action_error,
                         **{form_key: form})


def _version(data: dict[str, Any]) -> Any:
    return data.get("version")


@office_view
@require_POST
def register_submitted(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _action(
        request, pk, form_class=appeal_forms.RegisterSubmittedForm, form_key="register_form", panel="register",
        prefix="reg",
        call=lambda a, d: svc.appeal_register(actor=request.user, appeal=a, no_extra_study=d["no_extra_study"]),
        success=lambda a: _("Звернення зареєстровано: № %(index)s. Термін розгляду — до %(date)s.")
        % {"index": a.document.reg_index, "date": a.deadline.strftime("%d.%m.%Y")})


@office_view
@require_POST
def take_into_work(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    form = appeal_forms.VersionForm(request.POST)
    form.is_valid()
    try:
        svc.appeal_take_into_work(actor=request.user, appeal=appeal, expected_version=form.cleaned_data.get("version"))
    except ApplicationError as exc:
        appeal.refresh_from_db()
        return render_appeal(request, appeal, status=400, action_error=exc.message)
    messages.success(request, _("Звернення взято в роботу."))
    return _back(appeal)


@office_view
@require_POST
def code(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    return _action(
        request, pk, form_class=appeal_forms.CodingForm, form_key="coding_form", panel="code", prefix="code",
        form_kwargs={"appeal": appeal},
        call=lambda a, d: svc.appeal_code(actor=request.user, appeal=a, expected_version=_version(d),
                                          **_coding_values(d)),
        success=lambda a: _("Кодування звернення збережено."))


def _coding_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k != "version"}
    values["categories"] = list(values.get("categories") or [])
    values["sex"] = values.get("sex") or ""
    values["social_status"] = values.get("social_status") or ""
    values["settlement"] = values.get("settlement") or ""
    return values


@office_view
@require_POST
def sign(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _action(
        request, pk, form_class=appeal_forms.SignForm, form_key="sign_form", panel="sign", prefix="sign",
        call=lambda a, d: svc.appeal_sign_set(actor=request.user, appeal=a, sign=d["sign"],
                                              expected_version=_version(d)),
        success=lambda a: _("Ознаку надходження встановлено: %(sign)s.") % {"sign": AppealSign(a.sign).label})


@office_view
@require_POST
def sign_suggest(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    try:
        suggestion = svc.appeal_sign_suggest(actor=request.user, appeal=appeal)
    except ApplicationError as exc:
        return render_appeal(request, appeal, status=400, action_error=exc.message)
    messages.success(request, _("Перевірку ознаки виконано: %(sign)s.") % {"sign": AppealSign(suggestion.sign).label})
    return _back(appeal, "sign")


@office_view
@require_POST
def term(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _action(
        request, pk, form_class=appeal_forms.TermForm, form_key="term_form", panel="term", prefix="term",
        call=lambda a, d: svc.appeal_term_set(actor=request.user, appeal=a, no_extra_study=d["no_extra_study"],
                                              expected_version=_version(d)),
        success=lambda a: _("Строк розгляду: до %(date)s.") % {"date": a.deadline.strftime("%d.%m.%Y")})


@office_view
@require_POST
def return_(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _action(
        request, pk, form_class=appeal_forms.ReturnForm, form_key="return_form", panel="return", prefix="ret",
        call=lambda a, d: svc.appeal_return(actor=request.user, appeal=a, explanation=d["explanation"],
                                            expected_version=_version(d)),
        success=lambda a: _("Звернення повернуто заявникові з поясненням."))


@office_view
@require_POST
def forward(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _action(
        request, pk, form_class=appeal_forms.ForwardForm, form_key="forward_form", panel="forward", prefix="fwd",
        call=lambda a, d: svc.appeal_forward(actor=request.user, appeal=a, to_body=d["to_body"], reason=d["reason"],
                                             expected_version=_version(d)),
        success=lambda a: _("Звернення надіслано за належністю: %(body)s.") % {"body": a.forwarded_to})


@office_view
@require_POST
def not_consider(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _action(
        request, pk, form_class=appeal_forms.NotConsideredForm, form_key="not_considered_form", panel="not_consider",
        prefix="nc",
        call=lambda a, d: svc.appeal_not_consider(actor=request.user, appeal=a, ground=d["ground"], note=d["note"],
                                                  expected_version=_version(d)),
        success=lambda a: _("Звернення залишено без розгляду: %(ground)s.")
        % {"ground": NotConsideredGround(a.not_considered_ground).label})


@office_view
@require_POST
def extend(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _action(
        request, pk, form_class=appeal_forms.ExtendForm, form_key="extend_form", panel="extend", prefix="ext",
        call=lambda a, d: svc.appeal_extend(actor=request.user, appeal=a, new_deadline=d["new_deadline"],
                                            reason=d["reason"], expected_version=_version(d)),
        success=lambda a: _("Строк розгляду продовжено до %(date)s. Заявника повідомлено.")
        % {"date": a.deadline.strftime("%d.%m.%Y")})


@office_view
@require_POST
def close(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _action(
        request, pk, form_class=appeal_forms.CloseForm, form_key="close_form", panel="close", prefix="close",
        call=lambda a, d: svc.appeal_close(actor=request.user, appeal=a, outcome=d.get("outcome") or "",
                                           note=d.get("note") or "", expected_version=_version(d)),
        success=lambda a: _("Розгляд завершено. Результат: %(outcome)s.") % {"outcome": Outcome(a.outcome).label})



# --- Routing and the answer (workflow + approvals) ------------------------------------------------


def routing_context(request: HttpRequest, appeal: Any, forms: dict[str, Any]) -> dict[str, Any]:
    """The appeal page's «Розгляд» card: the resolutions on its card (links to the workflow pages), the
    route form for heads, «Підготувати відповідь», and the answer form once a linked answer is registered."""
    from ratusha.appeals.constants import AppealStatus
    from ratusha.appeals.services.answer import ANSWERABLE_STATUSES, can_send_answer
    from ratusha.appeals.services.routing import ROUTABLE_STATUSES, can_route
    from ratusha.workflow.models import Resolution

    user = request.user
    resolutions = []
    if appeal.document_id:
        resolutions = list(Resolution.objects.filter(document_id=appeal.document_id)
                           .select_related("author", "controller").prefetch_related("assignments__assignee")
                           .order_by("-created_at"))
        for resolution in resolutions:
            resolution.top_assignments = sorted(
                (a for a in resolution.assignments.all() if a.parent_id is None), key=lambda a: a.role != "responsible")
    routable = bool(appeal.document_id) and appeal.status in ROUTABLE_STATUSES
    may_route = routable and can_route(user, appeal)
    may_answer = bool(appeal.document_id) and appeal.status in ANSWERABLE_STATUSES and can_send_answer(user, appeal)
    candidates = svc.answer_candidates(user=user, appeal=appeal) if may_answer else None
    has_email = bool((appeal.email or "").strip())
    answer_shown = may_answer and candidates is not None and candidates.exists()
    answer_form = forms.get("answer_form")
    if may_answer and answer_form is None:
        first = candidates.first()
        answer_form = appeal_forms.AnswerForm(candidates=candidates, has_email=has_email, auto_id="id_ans_%s",
                                              initial={"version": appeal.version,
                                                       "answer_document": first.pk if first else None})
    extra: dict[str, Any] = {}
    for key, shown in (("route_form", may_route), ("answer_form", answer_shown)):
        form = forms.get(key)
        if form is not None and form.errors and not shown:  # its panel is not on the page: say it above
            extra["action_error"] = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return {
        **extra,
        "resolutions": resolutions,
        "may_route": may_route,
        "route_form": (forms.get("route_form") or appeal_forms.RouteForm(
            appeal=appeal, auto_id="id_route_%s", initial={"version": appeal.version, "on_control": True}))
        if may_route else None,
        "may_prepare_answer": may_answer,
        "may_answer": answer_shown,
        "answer_form": answer_form if may_answer else None,
        "answer_pending": appeal.status == AppealStatus.IN_WORK and not resolutions,
    }


@office_view
@require_POST
def route(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    return _action(
        request, pk, form_class=appeal_forms.RouteForm, form_key="route_form", panel="route", prefix="route",
        form_kwargs={"appeal": appeal},
        call=lambda a, d: svc.appeal_route(
            actor=request.user, appeal=a, text=d["text"], responsible=d.get("responsible_obj"),
            co_executors=d.get("co_executor_objs", []), on_control=d.get("on_control", False),
            controller=d.get("controller_obj"), expected_version=_version(d)),
        success=lambda r: _("Звернення направлено виконавцям (доручень: %(n)s), термін — до %(date)s.")
        % {"n": r.assignments.count(), "date": r.deadline.strftime("%d.%m.%Y")})


@office_view
@require_POST
def answer(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    candidates = svc.answer_candidates(user=request.user, appeal=appeal)
    return _action(
        request, pk, form_class=appeal_forms.AnswerForm, form_key="answer_form", panel="answer", prefix="ans",
        form_kwargs={"candidates": candidates, "has_email": bool((appeal.email or "").strip())},
        call=lambda a, d: svc.appeal_answer_send(
            actor=request.user, appeal=a, answer_document=d["answer_document"], outcome=d["outcome"],
            channel=d["channel"], note=d.get("note") or "", expected_version=_version(d)),
        success=lambda a: (_("Відповідь надіслано заявникові електронною поштою.") if a.answer_channel == "email"
                           else _("Відповідь позначено для надсилання поштою."))
        + " " + _("Результат розгляду: %(outcome)s.") % {"outcome": Outcome(a.outcome).label})
