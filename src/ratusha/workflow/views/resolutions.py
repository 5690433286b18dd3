"""The resolution form on a card, and the resolution page (its assignment tree, close and revoke)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError
from ratusha.registry.selectors import document_get
from ratusha.workflow import permissions as perms
from ratusha.workflow import selectors
from ratusha.workflow import services as svc
from ratusha.workflow.constants import DEADLINE_KIND_BY_URGENCY, RESOLVABLE_DOCUMENT_STATUSES, DeadlineKind
from ratusha.workflow.forms import CloseForm, ResolutionForm, RevokeForm
from ratusha.workflow.models import Resolution
from ratusha.workflow.views._common import apply_error


def _rule_deadlines(document: Any) -> dict[str, Any]:
    from ratusha.workflow.services.resolutions import rule_deadline

    return {
        kind: rule_deadline(kind, document.reg_date)
        for kind in DeadlineKind.values
        if kind != DeadlineKind.DATE
    }


@office_view
@require_http_methods(["GET", "POST"])
def resolve(request: HttpRequest, document_pk: uuid.UUID) -> HttpResponse:
    """«Накласти резолюцію»: heads of the document's organisation and their acting deputies."""
    document = document_get(user=request.user, pk=document_pk)
    authors = perms.resolution_authors(request.user, document.organisation_id)
    if not authors:
        raise PermissionDenied(
            _(
                "Накладати резолюції можуть лише керівники організації або працівники, які "
                "виконують їхні обов'язки."
            )
        )
    closed = document.status not in RESOLVABLE_DOCUMENT_STATUSES
    initial = {"deadline_kind": DEADLINE_KIND_BY_URGENCY.get(document.urgency, DeadlineKind.DEFAULT)}
    form = ResolutionForm(
        request.POST or None,
        document=document,
        authors=authors,
        deadlines=_rule_deadlines(document),
        initial=initial,
    )
    if request.method == "POST" and not closed and form.is_valid():
        try:
            resolution = svc.resolution_create(actor=request.user, document=document, **form.service_kwargs())
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                _("Резолюцію накладено: %(n)s доручення видано, строк — %(date)s.")
                % {"n": resolution.assignments.count(), "date": resolution.deadline.strftime("%d.%m.%Y")},
            )
            return redirect("registry:document", pk=document.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workflow/resolve.html",
        {
            "doc": document,
            "form": form,
            "closed": closed,
            "acting_for": [a for a in authors if a != request.user],
            "existing": Resolution.objects.filter(document=document).count(),
        },
        status=status,
    )


def _resolution_context(request: HttpRequest, resolution: Resolution, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    [res] = [
        r
        for r in selectors.document_resolutions(user=request.user, document=resolution.document, on=today)
        if r.pk == resolution.pk
    ]
    return {
        "res": res,
        "doc": resolution.document,
        "today": today,
        "nodes": selectors.flatten_tree(res.tree),
        "close_form": forms.get("close_form")
        or CloseForm(auto_id="id_close_%s", initial={"executed_on": today}),
        "revoke_form": forms.get("revoke_form") or RevokeForm(auto_id="id_%s"),
        "conflict": forms.get("conflict", False),
        "open_panel": forms.get("open_panel", ""),
    }


@office_view
@require_GET
def resolution_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    resolution = selectors.resolution_get(user=request.user, pk=pk)
    return render(request, "workflow/resolution.html", _resolution_context(request, resolution))


def _resolution_action(
    request: HttpRequest,
    pk: uuid.UUID,
    *,
    form_class: type,
    form_key: str,
    auto_id: str,
    call: Any,
    done: str,
    field_map: dict[str, str] | None = None,
) -> HttpResponse:
    resolution = selectors.resolution_get(user=request.user, pk=pk)
    form = form_class(request.POST, auto_id=auto_id)
    conflict = False
    if form.is_valid():
        try:
            call(resolution, form.cleaned_data)
        except svc.ConflictError as exc:
            conflict = True
            form.add_error(None, exc.message)
            resolution.refresh_from_db()
        except ApplicationError as exc:
            apply_error(form, exc, field_map)
        else:
            messages.success(request, done)
            return redirect("workflow:resolution", pk=resolution.pk)
    context = _resolution_context(
        request, resolution, **{form_key: form}, conflict=conflict, open_panel=form_key
    )
    return render(request, "workflow/resolution.html", context, status=409 if conflict else 400)


@office_view
@require_POST
def resolution_close(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    def call(resolution: Resolution, data: dict[str, Any]) -> None:
        svc.resolution_close(
            actor=request.user,
            resolution=resolution,
            expected_version=data["expected_version"],
            result=data["result"],
            executed_on=data.get("executed_on"),
            answer_index=data.get("answer_index", ""),
            early_reason=data.get("early_reason", ""),
        )

    return _resolution_action(
        request,
        pk,
        form_class=CloseForm,
        form_key="close_form",
        auto_id="id_close_%s",
        call=call,
        done=_("Резолюцію знято з контролю; у картці записано відмітку про виконання."),
    )


@office_view
@require_POST
def resolution_revoke(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    def call(resolution: Resolution, data: dict[str, Any]) -> None:
        svc.resolution_revoke(
            actor=request.user,
            resolution=resolution,
            expected_version=data["expected_version"],
            reason=data["revoke_reason"],
        )

    return _resolution_action(
        request,
        pk,
        form_class=RevokeForm,
        form_key="revoke_form",
        auto_id="id_%s",
        call=call,
        field_map={"reason": "revoke_reason"},
        done=_("Резолюцію скасовано, відкриті доручення за нею скасовано."),
    )
