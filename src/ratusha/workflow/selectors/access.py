"""Who sees which assignments (docs/architecture.md rule 5): THE filter every list and page of the app builds on.

- Controllers and heads of an organisation (incl. acting deputies) see all its assignments;
- a unit head sees the assignments of their unit subtree (given to the unit or to its staff);
- everyone sees the assignments they execute or issued, and those of the resolutions they wrote or control.
Oversight (the first two) is limited to documents the user may open, so no list shows a card's
resolution to someone who may not read the card.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from ratusha.core.models import AuditEvent
from ratusha.orgs.models import Employee
from ratusha.orgs.permissions import roles_by_organisation
from ratusha.workflow import permissions as perms
from ratusha.workflow.constants import OVERSIGHT_ROLES
from ratusha.workflow.models import Assignment, DeadlineChangeRequest, Resolution


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def visibility_q(user: Any) -> Q | None:
    """The Q over Assignment the user may open, or None for nobody."""
    if not _active(user):
        return None
    from ratusha.registry.selectors import documents_visible_to

    ids = perms.people(user)
    q = (
        Q(assignee_id__in=ids)
        | Q(issued_by_id__in=ids)
        | Q(resolution__author_id__in=ids)
        | Q(resolution__controller_id__in=ids)
    )
    oversight: list[Q] = []
    orgs = [org for org, held in roles_by_organisation(user).items() if held & OVERSIGHT_ROLES]
    if orgs:
        oversight.append(Q(organisation_id__in=orgs))
    headed = perms.headed_units(user)
    if headed:
        subtree = perms.units_subtree_ids(headed)
        staff = Employee.objects.filter(unit_id__in=subtree, is_active=True).values("user_id")
        unit_orgs = {unit.organisation_id for unit in headed}
        oversight.append(Q(unit_id__in=subtree) | Q(assignee_id__in=staff, organisation_id__in=unit_orgs))
    if oversight:
        combined = oversight[0]
        for extra in oversight[1:]:
            combined |= extra
        q |= combined & Q(document_id__in=documents_visible_to(user).values("pk"))
    return q


def assignments_visible_to(user: Any) -> QuerySet[Assignment]:
    q = visibility_q(user)
    if q is None:
        return Assignment.objects.none()
    return Assignment.objects.filter(q)


def _get_or_404(queryset: QuerySet, pk: Any) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404("not found") from None


def assignment_get(*, user: Any, pk: Any) -> Assignment:
    """An assignment the user may open (Http404 otherwise)."""
    return _get_or_404(
        assignments_visible_to(user).select_related(
            "resolution",
            "resolution__author",
            "resolution__written_by",
            "resolution__controller",
            "document",
            "document__journal",
            "document__organisation",
            "parent",
            "parent__assignee",
            "issued_by",
            "assignee",
            "unit",
            "report_document",
            "report_blob",
        ),
        pk,
    )


def resolutions_visible_to(user: Any) -> QuerySet[Resolution]:
    if not _active(user):
        return Resolution.objects.none()
    from ratusha.registry.selectors import documents_visible_to

    return Resolution.objects.filter(
        Q(document_id__in=documents_visible_to(user).values("pk"))
        | Q(pk__in=assignments_visible_to(user).values("resolution_id"))
    )


def resolution_get(*, user: Any, pk: Any) -> Resolution:
    return _get_or_404(
        resolutions_visible_to(user).select_related(
            "document",
            "document__journal",
            "document__organisation",
            "author",
            "written_by",
            "controller",
            "closed_by",
        ),
        pk,
    )


def deadline_request_get(*, user: Any, pk: Any) -> DeadlineChangeRequest:
    return _get_or_404(
        DeadlineChangeRequest.objects.filter(assignment__in=assignments_visible_to(user)).select_related(
            "assignment", "assignment__resolution", "assignment__document", "requested_by"
        ),
        pk,
    )


def assignment_history(*, user: Any, assignment: Assignment) -> list[AuditEvent]:
    """Audit events of the assignment and of its deadline-change requests, newest first."""
    if not assignments_visible_to(user).filter(pk=assignment.pk).exists():
        raise Http404("not found")
    ids = [str(assignment.pk)]
    ids.extend(str(pk) for pk in assignment.deadline_requests.values_list("pk", flat=True))
    return list(AuditEvent.objects.filter(object_id__in=ids).select_related("actor").order_by("-seq"))


def due_info(deadline: dt.date | None, status: str, on: dt.date, calendar: Any = None) -> dict[str, Any]:
    """How a deadline reads today: overdue (with working days late), due today, or neither.

    ``calendar``: a ``WorkCalendar`` read once by a caller that annotates many rows (else read here)."""
    from ratusha.calendar.selectors import work_calendar
    from ratusha.workflow.constants import OPEN_ASSIGNMENT_STATUSES

    if deadline is None or status not in OPEN_ASSIGNMENT_STATUSES:
        return {"overdue": False, "today": False, "late_days": 0}
    if deadline < on:
        late = (calendar or work_calendar()).working_days_between(deadline, on)
        return {"overdue": True, "today": False, "late_days": late}
    return {"overdue": False, "today": deadline == on, "late_days": 0}
