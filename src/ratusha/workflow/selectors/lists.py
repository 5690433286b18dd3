"""The lists of the app: «Мої доручення», the control board, the card panel. All start from
``assignments_visible_to`` (the board never lists what the user may not open)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, UUIDField
from django.utils.translation import gettext_lazy as _

from ratusha.orgs.models import Employee, Organisation, Unit, User
from ratusha.workflow import permissions as perms
from ratusha.workflow.constants import (
    DEFAULT_SOON_WORKING_DAYS,
    LIST_LIMIT,
    OPEN_ASSIGNMENT_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    Bucket,
    DeadlineChangeStatus,
    ResolutionStatus,
)
from ratusha.workflow.models import Assignment, DeadlineChangeRequest, Resolution
from ratusha.workflow.selectors.access import assignments_visible_to, due_info

ROW_RELATED = (
    "document",
    "document__journal",
    "resolution",
    "resolution__author",
    "assignee",
    "issued_by",
    "unit",
    "parent",
)


def annotate_due(rows: list[Assignment], on: dt.date) -> list[Assignment]:
    from ratusha.calendar.selectors import work_calendar

    calendar = work_calendar() if rows else None  # one read for the whole list, not one per overdue row
    for row in rows:
        info = due_info(row.deadline, row.status, on, calendar)
        row.is_overdue, row.is_due_today, row.late_days = info["overdue"], info["today"], info["late_days"]
    return rows


@dataclass
class Section:
    key: str
    title: Any
    rows: list[Any]
    count: int
    empty: Any = ""
    show_assignee: bool = False


def _section(key: str, title: Any, qs: QuerySet, on: dt.date, empty: Any) -> Section:
    count = qs.count()
    rows = list(qs.select_related(*ROW_RELATED).order_by("deadline", "created_at")[:LIST_LIMIT])
    return Section(key, title, annotate_due(rows, on), count, empty)


def deadline_requests_to_decide(*, user: Any) -> QuerySet[DeadlineChangeRequest]:
    ids = perms.people(user)
    return (
        DeadlineChangeRequest.objects.filter(status=DeadlineChangeStatus.PENDING)
        .filter(
            Q(assignment__resolution__author_id__in=ids)
            | Q(assignment__parent__isnull=False, assignment__issued_by_id__in=ids)
        )
        .select_related("assignment", "assignment__document", "assignment__assignee", "requested_by")
        .order_by("created_at")
    )


def my_assignments(*, user: Any, on: dt.date) -> list[Section]:
    """The sections of «Мої доручення»: what to accept, what is in work, returned, my reports waiting,
    reports waiting for my decision, what I issued, and deadline requests to decide."""
    visible = assignments_visible_to(user)
    ids = perms.people(user)
    mine = visible.filter(assignee_id__in=ids)
    decide = visible.filter(status=AssignmentStatus.REPORTED).filter(
        Q(issued_by_id__in=ids)
        | Q(parent__isnull=True, resolution__on_control=True, resolution__controller_id__in=ids)
    )
    sections = [
        _section(
            "new",
            _("Нові — прийняти до виконання"),
            mine.filter(status=AssignmentStatus.ISSUED),
            on,
            _("Нових доручень немає."),
        ),
        _section(
            "in_work",
            _("На виконанні"),
            mine.filter(status__in=(AssignmentStatus.ACCEPTED, AssignmentStatus.IN_PROGRESS)),
            on,
            _("Доручень на виконанні немає."),
        ),
        _section(
            "returned",
            _("Повернуті на доопрацювання"),
            mine.filter(status=AssignmentStatus.RETURNED),
            on,
            _("Повернутих доручень немає."),
        ),
        _section(
            "submitted",
            _("Мої звіти на розгляді"),
            mine.filter(status=AssignmentStatus.REPORTED),
            on,
            _("Звітів, що чекають рішення, немає."),
        ),
        _section(
            "decide",
            _("Звіти, що чекають мого рішення"),
            decide.distinct(),
            on,
            _("Звітів на розгляд немає."),
        ),
        _section(
            "issued",
            _("Видані мною"),
            visible.filter(issued_by_id__in=ids, status__in=OPEN_ASSIGNMENT_STATUSES),
            on,
            _("Відкритих доручень, виданих вами, немає."),
        ),
    ]
    for section in sections:
        section.show_assignee = section.key in ("decide", "issued")
    requests = deadline_requests_to_decide(user=user)
    sections.append(
        Section(
            "requests",
            _("Запити на зміну строку"),
            list(requests[:LIST_LIMIT]),
            requests.count(),
            _("Запитів на зміну строку немає."),
        )
    )
    return sections


# --- The control board ----------------------------------------------------------------------------------


@dataclass
class Board:
    on: dt.date
    soon_days: int
    soon_until: dt.date
    buckets: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    by_unit: list[dict[str, Any]] = field(default_factory=list)
    by_person: list[dict[str, Any]] = field(default_factory=list)
    # Resolutions on control whose responsible executor is done: waiting for the controller to take them
    # off control with the result (the card's execution mark).
    to_close: list[Resolution] = field(default_factory=list)


def board_queryset(
    *,
    user: Any,
    organisation: Organisation | None = None,
    unit: Unit | None = None,
    person: User | None = None,
    on_control_only: bool = False,
) -> QuerySet[Assignment]:
    """Open assignments of active resolutions the user may open, filtered."""
    qs = assignments_visible_to(user).filter(
        status__in=OPEN_ASSIGNMENT_STATUSES, resolution__status=ResolutionStatus.ACTIVE
    )
    return _board_filters(qs, organisation=organisation, unit=unit, person=person,
                          on_control_only=on_control_only)


def _board_filters(qs: QuerySet[Assignment], *, organisation: Organisation | None, unit: Unit | None,
                   person: User | None, on_control_only: bool) -> QuerySet[Assignment]:
    if organisation is not None:
        qs = qs.filter(organisation_id=organisation.pk)
    if unit is not None:
        subtree = perms.unit_subtree_ids(unit)
        staff = Employee.objects.filter(
            unit_id__in=subtree, organisation_id=unit.organisation_id, is_active=True
        ).values("user_id")
        qs = qs.filter(
            Q(unit_id__in=subtree) | Q(assignee_id__in=staff, organisation_id=unit.organisation_id)
        )
    if person is not None:
        qs = qs.filter(assignee_id=person.pk)
    if on_control_only:
        qs = qs.filter(resolution__on_control=True)
    return qs


def _bucket_q(on: dt.date, soon_until: dt.date) -> dict[str, Q]:
    return {
        Bucket.OVERDUE: Q(deadline__lt=on),
        Bucket.TODAY: Q(deadline=on),
        Bucket.SOON: Q(deadline__gt=on, deadline__lte=soon_until),
        Bucket.LATER: Q(deadline__gt=soon_until),
    }


def control_board(
    *,
    user: Any,
    on: dt.date,
    soon_days: int = DEFAULT_SOON_WORKING_DAYS,
    organisation: Organisation | None = None,
    unit: Unit | None = None,
    person: User | None = None,
    on_control_only: bool = False,
) -> Board:
    """Buckets overdue / due today / due within ``soon_days`` working days / later, with counts per unit and
    per person (database aggregation)."""
    from ratusha.workflow.services.daily import soon_end

    soon_until = soon_end(on, soon_days)
    qs = board_queryset(
        user=user, organisation=organisation, unit=unit, person=person, on_control_only=on_control_only
    ).distinct()
    board = Board(on=on, soon_days=soon_days, soon_until=soon_until)
    conditions = _bucket_q(on, soon_until)
    for bucket in Bucket:
        part = qs.filter(conditions[bucket])
        rows = list(part.select_related(*ROW_RELATED).order_by("deadline", "created_at")[:LIST_LIMIT])
        board.buckets.append(
            {
                "key": bucket.value,
                "title": bucket.label,
                "rows": annotate_due(rows, on),
                "count": part.count(),
            }
        )
    board.total = sum(b["count"] for b in board.buckets)
    counts = {bucket.value: Count("pk", filter=conditions[bucket], distinct=True) for bucket in Bucket}
    ids = qs.values("pk")
    base = Assignment.objects.filter(pk__in=ids)
    people = list(
        base.values("assignee_id")
        .annotate(total=Count("pk", distinct=True), **counts)
        .order_by("-overdue", "-total")
    )
    users = User.objects.in_bulk([row["assignee_id"] for row in people])
    board.by_person = [{**row, "person": users.get(row["assignee_id"])} for row in people]
    emp_unit = Employee.objects.filter(
        user_id=OuterRef("assignee_id"), organisation_id=OuterRef("organisation_id"), is_active=True
    ).values("unit_id")[:1]
    units = list(
        base.annotate(emp_unit=Subquery(emp_unit, output_field=UUIDField()))
        .values("emp_unit")
        .annotate(total=Count("pk", distinct=True), **counts)
        .order_by("-overdue", "-total")
    )
    unit_names = Unit.objects.in_bulk([row["emp_unit"] for row in units if row["emp_unit"]])
    board.by_unit = [{**row, "unit": unit_names.get(row["emp_unit"])} for row in units]
    board.to_close = resolutions_to_close(user=user, organisation=organisation, unit=unit, person=person)
    return board


def resolutions_to_close(*, user: Any, organisation: Organisation | None = None, unit: Unit | None = None,
                         person: User | None = None) -> list[Resolution]:
    """Active resolutions on control that the user may close and whose responsible assignment is DONE
    (with the board's filters applied to that assignment)."""
    done = _board_filters(
        assignments_visible_to(user).filter(parent=None, role=AssignmentRole.RESPONSIBLE,
                                            status=AssignmentStatus.DONE),
        organisation=organisation, unit=unit, person=person, on_control_only=True)
    qs = (Resolution.objects.filter(status=ResolutionStatus.ACTIVE, on_control=True,
                                    pk__in=done.values("resolution_id"))
          .select_related("document", "controller", "author").order_by("deadline"))
    return [r for r in qs[:LIST_LIMIT] if perms.can_close(user, r)]


def board_people(*, user: Any) -> QuerySet[User]:
    """People the user may filter the board by: executors of open assignments the user can see."""
    ids = assignments_visible_to(user).filter(status__in=OPEN_ASSIGNMENT_STATUSES).values("assignee_id")
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name")


# --- The card panel -------------------------------------------------------------------------------------


@dataclass
class Node:
    assignment: Assignment
    children: list[Node] = field(default_factory=list)
    visible: bool = False


def assignment_tree(assignments: list[Assignment], visible_ids: set[Any]) -> list[Node]:
    nodes = {a.pk: Node(a, visible=a.pk in visible_ids) for a in assignments}
    roots: list[Node] = []
    for a in assignments:
        parent = nodes.get(a.parent_id)
        (parent.children if parent else roots).append(nodes[a.pk])
    return roots


def flatten_tree(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        out.extend(flatten_tree(node.children))
    return out


def document_resolutions(*, user: Any, document: Any, on: dt.date) -> list[Resolution]:
    """Resolutions of a card the user already opened, newest first; each carries ``tree`` (its assignment
    tree; ``visible`` says whether the user may open an assignment) and the rights ``may_close``,
    ``may_revoke``."""
    resolutions = list(
        Resolution.objects.filter(document=document)
        .select_related("author", "written_by", "controller", "closed_by")
        .order_by("-date", "-created_at")
    )
    assignments = list(
        Assignment.objects.filter(document=document)
        .select_related("assignee", "unit", "issued_by")
        .order_by("depth", "created_at")
    )
    visible_ids = set(assignments_visible_to(user).filter(document=document).values_list("pk", flat=True))
    annotate_due(assignments, on)
    for res in resolutions:
        own = [a for a in assignments if a.resolution_id == res.pk]
        res.tree = assignment_tree(own, visible_ids)
        res.may_close = perms.can_close(user, res)
        res.may_revoke = perms.can_revoke(user, res)
    return resolutions
