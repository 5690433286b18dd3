"""Deadline-change requests (executor asks, the resolution's author decides) and the recomputation of
rule-based deadlines after a calendar change (docs/legal.md §1: "an administrator can recompute the open ones")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.registry.models import Document
from ratusha.workflow import permissions as perms
from ratusha.workflow.constants import (
    OPEN_ASSIGNMENT_STATUSES,
    WORKING_STATUSES,
    AssignmentRole,
    DeadlineChangeStatus,
    DeadlineKind,
    ResolutionStatus,
)
from ratusha.workflow.models import Assignment, DeadlineChangeRequest, Resolution
from ratusha.workflow.services._common import (
    ConflictError,
    assignment_url,
    deadline_change_transition,
    doc_label,
    fmt_date,
    kinds,
    notify_user,
    require_actor,
    require_text,
    save_assignment,
    save_resolution,
    today,
)


def _pending_exists() -> ApplicationError:
    return ApplicationError(
        _("Запит на зміну строку цього доручення вже очікує рішення."),
        code="pending_exists",
        field="proposed_deadline",
    )


def deadline_change_request(
    *, actor: Any, assignment: Assignment, proposed_deadline: dt.date | None, reason: str
) -> DeadlineChangeRequest:
    """The executor asks to move the deadline; the resolution's author is notified. One pending per
    assignment (a database constraint guards it against a double click or two deputies at once)."""
    require_actor(actor)
    if not perms.is_assignee(actor, assignment):
        raise PermissionDeniedError(_("Просити про зміну строку може лише виконавець доручення."))
    if assignment.status not in WORKING_STATUSES or assignment.resolution.status != ResolutionStatus.ACTIVE:
        raise ApplicationError(
            _("Доручення вже виконано або скасовано: строк не змінюється."),
            code="not_working",
            field="proposed_deadline",
        )
    if proposed_deadline is None:
        raise ApplicationError(_("Вкажіть запропонований строк."), code="required", field="proposed_deadline")
    reason = require_text(reason, field="reason", message=_("Поясніть, чому потрібно змінити строк."))
    if proposed_deadline == assignment.deadline:
        raise ApplicationError(
            _("Запропонований строк збігається з чинним."), code="same_deadline", field="proposed_deadline"
        )
    if proposed_deadline < today():
        raise ApplicationError(
            _("Запропонований строк не може бути в минулому."), code="invalid_date", field="proposed_deadline"
        )
    if assignment.parent_id is not None and proposed_deadline > assignment.parent.deadline:
        raise ApplicationError(
            _(
                "Строк не може бути пізнішим за строк батьківського доручення (%(date)s): спершу його "
                "виконавець має попросити про продовження свого строку."
            )
            % {"date": fmt_date(assignment.parent.deadline)},
            code="deadline_after_parent",
            field="proposed_deadline",
        )
    if DeadlineChangeRequest.objects.filter(
        assignment=assignment, status=DeadlineChangeStatus.PENDING
    ).exists():
        raise _pending_exists()
    try:
        with transaction.atomic():
            request = DeadlineChangeRequest.objects.create(
                assignment=assignment,
                requested_by=actor,
                current_deadline=assignment.deadline,
                proposed_deadline=proposed_deadline,
                reason=reason,
            )
            audit_log(
                actor=actor,
                action="deadline_request.create",
                obj=request,
                params={
                    "assignment": str(assignment.pk),
                    "current": assignment.deadline,
                    "proposed": proposed_deadline,
                    "reason": reason,
                },
            )
            deciders = [assignment.resolution.author]
            if (
                assignment.parent_id is not None
                and assignment.issued_by_id != assignment.resolution.author_id
            ):
                deciders.append(assignment.issued_by)
            for user in deciders:
                notify_user(
                    recipient=user,
                    kind=kinds().DEADLINE_CHANGE_REQUESTED,
                    actor=actor,
                    obj=request,
                    url=assignment_url(assignment),
                    title=_("Запит на зміну строку — %(doc)s") % {"doc": doc_label(assignment.document)},
                    body=_("%(who)s просить змінити строк з %(old)s на %(new)s. Обґрунтування: %(reason)s")
                    % {
                        "who": assignment.assignee.short_name,
                        "old": fmt_date(assignment.deadline),
                        "new": fmt_date(proposed_deadline),
                        "reason": reason,
                    },
                )
    except IntegrityError:
        raise _pending_exists() from None
    return request


def deadline_change_decide(
    *, actor: Any, request: DeadlineChangeRequest, approve: bool, note: str = ""
) -> DeadlineChangeRequest:
    """The author (or their acting deputy; for a sub-assignment also its issuer) approves — the assignment's
    deadline moves (for the responsible top-level one also the resolution's and the card's) — or rejects
    with a note. Sub-assignments with a later deadline are kept; ``request.warnings`` lists them."""
    require_actor(actor)
    if not perms.can_decide_deadline(actor, request):
        raise PermissionDeniedError(_("Вирішувати запити на зміну строку може автор резолюції."))
    note = (note or "").strip()
    if not approve and not note:
        raise ApplicationError(_("Поясніть, чому строк не змінюється."), code="required", field="note")
    warnings: list[Assignment] = []
    with transaction.atomic():
        req = DeadlineChangeRequest.objects.select_for_update().get(pk=request.pk)
        deadline_change_transition(
            req, DeadlineChangeStatus.APPROVED if approve else DeadlineChangeStatus.REJECTED
        )
        a = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("resolution", "document", "assignee")
            .get(pk=req.assignment_id)
        )
        if approve:
            if a.status not in OPEN_ASSIGNMENT_STATUSES or a.resolution.status != ResolutionStatus.ACTIVE:
                raise ConflictError(_("Доручення вже завершено: строк змінити не можна."), field="decision")
            old = a.deadline
            a.deadline = req.proposed_deadline
            a.escalated_on = None  # a new deadline: escalate again if this one is missed too
            save_assignment(a, ["deadline", "escalated_on"])
            audit_log(
                actor=actor,
                action="assignment.deadline_change",
                obj=a,
                params={"request": str(req.pk), "from": old, "to": a.deadline},
            )
            if a.parent_id is None and a.role == AssignmentRole.RESPONSIBLE:
                _move_resolution_deadline(
                    actor=actor, resolution=a.resolution, old=old, new=a.deadline, kind=DeadlineKind.DATE
                )
            warnings = list(
                a.children.filter(
                    status__in=OPEN_ASSIGNMENT_STATUSES, deadline__gt=a.deadline
                ).select_related("assignee")
            )
        req.decided_by, req.decided_at, req.decision_note = actor, timezone.now(), note
        req.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        audit_log(
            actor=actor,
            action="deadline_request.decide",
            obj=req,
            params={
                "assignment": str(a.pk),
                "status": req.status,
                "note": note,
                "children_later": [str(c.pk) for c in warnings],
            },
        )
        decision = (
            _("Новий строк: %(date)s.") % {"date": fmt_date(req.proposed_deadline)}
            if approve
            else _("Строк не змінено: %(note)s") % {"note": note}
        )
        notify_user(
            recipient=req.requested_by,
            kind=kinds().DEADLINE_CHANGE_DECIDED,
            actor=actor,
            obj=req,
            url=assignment_url(a),
            title=_("Рішення щодо строку — %(doc)s") % {"doc": doc_label(a.document)},
            body=decision + (f" {note}" if approve and note else ""),
        )
    req.warnings = warnings
    return req


def _move_resolution_deadline(
    *, actor: Any, resolution: Resolution, old: dt.date, new: dt.date, kind: str | None
) -> None:
    """Move a resolution's deadline and, where the card shows it, the card's execution deadline."""
    res = Resolution.objects.select_for_update().get(pk=resolution.pk)
    fields = ["deadline"]
    res.deadline = new
    if kind is not None and res.deadline_kind != kind:
        res.deadline_kind = kind
        fields.append("deadline_kind")
    save_resolution(res, fields)
    audit_log(actor=actor, action="resolution.deadline_change", obj=res, params={"from": old, "to": new})
    doc = Document.objects.select_for_update().get(pk=res.document_id)
    if doc.execution_deadline == old:
        doc.execution_deadline = new
        doc.save(update_fields=["execution_deadline", "updated_at"])
        audit_log(
            actor=actor,
            action="document.resolution",
            obj=doc,
            params={
                "resolution": str(res.pk),
                "changes": {"execution_deadline": [old.isoformat(), new.isoformat()]},
            },
        )


def deadlines_recompute(*, actor: Any) -> int:
    """After a calendar change: recompute the stored deadline of every active resolution whose deadline is
    a rule (not a date), and of its top-level assignments that still carry the old one. Returns how many
    resolutions changed. Registered with ``ratusha.calendar.recompute`` (its service checks the rights)."""
    from ratusha.workflow.services.resolutions import rule_deadline

    changed = 0
    candidates = (
        Resolution.objects.filter(status=ResolutionStatus.ACTIVE)
        .exclude(deadline_kind=DeadlineKind.DATE)
        .select_related("document")
    )
    for res in candidates.iterator():
        new = rule_deadline(res.deadline_kind, res.document.reg_date)
        if new == res.deadline:
            continue
        with transaction.atomic():
            locked = Resolution.objects.select_for_update().get(pk=res.pk)
            if locked.status != ResolutionStatus.ACTIVE or locked.deadline_kind == DeadlineKind.DATE:
                continue
            old = locked.deadline
            _move_resolution_deadline(actor=actor, resolution=locked, old=old, new=new, kind=None)
            for a in Assignment.objects.select_for_update().filter(
                resolution=locked, parent=None, deadline=old, status__in=OPEN_ASSIGNMENT_STATUSES
            ):
                a.deadline = new
                save_assignment(a, ["deadline"])
                audit_log(
                    actor=actor,
                    action="assignment.deadline_recompute",
                    obj=a,
                    params={"from": old, "to": new, "rule": locked.deadline_kind},
                )
            audit_log(
                actor=actor,
                action="resolution.deadline_recompute",
                obj=locked,
                params={"from": old, "to": new, "rule": locked.deadline_kind},
            )
            changed += 1
    return changed
