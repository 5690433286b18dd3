"""Who may do what with resolutions and assignments. Services and selectors both ask these.

Rights held as an acting deputy (``orgs.Delegation``) count as the principal's: every check compares
with ``acting_user_ids(user)`` (the user plus everyone they act for today).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ratusha.orgs.models import Employee, Unit, User
from ratusha.orgs.permissions import employees_acting_for, has_role, roles_by_organisation
from ratusha.workflow.constants import (
    CONTROLLER_ROLES,
    OVERSIGHT_ROLES,
    RESOLVABLE_DOCUMENT_STATUSES,
    RESOLVING_ROLES,
    AssignmentStatus,
    ResolutionStatus,
)


def people(user: Any) -> list[Any]:
    """The user's id plus the ids of everyone whose rights the user holds today."""
    from ratusha.registry.selectors import acting_user_ids

    return acting_user_ids(user)


def _is_active_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


# --- Units -------------------------------------------------------------------------------------------------


def unit_subtree_ids(unit: Unit | Any) -> list[Any]:
    """The unit and all its sub-units, any depth (one query for the organisation's units)."""
    unit_id = getattr(unit, "pk", unit)
    org_id = getattr(unit, "organisation_id", None)
    if org_id is None:
        org_id = Unit.objects.filter(pk=unit_id).values_list("organisation_id", flat=True).first()
    children: dict[Any, list[Any]] = {}
    for pk, parent_id in Unit.objects.filter(organisation_id=org_id).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    result, frontier = [unit_id], [unit_id]
    while frontier:
        frontier = [child for pk in frontier for child in children.get(pk, [])]
        result.extend(frontier)
    return result


def units_subtree_ids(units: Iterable[Any]) -> list[Any]:
    seen: list[Any] = []
    for unit in units:
        for pk in unit_subtree_ids(unit):
            if pk not in seen:
                seen.append(pk)
    return seen


def unit_head(unit: Unit) -> User | None:
    """The head of a unit: an active employee of that unit holding a head position (Position.is_head)."""
    employee = (
        Employee.objects.filter(unit=unit, is_active=True, user__is_active=True, position__is_head=True)
        .select_related("user")
        .order_by("created_at")
        .first()
    )
    return employee.user if employee else None


def employment(user: Any, organisation_id: Any) -> Employee | None:
    if user is None:
        return None
    return (
        Employee.objects.filter(user=user, organisation_id=organisation_id, is_active=True)
        .select_related("unit", "position")
        .first()
    )


def headed_units(user: Any, organisation_id: Any = None) -> list[Unit]:
    """Units the user heads (own head position or one held as acting deputy)."""
    if not _is_active_user(user):
        return []
    qs = Employee.objects.filter(employees_acting_for(user), position__is_head=True, unit__isnull=False)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return [emp.unit for emp in qs.select_related("unit")]


def is_staff_of(user: Any, organisation_id: Any) -> bool:
    return bool(
        user is not None
        and user.is_active
        and Employee.objects.filter(user=user, organisation_id=organisation_id, is_active=True).exists()
    )


# --- Resolutions -------------------------------------------------------------------------------------------


def resolution_authors(user: Any, organisation_id: Any) -> list[User]:
    """Heads in whose name ``user`` may write a resolution in the organisation: themselves if they hold
    the head role there, and every head they act for today (Delegation)."""
    if not _is_active_user(user):
        return []
    authors: list[User] = []
    employees = (
        Employee.objects.filter(employees_acting_for(user), organisation_id=organisation_id)
        .select_related("user")
        .order_by("created_at")
    )
    for emp in employees:
        if set(emp.roles) & RESOLVING_ROLES and emp.user.is_active and emp.user not in authors:
            authors.append(emp.user)
    own = [a for a in authors if a.pk == user.pk]
    return own + [a for a in authors if a.pk != user.pk]


def can_resolve(user: Any, document: Any) -> bool:
    return document.status in RESOLVABLE_DOCUMENT_STATUSES and bool(
        resolution_authors(user, document.organisation_id)
    )


def can_close(user: Any, resolution: Any) -> bool:
    """The controller takes a resolution off control; without a controller, its author (or deputy)."""
    if resolution.status != ResolutionStatus.ACTIVE or not _is_active_user(user):
        return False
    ids = people(user)
    if resolution.controller_id:
        return resolution.controller_id in ids or resolution.author_id in ids
    return resolution.author_id in ids


def can_revoke(user: Any, resolution: Any) -> bool:
    return (
        resolution.status == ResolutionStatus.ACTIVE
        and _is_active_user(user)
        and resolution.author_id in people(user)
    )


def may_control(user: Any, organisation_id: Any) -> bool:
    """Whether ``user`` may be named the controller of a resolution in the organisation."""
    return bool(user is not None and user.is_active and has_role(user, organisation_id, CONTROLLER_ROLES))


def oversees_organisation(user: Any, organisation_id: Any) -> bool:
    return bool(roles_by_organisation(user).get(str(organisation_id), set()) & OVERSIGHT_ROLES)


# --- Assignments -------------------------------------------------------------------------------------------


def is_assignee(user: Any, assignment: Any) -> bool:
    return _is_active_user(user) and assignment.assignee_id in people(user)


def can_decide_report(user: Any, assignment: Any) -> bool:
    """The issuer accepts or returns a report; for a top-level assignment on control, also the controller."""
    if not _is_active_user(user):
        return False
    ids = people(user)
    if assignment.issued_by_id in ids:
        return True
    resolution = assignment.resolution
    return (
        assignment.parent_id is None
        and resolution.on_control
        and resolution.controller_id is not None
        and resolution.controller_id in ids
    )


def can_cancel(user: Any, assignment: Any) -> bool:
    return (
        _is_active_user(user)
        and assignment.status not in (AssignmentStatus.DONE, AssignmentStatus.CANCELLED)
        and assignment.issued_by_id in people(user)
    )


def can_decide_deadline(user: Any, request: Any) -> bool:
    """The resolution's author (or the deputy acting for them); for a sub-assignment also its issuer."""
    if not _is_active_user(user):
        return False
    ids = people(user)
    assignment = request.assignment
    if assignment.resolution.author_id in ids:
        return True
    return assignment.parent_id is not None and assignment.issued_by_id in ids
