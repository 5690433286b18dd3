"""Reads of the reports app, access-checked (docs/architecture.md rule 5).

Execution discipline (виконавська дисципліна, issue 3 item 6). For a period [date_from, date_to] of one
organisation, optionally a unit subtree and/or one person, it counts assignments — never CANCELLED ones;
optionally only top-level ones (``depth=0``) and/or only responsible executors:

* on time («виконано вчасно») — DONE with ``done_on`` in the period and ``done_on <= deadline``;
* late («виконано із запізненням») — DONE with ``done_on`` in the period and ``done_on > deadline``;
* overdue («прострочено») — open on the report day (the period's last day, or today if the period is
  not over yet), i.e. not DONE by then (not done at all, or ``done_on`` after that day), with the
  deadline before that day (so the deadline lies within or before the period);
* in progress («на виконанні») — open on the report day, issued (``created_at``) on or before it, with
  the deadline not passed yet (on or after that day).

Discipline rate = on time / (on time + late + overdue), in percent; "—" when nothing counts.
(docs/legal.md §6, CMU No. 55 of 17.01.2018: the execution mark's date against the execution deadline.)

Each assignment is counted in the unit it was given to (``Assignment.unit``), otherwise in its
assignee's unit in that organisation (their current appointment). All counts come from ONE aggregate
query (``Count(filter=Q(...))`` grouped by unit and assignee) — never a Python loop over assignments —
so the report stays fast with 100k assignments. A unit's subtotal includes its sub-units.

Who sees what: heads and controllers of the organisation (own appointment or acting deputy) see all of
it; a unit head (an appointment in a unit on a Position with ``is_head``, own or acting) sees the
subtrees of the units they head plus their own assignments; anyone else working there sees only their
own assignments (and those of the people they act for). Outsiders get Http404. Superusers are not
exempt (as in the registry).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, UUIDField
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from ratusha.orgs.constants import Role
from ratusha.orgs.models import Employee, Organisation, Unit, User
from ratusha.orgs.permissions import employees_acting_for, roles_by_organisation
from ratusha.registry.selectors import acting_user_ids
from ratusha.reports.constants import Figure
from ratusha.workflow.constants import OPEN_ASSIGNMENT_STATUSES, AssignmentRole, AssignmentStatus
from ratusha.workflow.models import Assignment

UKRAINIAN_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_ALPHABET_RANK = {letter: index for index, letter in enumerate(UKRAINIAN_ALPHABET)}

# Roles that see the execution discipline of the whole organisation.
ORG_WIDE_ROLES = frozenset({Role.HEAD, Role.CONTROLLER})
FIGURES = tuple(Figure.values)


# --- Result types -------------------------------------------------------------------------------


@dataclass
class Counts:
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    in_progress: int = 0

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.overdue + self.in_progress

    @property
    def rated(self) -> int:
        """The rate's denominator: everything whose outcome is known (in-progress items are not)."""
        return self.on_time + self.late + self.overdue

    @property
    def rate(self) -> Decimal | None:
        """Discipline rate in percent, one decimal (None when nothing is rated)."""
        if not self.rated:
            return None
        return (Decimal(self.on_time) * 100 / Decimal(self.rated)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def values(self) -> list[int]:
        return [getattr(self, name) for name in FIGURES]

    def add(self, other: Counts) -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class PersonRow:
    user: User
    counts: Counts


@dataclass
class UnitGroup:
    """One unit of the report: its own people's rows and a subtotal over its whole subtree."""

    unit: Unit | None  # None: assignments of people without a unit
    depth: int
    rows: list[PersonRow] = field(default_factory=list)
    subtotal: Counts = field(default_factory=Counts)
    has_subunits: bool = False


@dataclass(frozen=True)
class ReportScope:
    organisation: Organisation
    whole: bool  # heads and controllers: the whole organisation
    unit_ids: frozenset[Any]  # unit heads: the subtrees of the units they head
    people_ids: frozenset[Any]  # the user and those they act for

    @property
    def kind(self) -> str:
        if self.whole:
            return "organisation"
        return "units" if self.unit_ids else "self"


@dataclass
class ExecutionReport:
    organisation: Organisation
    scope: ReportScope
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date  # the report day: the period's end, or today when the period is not over
    unit: Unit | None
    person: User | None
    top_level_only: bool
    responsible_only: bool
    groups: list[UnitGroup]
    total: Counts

    @property
    def is_empty(self) -> bool:
        return self.total.total == 0


def uk_sort_key(text: str) -> tuple[int, ...]:
    """Ukrainian alphabetical order (Є after Е, І/Ї after И, Ґ after Г); apostrophes are ignored."""
    return tuple(_ALPHABET_RANK.get(ch, 100 + ord(ch)) for ch in text.lower() if ch not in "'’ʼ")


def person_sort_key(user: User) -> tuple[tuple[int, ...], ...]:
    return (uk_sort_key(user.last_name), uk_sort_key(user.first_name), uk_sort_key(user.middle_name),
            uk_sort_key(user.username))


# --- Organisations, scope, units, people --------------------------------------------------------


def report_organisations(*, user: Any) -> QuerySet[Organisation]:
    """Organisations whose reports the user may open: where they work or act for someone."""
    ids = list(roles_by_organisation(user))
    return Organisation.objects.filter(pk__in=ids, is_active=True).order_by("kind", "name")


def report_organisation_get(*, user: Any, pk: Any) -> Organisation:
    """An organisation of ``report_organisations`` (Http404 otherwise, also for malformed ids)."""
    try:
        return report_organisations(user=user).get(pk=pk)
    except (Organisation.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


def unit_tree(organisation: Organisation) -> list[tuple[Unit, int]]:
    """All units of the organisation (incl. inactive ones: they keep history) depth-first, by code."""
    units = list(Unit.objects.filter(organisation=organisation).order_by("code", "name"))
    known = {unit.pk for unit in units}
    children: dict[Any, list[Unit]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id if unit.parent_id in known else None].append(unit)
    out: list[tuple[Unit, int]] = []
    seen: set[Any] = set()

    def walk(parent_id: Any, depth: int) -> None:
        for unit in children.get(parent_id, []):
            if unit.pk not in seen:  # a cycle in bad data must not hang the page
                seen.add(unit.pk)
                out.append((unit, depth))
                walk(unit.pk, depth + 1)

    walk(None, 0)
    return out


def _subtree_ids(tree: list[tuple[Unit, int]], roots: set[Any]) -> set[Any]:
    """Ids of ``roots`` and all their descendants (``tree`` is depth-first)."""
    result: set[Any] = set()
    inside_depth: int | None = None
    for unit, depth in tree:
        if inside_depth is not None and depth <= inside_depth:
            inside_depth = None
        if inside_depth is None and unit.pk in roots:
            inside_depth = depth
        if inside_depth is not None:
            result.add(unit.pk)
    return result


def report_scope(*, user: Any, organisation: Organisation,
                 tree: list[tuple[Unit, int]] | None = None) -> ReportScope:
    """What of ``organisation``'s execution the user may see (Http404 for an outsider)."""
    roles = roles_by_organisation(user)
    org_key = str(organisation.pk)
    if org_key not in roles:
        raise Http404
    people = frozenset(acting_user_ids(user))
    if roles[org_key] & ORG_WIDE_ROLES:
        return ReportScope(organisation, True, frozenset(), people)
    headed = (Employee.objects.filter(employees_acting_for(user), organisation=organisation, is_active=True,
                                      position__is_head=True)
              .values_list("unit_id", "position__unit_id"))
    roots = {own or of_position for own, of_position in headed if own or of_position}
    unit_ids: set[Any] = set()
    if roots:
        unit_ids = _subtree_ids(tree if tree is not None else unit_tree(organisation), roots)
    return ReportScope(organisation, False, frozenset(unit_ids), people)


def report_units(*, scope: ReportScope, tree: list[tuple[Unit, int]] | None = None) -> list[tuple[Unit, int]]:
    """Active units the user may filter by, in tree order with their depth."""
    if not scope.whole and not scope.unit_ids:
        return []
    tree = tree if tree is not None else unit_tree(scope.organisation)
    return [(u, d) for u, d in tree if u.is_active and (scope.whole or u.pk in scope.unit_ids)]


def report_people(*, scope: ReportScope) -> list[User]:
    """People the user may filter by: staff of the organisation within the scope, alphabetically."""
    employees = Employee.objects.filter(organisation=scope.organisation, is_active=True)
    if not scope.whole:
        employees = employees.filter(Q(unit_id__in=scope.unit_ids) | Q(user_id__in=scope.people_ids))
    return sorted(User.objects.filter(pk__in=employees.values("user_id")), key=person_sort_key)


# --- The execution-discipline report ------------------------------------------------------------


def _report_unit() -> Coalesce:
    """The unit an assignment is counted in: the unit it was given to, else the assignee's unit."""
    assignee_unit = (Employee.objects
                     .filter(user_id=OuterRef("assignee_id"), organisation_id=OuterRef("organisation_id"))
                     .values("unit_id")[:1])
    return Coalesce("unit_id", Subquery(assignee_unit), output_field=UUIDField())


def _figure_filters(date_from: dt.date, date_to: dt.date, as_of: dt.date) -> tuple[dict[str, Q], Q]:
    """Q per figure (see the module docstring) and the Q of everything that counts at all."""
    issued_before = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min))
    done_in_period = Q(status=AssignmentStatus.DONE, done_on__gte=date_from, done_on__lte=date_to)
    open_on_day = ((Q(status__in=OPEN_ASSIGNMENT_STATUSES) | Q(status=AssignmentStatus.DONE, done_on__gt=as_of))
                   & Q(created_at__lt=issued_before))
    figures = {
        Figure.ON_TIME: done_in_period & Q(done_on__lte=F("deadline")),
        Figure.LATE: done_in_period & Q(done_on__gt=F("deadline")),
        Figure.OVERDUE: open_on_day & Q(deadline__lt=as_of),
        Figure.IN_PROGRESS: open_on_day & Q(deadline__gte=as_of),
    }
    return figures, done_in_period | open_on_day


def execution_report(*, user: Any, organisation: Organisation, date_from: dt.date, date_to: dt.date,
                     unit: Unit | None = None, person: User | None = None, top_level_only: bool = False,
                     responsible_only: bool = False, today: dt.date | None = None) -> ExecutionReport:
    """The execution-discipline report of ``organisation`` as far as ``user`` may see it."""
    tree = unit_tree(organisation)
    scope = report_scope(user=user, organisation=organisation, tree=tree)
    today = today or timezone.localdate()
    as_of = min(date_to, today)
    figures, relevant = _figure_filters(date_from, date_to, as_of)

    qs = (Assignment.objects.filter(organisation=organisation)
          .exclude(status=AssignmentStatus.CANCELLED)
          .annotate(report_unit=_report_unit()))
    if not scope.whole:
        allowed = Q(assignee_id__in=scope.people_ids)
        if scope.unit_ids:
            allowed |= Q(report_unit__in=scope.unit_ids)
        qs = qs.filter(allowed)
    if unit is not None:
        qs = qs.filter(report_unit__in=_subtree_ids(tree, {unit.pk}))
    if person is not None:
        qs = qs.filter(assignee_id=person.pk)
    if top_level_only:
        qs = qs.filter(depth=0)
    if responsible_only:
        qs = qs.filter(role=AssignmentRole.RESPONSIBLE)
    rows = list(qs.filter(relevant).order_by()
                .values("report_unit", "assignee_id")
                .annotate(**{name: Count("pk", filter=q) for name, q in figures.items()}))

    groups, total = _arrange(tree, rows)
    return ExecutionReport(organisation=organisation, scope=scope, date_from=date_from, date_to=date_to,
                           as_of=as_of, unit=unit, person=person, top_level_only=top_level_only,
                           responsible_only=responsible_only, groups=groups, total=total)


def _arrange(tree: list[tuple[Unit, int]], rows: list[dict[str, Any]]) -> tuple[list[UnitGroup], Counts]:
    """Aggregated rows → unit groups in tree order (people sorted by name), subtotals rolled up."""
    users = (User.objects.only("username", "first_name", "last_name", "middle_name")
             .in_bulk({row["assignee_id"] for row in rows}))
    own: dict[Any, list[PersonRow]] = defaultdict(list)
    for row in rows:
        counts = Counts(**{name: row[name] for name in FIGURES})
        own[row["report_unit"]].append(PersonRow(users[row["assignee_id"]], counts))
    for people in own.values():
        people.sort(key=lambda r: person_sort_key(r.user))

    groups: list[UnitGroup] = []
    open_groups: list[UnitGroup] = []  # the ancestors chain of the current unit (by depth)
    known: set[Any] = set()
    for unit, depth in tree:
        known.add(unit.pk)
        del open_groups[depth:]
        group = UnitGroup(unit=unit, depth=depth, rows=own.get(unit.pk, []))
        for person_row in group.rows:
            group.subtotal.add(person_row.counts)
            for ancestor in open_groups:
                ancestor.subtotal.add(person_row.counts)
        open_groups.append(group)
        groups.append(group)
    groups = [g for g in groups if g.subtotal.total]
    for index, group in enumerate(groups[:-1]):  # depth-first: a deeper next group is a sub-unit
        group.has_subunits = groups[index + 1].depth > group.depth
    # Units of another organisation (bad data) and people without a unit go last, ungrouped by tree.
    for key in [k for k in own if k not in known]:
        group = UnitGroup(unit=None if key is None else Unit.objects.filter(pk=key).first(), depth=0,
                          rows=own[key])
        for person_row in group.rows:
            group.subtotal.add(person_row.counts)
        groups.append(group)
    groups.sort(key=lambda g: g.unit is None)  # stable: "without a unit" last
    total = Counts()
    for people in own.values():
        for person_row in people:
            total.add(person_row.counts)
    return groups, total

