"""«Мої доручення», the assignment page and its actions (each a POST with the version the page showed)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError, IntegrityCheckError
from ratusha.core.storage import blob_read
from ratusha.registry.models import Document
from ratusha.registry.selectors import documents_visible_to
from ratusha.workflow import permissions as perms
from ratusha.workflow import selectors
from ratusha.workflow import services as svc
from ratusha.workflow.constants import (
    REPORTABLE_STATUSES,
    WORKING_STATUSES,
    AssignmentStatus,
    DeadlineChangeStatus,
    ResolutionStatus,
)
from ratusha.workflow.forms import (
    AcceptReportForm,
    CancelForm,
    DeadlineDecisionForm,
    DeadlineRequestForm,
    ReportForm,
    ReturnForm,
    SubAssignForm,
    VersionedForm,
)
from ratusha.workflow.models import Assignment
from ratusha.workflow.services.assignments import subassign_targets_units
from ratusha.workflow.views._common import apply_error, describe_history

PICKER_LIMIT = 10


@office_view
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    sections = selectors.my_assignments(user=request.user, on=today)
    return render(
        request,
        "workflow/home.html",
        {"sections": sections, "today": today, "has_empty": any(not s.rows for s in sections)},
    )


def _ancestors(assignment: Assignment) -> list[Assignment]:
    chain = []
    current = assignment.parent
    while current is not None:
        chain.append(current)
        current = (
            Assignment.objects.select_related("assignee", "parent").filter(pk=current.parent_id).first()
            if current.parent_id
            else None
        )
    return list(reversed(chain))


def _detail_context(request: HttpRequest, a: Assignment, **forms: Any) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    selectors.annotate_due([a], today)
    visible_ids = set(
        selectors.assignments_visible_to(user).filter(document_id=a.document_id).values_list("pk", flat=True)
    )
    children = selectors.annotate_due(
        list(a.children.select_related("assignee", "unit").order_by("created_at")), today
    )
    for child in children:
        child.visible = child.pk in visible_ids
    chain = _ancestors(a)
    for item in chain:
        item.visible = item.pk in visible_ids
    requests = list(a.deadline_requests.select_related("requested_by", "decided_by").order_by("-created_at"))
    pending = next((r for r in requests if r.status == DeadlineChangeStatus.PENDING), None)
    active = a.resolution.status == ResolutionStatus.ACTIVE
    executor = perms.is_assignee(user, a) and active
    unit_ids = subassign_targets_units(a) if executor and a.status in WORKING_STATUSES else []
    decider = perms.can_decide_report(user, a) and active
    return {
        "a": a,
        "res": a.resolution,
        "doc": a.document,
        "today": today,
        "doc_visible": documents_visible_to(user).filter(pk=a.document_id).exists(),
        "chain": chain,
        "children": children,
        "requests": requests,
        "pending": pending,
        "history": describe_history(selectors.assignment_history(user=user, assignment=a)),
        "may_accept": executor and a.status == AssignmentStatus.ISSUED,
        "may_start": executor and a.status in (AssignmentStatus.ACCEPTED, AssignmentStatus.RETURNED),
        "may_report": executor and a.status in REPORTABLE_STATUSES,
        "may_decide_report": decider and a.status == AssignmentStatus.REPORTED,
        "may_subassign": bool(unit_ids),
        "may_request_deadline": executor and a.status in WORKING_STATUSES and pending is None,
        "may_decide_deadline": pending is not None and active and perms.can_decide_deadline(user, pending),
        "may_cancel": a.parent_id is not None and perms.can_cancel(user, a),
        "report_form": forms.get("report_form") or ReportForm(auto_id="id_%s"),
        "accept_form": forms.get("accept_form") or AcceptReportForm(auto_id="id_%s"),
        "return_form": forms.get("return_form") or ReturnForm(auto_id="id_%s"),
        "sub_form": forms.get("sub_form")
        or (SubAssignForm(auto_id="id_%s", assignment=a, unit_ids=unit_ids) if unit_ids else None),
        "deadline_form": forms.get("deadline_form") or DeadlineRequestForm(auto_id="id_%s"),
        "decision_form": forms.get("decision_form") or DeadlineDecisionForm(auto_id="id_%s"),
        "cancel_form": forms.get("cancel_form") or CancelForm(auto_id="id_%s"),
        "status_error": forms.get("status_error", ""),
        "conflict": forms.get("conflict", False),
        "open_panel": forms.get("open_panel", ""),
        "link_candidates": forms.get("link_candidates") or [],
    }


@office_view
@require_GET
def assignment_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    a = selectors.assignment_get(user=request.user, pk=pk)
    return render(request, "workflow/assignment.html", _detail_context(request, a))


def _run(
    request: HttpRequest,
    a: Assignment,
    form: djforms.Form,
    *,
    form_key: str,
    call: Callable[[], Any],
    done: str,
    field_map: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    """Call the service; on success redirect to the page, otherwise re-render it with the typed input."""
    conflict = False
    try:
        call()
    except svc.ConflictError as exc:
        conflict = True
        form.add_error(None, exc.message)
        a = selectors.assignment_get(user=request.user, pk=a.pk)  # the current state
    except ApplicationError as exc:
        apply_error(form, exc, field_map)
    else:
        messages.success(request, done)
        return redirect("workflow:assignment", pk=a.pk)
    return _rerender(request, a, form, form_key=form_key, conflict=conflict, **extra)


def _rerender(
    request: HttpRequest,
    a: Assignment,
    form: djforms.Form,
    *,
    form_key: str,
    conflict: bool = False,
    **extra: Any,
) -> HttpResponse:
    if form_key == "status_form":
        extra["status_error"] = " ".join(str(e) for e in form.non_field_errors()) or " ".join(
            str(e) for errors in form.errors.values() for e in errors
        )
    context = _detail_context(request, a, **{form_key: form}, conflict=conflict, open_panel=form_key, **extra)
    return render(request, "workflow/assignment.html", context, status=409 if conflict else 400)


def _status_action(
    request: HttpRequest, pk: uuid.UUID, service: Callable[..., Any], done: str
) -> HttpResponse:
    a = selectors.assignment_get(user=request.user, pk=pk)
    form = VersionedForm(request.POST)
    if not form.is_valid():
        return _rerender(request, a, form, form_key="status_form")
    return _run(
        request,
        a,
        form,
        form_key="status_form",
        done=done,
        call=lambda: service(
            actor=request.user, assignment=a, expected_version=form.cleaned_data["expected_version"]
        ),
    )


@office_view
@require_POST
def assignment_accept(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _status_action(request, pk, svc.assignment_accept, _("Доручення прийнято до виконання."))


@office_view
@require_POST
def assignment_start(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _status_action(request, pk, svc.assignment_start, _("Виконання розпочато."))


def _report_document(request: HttpRequest, form: ReportForm) -> tuple[Document | None, list[Document]]:
    """The answer document picked in the picker (radio) or typed as an exact index, among visible ones."""
    target_id = form.cleaned_data.get("link_target")
    query = " ".join((form.cleaned_data.get("link_query") or "").split())
    visible = documents_visible_to(request.user)
    if target_id:
        target = visible.filter(pk=target_id).first()
        if target is None:
            form.add_error("link_query", _("Документ-відповідь не знайдено або він вам недоступний."))
        return target, []
    if not query:
        return None, []
    matches = list(visible.filter(reg_index__iexact=query).order_by("-reg_date")[:PICKER_LIMIT])
    if len(matches) == 1:
        return matches[0], []
    if not matches:
        form.add_error(
            "link_query", _("Документ з індексом «%(q)s» не знайдено серед доступних вам.") % {"q": query}
        )
        return None, []
    form.add_error(
        "link_query", _("Індекс «%(q)s» мають кілька документів — оберіть потрібний у списку.") % {"q": query}
    )
    return None, matches


@office_view
@require_POST
def assignment_report(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    a = selectors.assignment_get(user=request.user, pk=pk)
    form = ReportForm(request.POST, request.FILES, auto_id="id_%s")
    candidates: list[Document] = []
    if form.is_valid():
        document, candidates = _report_document(request, form)
        if not form.errors:
            data = form.cleaned_data
            return _run(
                request,
                a,
                form,
                form_key="report_form",
                done=_("Звіт подано."),
                field_map={"report": "report_text", "report_document": "link_query"},
                link_candidates=candidates,
                call=lambda: svc.assignment_report(
                    actor=request.user,
                    assignment=a,
                    expected_version=data["expected_version"],
                    text=data["report_text"],
                    file=data.get("report_file"),
                    report_document=document,
                ),
            )
    return _rerender(request, a, form, form_key="report_form", link_candidates=candidates)


@office_view
@require_POST
def assignment_accept_report(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    a = selectors.assignment_get(user=request.user, pk=pk)
    form = AcceptReportForm(request.POST, auto_id="id_%s")
    if not form.is_valid():
        return _rerender(request, a, form, form_key="accept_form")
    data = form.cleaned_data
    return _run(
        request,
        a,
        form,
        form_key="accept_form",
        done=_("Звіт прийнято, доручення виконано."),
        call=lambda: svc.assignment_accept_report(
            actor=request.user,
            assignment=a,
            expected_version=data["expected_version"],
            note=data.get("accept_note", ""),
        ),
    )


@office_view
@require_POST
def assignment_return(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    a = selectors.assignment_get(user=request.user, pk=pk)
    form = ReturnForm(request.POST, auto_id="id_%s")
    if not form.is_valid():
        return _rerender(request, a, form, form_key="return_form")
    data = form.cleaned_data
    return _run(
        request,
        a,
        form,
        form_key="return_form",
        done=_("Звіт повернуто на доопрацювання."),
        field_map={"reason": "return_reason"},
        call=lambda: svc.assignment_return(
            actor=request.user,
            assignment=a,
            expected_version=data["expected_version"],
            reason=data["return_reason"],
        ),
    )


@office_view
@require_POST
def assignment_subassign(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    a = selectors.assignment_get(user=request.user, pk=pk)
    unit_ids = subassign_targets_units(a) if perms.is_assignee(request.user, a) else []
    form = SubAssignForm(request.POST, auto_id="id_%s", assignment=a, unit_ids=unit_ids)
    if not form.is_valid():
        return _rerender(request, a, form, form_key="sub_form")
    data = form.cleaned_data
    return _run(
        request,
        a,
        form,
        form_key="sub_form",
        done=_("Доручення нижчого рівня видано."),
        field_map={
            "assignee": "sub_assignee",
            "text": "sub_text",
            "deadline": "sub_deadline",
            "role": "sub_role",
        },
        call=lambda: svc.assignment_subassign(
            actor=request.user,
            assignment=a,
            expected_version=data["expected_version"],
            assignee=form.target(),
            text=data["sub_text"],
            deadline=data.get("sub_deadline"),
            role=data["sub_role"],
        ),
    )


@office_view
@require_POST
def assignment_cancel(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    a = selectors.assignment_get(user=request.user, pk=pk)
    form = CancelForm(request.POST, auto_id="id_%s")
    if not form.is_valid():
        return _rerender(request, a, form, form_key="cancel_form")
    data = form.cleaned_data
    return _run(
        request,
        a,
        form,
        form_key="cancel_form",
        done=_("Доручення скасовано."),
        field_map={"reason": "cancel_reason"},
        call=lambda: svc.assignment_cancel(
            actor=request.user,
            assignment=a,
            expected_version=data["expected_version"],
            reason=data["cancel_reason"],
        ),
    )


@office_view
@require_POST
def deadline_request(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    a = selectors.assignment_get(user=request.user, pk=pk)
    form = DeadlineRequestForm(request.POST, auto_id="id_%s")
    if not form.is_valid():
        return _rerender(request, a, form, form_key="deadline_form")
    data = form.cleaned_data
    return _run(
        request,
        a,
        form,
        form_key="deadline_form",
        done=_("Запит на зміну строку надіслано."),
        field_map={"reason": "deadline_reason"},
        call=lambda: svc.deadline_change_request(
            actor=request.user,
            assignment=a,
            proposed_deadline=data["proposed_deadline"],
            reason=data["deadline_reason"],
        ),
    )


@office_view
@require_POST
def deadline_decide(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    change = selectors.deadline_request_get(user=request.user, pk=pk)
    a = selectors.assignment_get(user=request.user, pk=change.assignment_id)
    form = DeadlineDecisionForm(request.POST, auto_id="id_%s")
    if not form.is_valid():
        return _rerender(request, a, form, form_key="decision_form")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        decided = svc.deadline_change_decide(
            actor=request.user,
            request=change,
            approve=approve,
            note=form.cleaned_data.get("decision_note", ""),
        )
    except svc.ConflictError as exc:
        form.add_error(None, exc.message)
        return _rerender(
            request,
            selectors.assignment_get(user=request.user, pk=a.pk),
            form,
            form_key="decision_form",
            conflict=True,
        )
    except ApplicationError as exc:
        apply_error(form, exc, {"note": "decision_note"})
        return _rerender(request, a, form, form_key="decision_form")
    if approve:
        messages.success(
            request,
            _("Новий строк погоджено: %(date)s.") % {"date": decided.proposed_deadline.strftime("%d.%m.%Y")},
        )
        if decided.warnings:
            messages.warning(
                request,
                _(
                    "Увага: доручення нижчого рівня мають пізніший строк, ніж новий: %(list)s. "
                    "Їхні строки не змінено."
                )
                % {
                    "list": ", ".join(
                        f"{c.assignee.short_name} ({c.deadline:%d.%m.%Y})" for c in decided.warnings
                    )
                },
            )
    else:
        messages.success(request, _("Запит на зміну строку відхилено."))
    return redirect("workflow:assignment", pk=a.pk)


@office_view
@require_GET
def report_file(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    a = selectors.assignment_get(user=request.user, pk=pk)
    if a.report_blob_id is None:
        from django.http import Http404

        raise Http404
    try:
        data = blob_read(a.report_blob_id)
    except (IntegrityCheckError, FileNotFoundError):
        return HttpResponse(
            _("Файл не знайдено у сховищі або його пошкоджено. Зверніться до адміністратора."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(data, content_type=a.report_blob.mime or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, a.report_file_name or "report")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
