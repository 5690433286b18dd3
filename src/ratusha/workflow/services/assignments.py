"""Assignments: accept, start, report, accept or return the report, sub-assign down the units, cancel.

Every state change takes ``expected_version`` (the version the form showed): the row is locked and
compared, so two people acting on the same assignment at once never overwrite each other — the later one
gets a ``ConflictError`` (code "conflict") and sees the current state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.orgs.models import Unit, User
from ratusha.registry.models import Document
from ratusha.workflow import permissions as perms
from ratusha.workflow.constants import (
    OPEN_ASSIGNMENT_STATUSES,
    WORKING_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    ResolutionStatus,
)
from ratusha.workflow.models import Assignment
from ratusha.workflow.services._common import (
    assignment_transition,
    assignment_url,
    doc_label,
    fmt_date,
    kinds,
    lock_assignment,
    notify_user,
    require_actor,
    require_text,
    save_assignment,
    today,
)
from ratusha.workflow.services.resolutions import require_document_access


def _require_assignee(actor: Any, assignment: Assignment) -> None:
    require_actor(actor)
    if not perms.is_assignee(actor, assignment):
        raise PermissionDeniedError(
            _("Цю дію може виконати лише виконавець доручення або особа, яка виконує його обов'язки.")
        )


def _require_decider(actor: Any, assignment: Assignment) -> None:
    require_actor(actor)
    if not perms.can_decide_report(actor, assignment):
        raise PermissionDeniedError(
            _(
                "Прийняти або повернути звіт може лише той, хто видав доручення, а для "
                "доручень за резолюцією на контролі — також контролер."
            )
        )


def _require_active_resolution(assignment: Assignment) -> None:
    if assignment.resolution.status != ResolutionStatus.ACTIVE:
        raise ApplicationError(
            _("Резолюцію вже знято з контролю або скасовано: доручення не змінюється."),
            code="resolution_closed",
            field="status",
        )


def _log(actor: Any, action: str, assignment: Assignment, previous: str, **params: Any) -> None:
    audit_log(
        actor=actor,
        action=action,
        obj=assignment,
        params={"from": previous, "to": assignment.status, "version": assignment.version, **params},
    )


def assignment_accept(*, actor: Any, assignment: Assignment, expected_version: int) -> Assignment:
    """The executor accepts the assignment (ISSUED → ACCEPTED)."""
    _require_assignee(actor, assignment)
    with transaction.atomic():
        a = lock_assignment(assignment, expected_version)
        _require_active_resolution(a)
        previous = assignment_transition(a, AssignmentStatus.ACCEPTED)
        a.accepted_at = timezone.now()
        save_assignment(a, ["status", "accepted_at"])
        _log(actor, "assignment.accept", a, previous)
    return a


def assignment_start(*, actor: Any, assignment: Assignment, expected_version: int) -> Assignment:
    """The executor starts work (ACCEPTED or RETURNED → IN_PROGRESS)."""
    _require_assignee(actor, assignment)
    with transaction.atomic():
        a = lock_assignment(assignment, expected_version)
        _require_active_resolution(a)
        previous = assignment_transition(a, AssignmentStatus.IN_PROGRESS)
        a.started_at = a.started_at or timezone.now()
        save_assignment(a, ["status", "started_at"])
        _log(actor, "assignment.start", a, previous)
    return a


def assignment_report(
    *,
    actor: Any,
    assignment: Assignment,
    expected_version: int,
    text: str,
    file: Any = None,
    report_document: Document | None = None,
) -> Assignment:
    """The executor submits a report: text, an optional file (checked by its content) and an optional
    answer document the executor can open. Goes to the issuer (and the controller, if on control)."""
    from ratusha.registry.selectors import documents_visible_to
    from ratusha.registry.services.files import prepare_file
    from ratusha.registry.services.uploads import FileInput

    _require_assignee(actor, assignment)
    text = require_text(text, field="report", message=_("Опишіть, що зроблено, у звіті про виконання."))
    if report_document is not None and not documents_visible_to(actor).filter(pk=report_document.pk).exists():
        raise ApplicationError(
            _("Документ-відповідь не знайдено або він вам недоступний."),
            code="report_document",
            field="report_document",
        )
    blob, file_name = None, ""
    if file is not None:
        content = file.content if isinstance(file, FileInput) else file
        try:
            blob, file_name, _comment = prepare_file(
                name=getattr(file, "name", "") or "file", content=content
            )
        except ApplicationError as exc:
            raise ApplicationError(exc.message, code=exc.code, field="report_file") from None
    with transaction.atomic():
        a = lock_assignment(assignment, expected_version)
        _require_active_resolution(a)
        previous = assignment_transition(a, AssignmentStatus.REPORTED)
        a.report, a.reported_at, a.report_document = text, timezone.now(), report_document
        if blob is not None:
            a.report_blob, a.report_file_name = blob, file_name
        save_assignment(
            a, ["status", "report", "reported_at", "report_document", "report_blob", "report_file_name"]
        )
        _log(
            actor,
            "assignment.report",
            a,
            previous,
            report=text,
            file=file_name or None,
            sha256=blob.sha256 if blob is not None else None,
            report_document=str(report_document.pk) if report_document else None,
        )
        recipients = [a.issued_by]
        res = a.resolution
        if (
            a.parent_id is None
            and res.on_control
            and res.controller_id
            and res.controller_id != a.issued_by_id
        ):
            recipients.append(res.controller)
        for user in recipients:
            notify_user(
                recipient=user,
                kind=kinds().REPORT_SUBMITTED,
                actor=actor,
                obj=a,
                url=assignment_url(a),
                title=_("Звіт про виконання — %(doc)s") % {"doc": doc_label(a.document)},
                body=_("%(who)s: %(text)s") % {"who": a.assignee.short_name, "text": text},
            )
    return a


def assignment_accept_report(
    *, actor: Any, assignment: Assignment, expected_version: int, note: str = ""
) -> Assignment:
    """The issuer (or the controller) accepts the report: REPORTED → DONE.

    Not while sub-assignments are open.
    """
    _require_decider(actor, assignment)
    with transaction.atomic():
        a = lock_assignment(assignment, expected_version)
        _require_active_resolution(a)
        open_children = a.children.filter(status__in=OPEN_ASSIGNMENT_STATUSES).count()
        if open_children and a.status == AssignmentStatus.REPORTED:
            raise ApplicationError(
                _(
                    "Доручення не можна позначити виконаним: є невиконані доручення нижчого рівня (%(n)s). "
                    "Їх мають виконати або скасувати."
                )
                % {"n": open_children},
                code="open_children",
                field="status",
            )
        previous = assignment_transition(a, AssignmentStatus.DONE)
        a.done_at, a.done_on = timezone.now(), today()
        save_assignment(a, ["status", "done_at", "done_on"])
        _log(actor, "assignment.done", a, previous, note=(note or "").strip())
        notify_user(
            recipient=a.assignee,
            kind=kinds().ASSIGNMENT_DONE,
            actor=actor,
            obj=a,
            url=assignment_url(a),
            title=_("Звіт прийнято — %(doc)s") % {"doc": doc_label(a.document)},
            body=(note or "").strip(),
        )
    return a


def assignment_return(
    *, actor: Any, assignment: Assignment, expected_version: int, reason: str
) -> Assignment:
    """The issuer (or the controller) returns the report for rework with a reason: REPORTED → RETURNED."""
    _require_decider(actor, assignment)
    reason = require_text(reason, field="reason", message=_("Вкажіть, що потрібно доопрацювати."))
    with transaction.atomic():
        a = lock_assignment(assignment, expected_version)
        _require_active_resolution(a)
        previous = assignment_transition(a, AssignmentStatus.RETURNED)
        a.return_reason = reason
        a.times_returned += 1
        save_assignment(a, ["status", "return_reason", "times_returned"])
        _log(actor, "assignment.return", a, previous, reason=reason)
        notify_user(
            recipient=a.assignee,
            kind=kinds().ASSIGNMENT_RETURNED,
            actor=actor,
            obj=a,
            url=assignment_url(a),
            title=_("Звіт повернуто на доопрацювання — %(doc)s") % {"doc": doc_label(a.document)},
            body=reason,
        )
    return a


def subassign_targets_units(assignment: Assignment) -> list[Any]:
    """Units whose staff may receive sub-assignments of this assignment: the assignee's unit and below."""
    emp = perms.employment(assignment.assignee, assignment.organisation_id)
    if emp is None or emp.unit_id is None:
        return []
    return perms.unit_subtree_ids(emp.unit)


def _subassignee(target: User | Unit, parent: Assignment) -> tuple[User, Unit | None]:
    allowed = subassign_targets_units(parent)
    if not allowed:
        raise ApplicationError(
            _(
                "Виконавець цього доручення не належить до жодного підрозділу: доручення нижчого "
                "рівня видати неможливо."
            ),
            code="no_unit",
            field="assignee",
        )
    if isinstance(target, Unit):
        if target.pk not in allowed:
            raise ApplicationError(
                _("Доручення можна видавати лише своєму підрозділу та його підрозділам."),
                code="outside_unit",
                field="assignee",
            )
        head = perms.unit_head(target)
        if head is None:
            raise ApplicationError(
                _("У підрозділі «%(unit)s» немає керівника. Оберіть працівника.") % {"unit": target.name},
                code="unit_without_head",
                field="assignee",
            )
        if head.pk == parent.assignee_id:
            raise ApplicationError(
                _("Ви керуєте цим підрозділом — оберіть конкретного працівника."),
                code="self_assignment",
                field="assignee",
            )
        return head, target
    if target.pk == parent.assignee_id:
        raise ApplicationError(
            _("Не можна видати доручення самому собі."), code="self_assignment", field="assignee"
        )
    emp = perms.employment(target, parent.organisation_id)
    if emp is None or emp.unit_id not in allowed or not target.is_active:
        raise ApplicationError(
            _("%(name)s не працює у вашому підрозділі або його підрозділах.") % {"name": target.short_name},
            code="outside_unit",
            field="assignee",
        )
    return target, None


def assignment_subassign(
    *,
    actor: Any,
    assignment: Assignment,
    expected_version: int,
    assignee: User | Unit,
    text: str,
    deadline: dt.date | None = None,
    role: str = AssignmentRole.RESPONSIBLE,
) -> Assignment:
    """The executor passes the task (or part of it) down their unit: a child assignment one level deeper,
    with a deadline no later than their own. An ISSUED parent is accepted on the way."""
    _require_assignee(actor, assignment)
    if assignment.status not in WORKING_STATUSES:
        raise ApplicationError(
            _("Доручення вже виконано або скасовано: нові доручення за ним не видаються."),
            code="not_working",
            field="status",
        )
    if role not in AssignmentRole.values:
        raise ApplicationError(_("Оберіть роль виконавця."), code="invalid_choice", field="role")
    if assignee is None:
        raise ApplicationError(_("Оберіть виконавця."), code="required", field="assignee")
    text = require_text(text, field="text", message=_("Вкажіть зміст доручення."))
    user, unit = _subassignee(assignee, assignment)
    deadline = deadline or assignment.deadline
    if deadline > assignment.deadline:
        raise ApplicationError(
            _("Строк не може бути пізнішим за строк вашого доручення (%(date)s).")
            % {"date": fmt_date(assignment.deadline)},
            code="deadline_after_parent",
            field="deadline",
        )
    if deadline < assignment.document.reg_date:
        raise ApplicationError(
            _("Строк не може бути раніше дати реєстрації документа."),
            code="deadline_before_registration",
            field="deadline",
        )
    require_document_access(user, assignment.document, field="assignee")
    with transaction.atomic():
        parent = lock_assignment(assignment, expected_version)
        _require_active_resolution(parent)
        fields: list[str] = []
        if parent.status == AssignmentStatus.ISSUED:
            previous = assignment_transition(parent, AssignmentStatus.ACCEPTED)
            parent.accepted_at = timezone.now()
            fields = ["status", "accepted_at"]
        save_assignment(parent, fields)
        if fields:
            _log(actor, "assignment.accept", parent, previous)
        child = Assignment.objects.create(
            organisation_id=parent.organisation_id,
            resolution_id=parent.resolution_id,
            document_id=parent.document_id,
            parent=parent,
            depth=parent.depth + 1,
            issued_by=parent.assignee,
            assignee=user,
            unit=unit,
            role=role,
            text=text,
            deadline=deadline,
        )
        audit_log(
            actor=actor,
            action="assignment.issue",
            obj=child,
            params={
                "parent": str(parent.pk),
                "resolution": str(parent.resolution_id),
                "assignee": str(user.pk),
                "unit": str(unit.pk) if unit else None,
                "role": role,
                "deadline": deadline,
                "text": text,
            },
        )
        audit_log(
            actor=actor,
            action="assignment.subassign",
            obj=parent,
            params={"child": str(child.pk), "assignee": str(user.pk), "deadline": deadline},
        )
        notify_user(
            recipient=user,
            kind=kinds().ASSIGNMENT_ISSUED,
            actor=actor,
            obj=child,
            url=assignment_url(child),
            title=_("Нове доручення — %(doc)s") % {"doc": doc_label(parent.document)},
            body=_("%(text)s\nТермін виконання: %(deadline)s. Видав: %(who)s.")
            % {"text": text, "deadline": fmt_date(deadline), "who": parent.assignee.short_name},
        )
    assignment.refresh_from_db()
    return child


def assignment_cancel(
    *, actor: Any, assignment: Assignment, expected_version: int, reason: str
) -> Assignment:
    """The issuer cancels a sub-assignment and everything issued under it. Top-level assignments end with
    their resolution (``resolution_revoke``)."""
    require_actor(actor)
    if not perms.can_cancel(actor, assignment):
        raise PermissionDeniedError(_("Скасувати доручення може лише той, хто його видав."))
    if assignment.parent_id is None:
        raise ApplicationError(
            _("Доручення за резолюцією скасовується разом із резолюцією."), code="top_level", field="status"
        )
    reason = require_text(reason, field="reason", message=_("Вкажіть причину скасування."))
    with transaction.atomic():
        a = lock_assignment(assignment, expected_version)
        previous = assignment_transition(a, AssignmentStatus.CANCELLED)
        save_assignment(a, ["status"])
        _log(actor, "assignment.cancel", a, previous, reason=reason)
        frontier = [a.pk]
        while frontier:
            children = list(Assignment.objects.select_for_update().filter(parent_id__in=frontier))
            frontier = [c.pk for c in children]
            for child in children:
                if child.status in OPEN_ASSIGNMENT_STATUSES:
                    was = assignment_transition(child, AssignmentStatus.CANCELLED)
                    save_assignment(child, ["status"])
                    _log(actor, "assignment.cancel", child, was, reason=reason, parent=str(a.pk))
                    notify_user(
                        recipient=child.assignee,
                        kind=kinds().CONTROL_CLOSED,
                        actor=actor,
                        obj=child,
                        url=assignment_url(child),
                        title=_("Доручення скасовано — %(doc)s") % {"doc": doc_label(a.document)},
                        body=reason,
                    )
        notify_user(
            recipient=a.assignee,
            kind=kinds().CONTROL_CLOSED,
            actor=actor,
            obj=a,
            url=assignment_url(a),
            title=_("Доручення скасовано — %(doc)s") % {"doc": doc_label(a.document)},
            body=reason,
        )
    return a
