"""Helpers shared by the workflow services: the status checks, locking with version compare, notify."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from ratusha.workflow.constants import (
    ASSIGNMENT_TRANSITIONS,
    DEADLINE_CHANGE_TRANSITIONS,
    RESOLUTION_TRANSITIONS,
    AssignmentStatus,
    DeadlineChangeStatus,
    ResolutionStatus,
)
from ratusha.workflow.models import Assignment, DeadlineChangeRequest, Resolution


class ConflictError(ApplicationError):
    """Someone else changed the record since the form was opened (optimistic concurrency)."""

    code = "conflict"


def today() -> dt.date:
    return timezone.localdate()


def require_actor(actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDeniedError(_("Увійдіть до системи, щоб виконати цю дію."))


def require_text(value: str, *, field: str, message: str, limit: int = 20000) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code="required", field=field)
    return value[:limit]


# --- The transitions tables (docs/architecture.md rule 2): the ONE check per entity --------------------------------


def assignment_transition(assignment: Assignment, to: str) -> str:
    """Check ``ASSIGNMENT_TRANSITIONS`` and set ``assignment.status = to`` (not saved).

    Returns the previous status.
    """
    current = assignment.status
    if to not in ASSIGNMENT_TRANSITIONS.get(current, frozenset()):
        raise TransitionError(
            _("Доручення у стані «%(current)s» не можна перевести у стан «%(to)s».")
            % {"current": AssignmentStatus(current).label, "to": AssignmentStatus(to).label},
            field="status",
        )
    assignment.status = to
    return current


def resolution_transition(resolution: Resolution, to: str) -> str:
    current = resolution.status
    if to not in RESOLUTION_TRANSITIONS.get(current, frozenset()):
        raise TransitionError(
            _("Резолюцію у стані «%(current)s» не можна перевести у стан «%(to)s».")
            % {"current": ResolutionStatus(current).label, "to": ResolutionStatus(to).label},
            field="status",
        )
    resolution.status = to
    return current


def deadline_change_transition(request: DeadlineChangeRequest, to: str) -> str:
    current = request.status
    if to not in DEADLINE_CHANGE_TRANSITIONS.get(current, frozenset()):
        raise ConflictError(
            _("Цей запит на зміну строку вже розглянуто: %(status)s.")
            % {"status": DeadlineChangeStatus(current).label},
            field="decision",
        )
    request.status = to
    return current


# --- Optimistic concurrency ---------------------------------------------------------------------------------


def _check_version(obj: Any, expected_version: Any, message: str) -> None:
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = -1
    if obj.version != expected:
        raise ConflictError(message, extra={"version": obj.version}, field="expected_version")


def lock_assignment(assignment: Assignment | Any, expected_version: Any) -> Assignment:
    """The assignment row locked for this transaction, after comparing its version with the form's."""
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("resolution", "document", "assignee", "issued_by")
        .get(pk=getattr(assignment, "pk", assignment))
    )
    _check_version(
        locked,
        expected_version,
        _(
            "Доручення щойно змінив інший користувач. Перегляньте його поточний стан і повторіть дію — "
            "введений вами текст збережено у формі."
        ),
    )
    return locked


def lock_resolution(resolution: Resolution | Any, expected_version: Any) -> Resolution:
    locked = (
        Resolution.objects.select_for_update(of=("self",))
        .select_related("document", "author", "controller")
        .get(pk=getattr(resolution, "pk", resolution))
    )
    _check_version(
        locked,
        expected_version,
        _(
            "Резолюцію щойно змінив інший користувач. Перегляньте її поточний стан і повторіть дію — "
            "введений вами текст збережено у формі."
        ),
    )
    return locked


def save_assignment(assignment: Assignment, fields: list[str]) -> None:
    """Save changed fields of a locked assignment and bump its version."""
    assignment.version += 1
    assignment.save(update_fields=[*fields, "version", "updated_at"])


def save_resolution(resolution: Resolution, fields: list[str]) -> None:
    resolution.version += 1
    resolution.save(update_fields=[*fields, "version", "updated_at"])


# --- Notifications ------------------------------------------------------------------------------------------


def assignment_url(assignment: Assignment | Any) -> str:
    return reverse("workflow:assignment", args=[getattr(assignment, "pk", assignment)])


def notify_user(
    *,
    recipient: Any,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    obj: Any = None,
    actor: Any = None,
    email: bool = True,
) -> None:
    """In-app notification (+ e-mail per the recipient's preference); nobody is told of their own action."""
    if recipient is None or not getattr(recipient, "is_active", False):
        return
    if actor is not None and getattr(actor, "pk", None) == recipient.pk:
        return
    from ratusha.notifications.services import notify

    notify(recipient=recipient, kind=kind, title=title, body=body, url=url, obj=obj, actor=actor, email=email)


def kinds() -> Any:
    from ratusha.notifications.constants import NotificationKind

    return NotificationKind


def doc_label(document: Any) -> str:
    return _("№ %(index)s від %(date)s") % {
        "index": document.reg_index,
        "date": document.reg_date.strftime("%d.%m.%Y"),
    }


def fmt_date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"
