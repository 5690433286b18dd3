"""Resolutions: written by a head (or the acting deputy) into the card, closed by the controller, revoked.

docs/legal.md §6: the resolution (author, executors, content, deadline, date) and the execution mark (date,
result, answer index) are fields of the registration-control card; default execution terms are the
``control-*`` rules of ``ratusha.calendar`` counted from the registration date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.orgs.models import Unit, User
from ratusha.registry.constants import DocumentStatus
from ratusha.registry.models import Document
from ratusha.workflow import permissions as perms
from ratusha.workflow.constants import (
    OPEN_ASSIGNMENT_STATUSES,
    RESOLVABLE_DOCUMENT_STATUSES,
    URGENCY_BY_DEADLINE_KIND,
    AssignmentRole,
    AssignmentStatus,
    DeadlineKind,
    ResolutionStatus,
)
from ratusha.workflow.models import Assignment, Resolution
from ratusha.workflow.services._common import (
    assignment_url,
    doc_label,
    fmt_date,
    kinds,
    lock_resolution,
    notify_user,
    require_actor,
    require_text,
    resolution_transition,
    save_assignment,
    save_resolution,
    today,
)

Executor = User | Unit


def rule_deadline(kind: str, start: dt.date) -> dt.date:
    """The deadline of a ``control-*`` rule counted from ``start`` (the one engine in ``calendar``)."""
    from ratusha.calendar.selectors import deadline

    result = deadline(str(kind), start)
    return result.date() if isinstance(result, dt.datetime) else result


def _user_label(user: Any) -> str:
    return getattr(user, "short_name", "") or str(user)


def resolve_executor(target: Executor, document: Document, *, field: str) -> tuple[User, Unit | None]:
    """A person, or a unit → its head; must be on the staff of the document's organisation."""
    if isinstance(target, Unit):
        if target.organisation_id != document.organisation_id or not target.is_active:
            raise ApplicationError(
                _("Підрозділ «%(unit)s» не належить до організації документа.") % {"unit": target.name},
                code="wrong_organisation",
                field=field,
            )
        head = perms.unit_head(target)
        if head is None:
            raise ApplicationError(
                _(
                    "У підрозділі «%(unit)s» немає керівника (працівника на керівній посаді). "
                    "Оберіть виконавця-працівника або призначте керівника підрозділу."
                )
                % {"unit": target.name},
                code="unit_without_head",
                field=field,
            )
        return head, target
    if not perms.is_staff_of(target, document.organisation_id):
        raise ApplicationError(
            _("%(name)s не є працівником організації «%(org)s»: виконавцем може бути лише її працівник.")
            % {"name": _user_label(target), "org": document.organisation},
            code="not_staff",
            field=field,
        )
    return target, None


def require_document_access(user: User, document: Document, *, field: str) -> None:
    """An executor must be able to open the card (docs/architecture.md rule 5): otherwise say who and what to do."""
    from ratusha.registry.selectors import documents_visible_to

    if not documents_visible_to(user).filter(pk=document.pk).exists():
        raise ApplicationError(
            _(
                "%(name)s не має доступу до документа № %(index)s (гриф «%(access)s»). Надайте працівникові "
                "доступ до картки документа (це можуть зробити діловод або керівник) і повторіть."
            )
            % {
                "name": _user_label(user),
                "index": document.reg_index,
                "access": document.get_access_display(),
            },
            code="no_access",
            field=field,
        )


def _require_open_document(document: Document) -> None:
    if document.status == DocumentStatus.CANCELLED:
        raise ApplicationError(
            _("Реєстрацію документа скасовано: резолюцію накласти не можна."),
            code="document_cancelled",
            field="document",
        )
    if document.status not in RESOLVABLE_DOCUMENT_STATUSES:
        raise ApplicationError(
            _("Документ уже виконано або списано до справи: резолюцію накласти не можна."),
            code="document_closed",
            field="document",
        )


def resolution_deadline(*, document: Document, deadline_kind: str, deadline_date: dt.date | None) -> dt.date:
    """The resolution's deadline: a date (not before registration) or a rule from the registration date."""
    if deadline_kind not in DeadlineKind.values:
        raise ApplicationError(
            _("Оберіть спосіб визначення строку."), code="invalid_choice", field="deadline_kind"
        )
    if deadline_kind == DeadlineKind.DATE:
        if deadline_date is None:
            raise ApplicationError(_("Вкажіть дату виконання."), code="required", field="deadline_date")
        if deadline_date < document.reg_date:
            raise ApplicationError(
                _("Термін виконання (%(date)s) не може бути раніше дати реєстрації документа (%(reg)s).")
                % {"date": fmt_date(deadline_date), "reg": fmt_date(document.reg_date)},
                code="deadline_before_registration",
                field="deadline_date",
            )
        return deadline_date
    return rule_deadline(deadline_kind, document.reg_date)


def _executors(
    document: Document, responsible: Executor | None, co_executors: Iterable[Executor]
) -> list[tuple[User, Unit | None, str]]:
    if responsible is None:
        raise ApplicationError(_("Оберіть відповідального виконавця."), code="required", field="responsible")
    chosen = [(*resolve_executor(responsible, document, field="responsible"), AssignmentRole.RESPONSIBLE)]
    for target in co_executors or ():
        user, unit = resolve_executor(target, document, field="co_executors")
        if all(user.pk != existing.pk for existing, _unit, _role in chosen):
            chosen.append((user, unit, AssignmentRole.CO_EXECUTOR))
    for user, _unit, role in chosen:
        require_document_access(
            user, document, field="responsible" if role == AssignmentRole.RESPONSIBLE else "co_executors"
        )
    return chosen


def _card_urgency(document: Document, deadline_kind: str) -> str:
    return URGENCY_BY_DEADLINE_KIND.get(deadline_kind, document.urgency)


def resolution_create(
    *,
    actor: Any,
    document: Document,
    text: str,
    responsible: Executor | None,
    co_executors: Sequence[Executor] = (),
    deadline_kind: str = DeadlineKind.DEFAULT,
    deadline_date: dt.date | None = None,
    on_control: bool = False,
    controller: User | None = None,
    author: User | None = None,
) -> Resolution:
    """Write a resolution on a card: one assignment per executor (responsible first), the card's resolution
    fields updated, the card moved REGISTERED → IN_WORK. ``author`` is the head in whose name it is written
    (default: the actor if a head, else the head they act for); ``written_by`` is the actor."""
    from ratusha.registry.selectors import documents_visible_to
    from ratusha.registry.services._common import queue_index

    require_actor(actor)
    if not documents_visible_to(actor).filter(pk=document.pk).exists():
        raise PermissionDeniedError(_("Документ не знайдено або він вам недоступний."))
    authors = perms.resolution_authors(actor, document.organisation_id)
    if not authors:
        raise PermissionDeniedError(
            _(
                "Накладати резолюції можуть лише керівники організації або працівники, "
                "які виконують їхні обов'язки."
            )
        )
    if author is None:
        author = authors[0]
    elif all(a.pk != author.pk for a in authors):
        raise PermissionDeniedError(_("Ви не можете накласти резолюцію від імені цього керівника."))
    _require_open_document(document)
    text = require_text(text, field="text", message=_("Вкажіть текст резолюції."))
    deadline = resolution_deadline(
        document=document, deadline_kind=deadline_kind, deadline_date=deadline_date
    )
    chosen = _executors(document, responsible, co_executors)
    on_control = bool(on_control)
    if not on_control:
        controller = None
    elif controller is not None and not perms.may_control(controller, document.organisation_id):
        raise ApplicationError(
            _(
                "%(name)s не може бути контролером: потрібна роль контролера або керівника "
                "в організації документа."
            )
            % {"name": _user_label(controller)},
            code="not_controller",
            field="controller",
        )
    on_date = today()

    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=document.pk)
        _require_open_document(doc)
        resolution = Resolution.objects.create(
            organisation_id=doc.organisation_id,
            document=doc,
            author=author,
            written_by=actor,
            text=text,
            date=on_date,
            deadline_kind=deadline_kind,
            deadline=deadline,
            on_control=on_control,
            controller=controller,
        )
        assignments = [
            Assignment.objects.create(
                organisation_id=doc.organisation_id,
                resolution=resolution,
                document=doc,
                parent=None,
                depth=0,
                issued_by=author,
                assignee=user,
                unit=unit,
                role=role,
                deadline=deadline,
            )
            for user, unit, role in chosen
        ]
        audit_log(
            actor=actor,
            action="resolution.create",
            obj=resolution,
            params={
                "document": str(doc.pk),
                "author": str(author.pk),
                "written_by": str(actor.pk),
                "text": text,
                "deadline_kind": deadline_kind,
                "deadline": deadline,
                "on_control": on_control,
                "controller": str(controller.pk) if controller else None,
                "assignments": [
                    {
                        "id": str(a.pk),
                        "assignee": str(a.assignee_id),
                        "role": a.role,
                        "unit": str(a.unit_id) if a.unit_id else None,
                    }
                    for a in assignments
                ],
            },
        )
        for a in assignments:
            audit_log(
                actor=actor,
                action="assignment.issue",
                obj=a,
                params={
                    "resolution": str(resolution.pk),
                    "assignee": str(a.assignee_id),
                    "role": a.role,
                    "deadline": a.deadline,
                    "unit": str(a.unit_id) if a.unit_id else None,
                },
            )
        _write_card(actor=actor, doc=doc, resolution=resolution, responsible=chosen[0][0])
        if doc.status == DocumentStatus.REGISTERED:
            from ratusha.registry.services import document_transition

            document_transition(actor=actor, document=doc, to=DocumentStatus.IN_WORK)
        queue_index(doc.pk)
        for a in assignments:
            notify_user(
                recipient=a.assignee,
                kind=kinds().ASSIGNMENT_ISSUED,
                actor=actor,
                obj=a,
                url=assignment_url(a),
                title=_("Нове доручення — %(doc)s") % {"doc": doc_label(doc)},
                body=_("%(text)s\nТермін виконання: %(deadline)s. %(role)s.")
                % {"text": text, "deadline": fmt_date(deadline), "role": a.get_role_display()},
            )
    return resolution


def _write_card(*, actor: Any, doc: Document, resolution: Resolution, responsible: User) -> None:
    """The card's resolution fields (docs/legal.md §6) from the newest resolution; audited on the document."""
    others_on_control = (
        doc.resolutions.filter(status=ResolutionStatus.ACTIVE, on_control=True)
        .exclude(pk=resolution.pk)
        .exists()
    )
    values = {
        "resolution": resolution.text,
        "resolution_author_id": resolution.author_id,
        "resolution_date": resolution.date,
        "executor_id": responsible.pk,
        "urgency": _card_urgency(doc, resolution.deadline_kind),
        "on_control": resolution.on_control or others_on_control,
        "execution_deadline": resolution.deadline,
    }
    changes = {}
    for attname, new in values.items():
        old = getattr(doc, attname)
        if old != new:
            changes[attname.removesuffix("_id")] = [_jsonable(old), _jsonable(new)]
            setattr(doc, attname, new)
    if changes:
        doc.save(update_fields=[*(name.removesuffix("_id") for name in values), "updated_at"])
    audit_log(
        actor=actor,
        action="document.resolution",
        obj=doc,
        params={"resolution": str(resolution.pk), "changes": changes},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if value is not None and not isinstance(value, (bool, int, str)) else value


def cancel_open_assignments(*, actor: Any, resolution: Resolution, reason: str) -> list[Assignment]:
    """Cancel every open assignment of a resolution (all levels), each through the transitions table."""
    from ratusha.workflow.services._common import assignment_transition

    cancelled = []
    for a in (
        Assignment.objects.select_for_update()
        .filter(resolution=resolution, status__in=OPEN_ASSIGNMENT_STATUSES)
        .select_related("assignee")
        .order_by("depth", "created_at")
    ):
        previous = assignment_transition(a, AssignmentStatus.CANCELLED)
        save_assignment(a, ["status"])
        audit_log(
            actor=actor,
            action="assignment.cancel",
            obj=a,
            params={"from": previous, "reason": reason, "resolution": str(resolution.pk)},
        )
        cancelled.append(a)
    return cancelled


def resolution_close(
    *,
    actor: Any,
    resolution: Resolution,
    expected_version: int,
    result: str,
    executed_on: dt.date | None = None,
    answer_index: str = "",
    early_reason: str = "",
) -> Resolution:
    """Take a resolution off control with its result; the last active one writes the card's execution mark
    (docs/legal.md §6: date, result, index of the answer) and moves the card to EXECUTED."""
    require_actor(actor)
    if not perms.can_close(actor, resolution):
        raise PermissionDeniedError(
            _("Зняти резолюцію з контролю може її контролер, а якщо його не призначено — автор резолюції.")
        )
    result = require_text(result, field="result", message=_("Вкажіть результат виконання."))
    executed_on = executed_on or today()
    if executed_on > today():
        raise ApplicationError(
            _("Дата виконання не може бути пізнішою за сьогоднішню."),
            code="invalid_date",
            field="executed_on",
        )
    if executed_on < resolution.document.reg_date:
        raise ApplicationError(
            _("Дата виконання не може бути раніше дати реєстрації документа."),
            code="invalid_date",
            field="executed_on",
        )
    answer_index = " ".join((answer_index or "").split())[:80]
    early_reason = (early_reason or "").strip()

    with transaction.atomic():
        res = lock_resolution(resolution, expected_version)
        responsible = res.assignments.filter(parent=None, role=AssignmentRole.RESPONSIBLE).first()
        done = responsible is not None and responsible.status == AssignmentStatus.DONE
        if not done and not early_reason:
            raise ApplicationError(
                _(
                    "Відповідальний виконавець ще не виконав доручення. Щоб зняти резолюцію з контролю "
                    "достроково, вкажіть причину."
                ),
                code="early_reason_required",
                field="early_reason",
            )
        previous = resolution_transition(res, ResolutionStatus.CLOSED)
        res.closed_at, res.closed_by = timezone.now(), actor
        res.result, res.executed_on, res.answer_index = result, executed_on, answer_index
        res.early_close_reason = "" if done else early_reason
        save_resolution(
            res,
            [
                "status",
                "closed_at",
                "closed_by",
                "result",
                "executed_on",
                "answer_index",
                "early_close_reason",
            ],
        )
        cancelled = cancel_open_assignments(
            actor=actor, resolution=res, reason=_("Резолюцію знято з контролю.")
        )
        audit_log(
            actor=actor,
            action="resolution.close",
            obj=res,
            params={
                "from": previous,
                "result": result,
                "executed_on": executed_on,
                "answer_index": answer_index,
                "early_reason": res.early_close_reason,
                "cancelled": [str(a.pk) for a in cancelled],
            },
        )
        _after_resolution_ends(
            actor=actor,
            resolution=res,
            execution={"executed_on": executed_on, "execution_result": result, "answer_index": answer_index},
        )
        recipients = {a.assignee_id: a.assignee for a in res.assignments.select_related("assignee")}
        for user in recipients.values():
            notify_user(
                recipient=user,
                kind=kinds().CONTROL_CLOSED,
                actor=actor,
                obj=res,
                url=_document_url(res.document_id),
                title=_("Знято з контролю — %(doc)s") % {"doc": doc_label(res.document)},
                body=_("Результат: %(result)s") % {"result": result},
            )
    resolution.refresh_from_db()
    return resolution


def _document_url(document_id: Any) -> str:
    from django.urls import reverse

    return reverse("registry:document", args=[document_id])


def _after_resolution_ends(*, actor: Any, resolution: Resolution, execution: dict[str, Any] | None) -> None:
    """Update the card once a resolution is closed or revoked: the control mark, and — when it was the last
    active resolution and ``execution`` is given — the execution mark through ``document_transition``."""
    from ratusha.registry.services import document_transition

    doc = Document.objects.select_for_update().get(pk=resolution.document_id)
    active = doc.resolutions.filter(status=ResolutionStatus.ACTIVE)
    still_on_control = active.filter(on_control=True).exists()
    if doc.on_control != still_on_control:
        doc.on_control = still_on_control
        doc.save(update_fields=["on_control", "updated_at"])
        audit_log(
            actor=actor,
            action="document.resolution",
            obj=doc,
            params={
                "resolution": str(resolution.pk),
                "changes": {"on_control": [not still_on_control, still_on_control]},
            },
        )
    if execution is not None and not active.exists() and doc.status in RESOLVABLE_DOCUMENT_STATUSES:
        document_transition(actor=actor, document=doc, to=DocumentStatus.EXECUTED, **execution)


def resolution_revoke(
    *, actor: Any, resolution: Resolution, expected_version: int, reason: str
) -> Resolution:
    """The author (or the acting deputy) revokes a resolution: its open assignments are cancelled."""
    require_actor(actor)
    if not perms.can_revoke(actor, resolution):
        raise PermissionDeniedError(
            _("Скасувати резолюцію може лише її автор або особа, яка виконує його обов'язки.")
        )
    reason = require_text(reason, field="reason", message=_("Вкажіть причину скасування резолюції."))
    with transaction.atomic():
        res = lock_resolution(resolution, expected_version)
        previous = resolution_transition(res, ResolutionStatus.REVOKED)
        res.revoke_reason, res.closed_at, res.closed_by = reason, timezone.now(), actor
        save_resolution(res, ["status", "revoke_reason", "closed_at", "closed_by"])
        cancelled = cancel_open_assignments(actor=actor, resolution=res, reason=reason)
        audit_log(
            actor=actor,
            action="resolution.revoke",
            obj=res,
            params={"from": previous, "reason": reason, "cancelled": [str(a.pk) for a in cancelled]},
        )
        _after_resolution_ends(actor=actor, resolution=res, execution=None)
        for a in cancelled:
            notify_user(
                recipient=a.assignee,
                kind=kinds().CONTROL_CLOSED,
                actor=actor,
                obj=a,
                url=assignment_url(a),
                title=_("Доручення скасовано — %(doc)s") % {"doc": doc_label(res.document)},
                body=_("Резолюцію скасовано. Причина: %(reason)s") % {"reason": reason},
            )
    resolution.refresh_from_db()
    return resolution
