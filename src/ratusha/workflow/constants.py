"""Resolutions, assignments and execution control: statuses and their transitions (docs/architecture.md rule 2).

Legal sources: docs/legal.md §6 (CMU No. 55 of 17.01.2018; default execution terms are settings ⚠) and
§2 (terms are counted by the one engine in ``ratusha.calendar``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineKind(models.TextChoices):
    """How a resolution's deadline was set. Rule-based ones are recomputed after a calendar change."""

    DATE = "date", _("Конкретна дата")
    # docs/legal.md §6 ⚠ (settings): no deadline set → 30 calendar days; «Терміново» → 3 working days;
    # «Невідкладно» → 1 working day; counted from the registration date by ``calendar`` rules.
    DEFAULT = "control-default", _("Типовий строк (30 календарних днів)")
    URGENT = "control-urgent", _("Терміново (3 робочі дні)")
    IMMEDIATE = "control-immediate", _("Невідкладно (1 робочий день)")


class ResolutionStatus(models.TextChoices):
    ACTIVE = "active", _("Виконується")
    CLOSED = "closed", _("Знято з контролю / виконано")
    REVOKED = "revoked", _("Скасовано")


RESOLUTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ResolutionStatus.ACTIVE: frozenset({ResolutionStatus.CLOSED, ResolutionStatus.REVOKED}),
    ResolutionStatus.CLOSED: frozenset({ResolutionStatus.ACTIVE}),  # put back on control
    ResolutionStatus.REVOKED: frozenset(),
}


class AssignmentStatus(models.TextChoices):
    ISSUED = "issued", _("Видано")
    ACCEPTED = "accepted", _("Прийнято до виконання")
    IN_PROGRESS = "in_progress", _("Виконується")
    REPORTED = "reported", _("Звіт подано")
    DONE = "done", _("Виконано")
    RETURNED = "returned", _("Повернуто на доопрацювання")
    CANCELLED = "cancelled", _("Скасовано")


# issued → accepted → in progress → report submitted → done, or returned for rework (issue 3).
ASSIGNMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AssignmentStatus.ISSUED: frozenset({AssignmentStatus.ACCEPTED, AssignmentStatus.CANCELLED}),
    AssignmentStatus.ACCEPTED: frozenset(
        {AssignmentStatus.IN_PROGRESS, AssignmentStatus.REPORTED, AssignmentStatus.CANCELLED}
    ),
    AssignmentStatus.IN_PROGRESS: frozenset({AssignmentStatus.REPORTED, AssignmentStatus.CANCELLED}),
    AssignmentStatus.REPORTED: frozenset(
        {AssignmentStatus.DONE, AssignmentStatus.RETURNED, AssignmentStatus.CANCELLED}
    ),
    AssignmentStatus.RETURNED: frozenset(
        {AssignmentStatus.IN_PROGRESS, AssignmentStatus.REPORTED, AssignmentStatus.CANCELLED}
    ),
    AssignmentStatus.DONE: frozenset(),
    AssignmentStatus.CANCELLED: frozenset(),
}
OPEN_ASSIGNMENT_STATUSES = frozenset(
    {
        AssignmentStatus.ISSUED,
        AssignmentStatus.ACCEPTED,
        AssignmentStatus.IN_PROGRESS,
        AssignmentStatus.REPORTED,
        AssignmentStatus.RETURNED,
    }
)


class AssignmentRole(models.TextChoices):
    RESPONSIBLE = "responsible", _("Відповідальний виконавець")
    CO_EXECUTOR = "co_executor", _("Співвиконавець")


class DeadlineChangeStatus(models.TextChoices):
    PENDING = "pending", _("Очікує рішення")
    APPROVED = "approved", _("Погоджено")
    REJECTED = "rejected", _("Відхилено")


DEADLINE_CHANGE_TRANSITIONS: dict[str, frozenset[str]] = {
    DeadlineChangeStatus.PENDING: frozenset({DeadlineChangeStatus.APPROVED, DeadlineChangeStatus.REJECTED}),
    DeadlineChangeStatus.APPROVED: frozenset(),
    DeadlineChangeStatus.REJECTED: frozenset(),
}


class Bucket(models.TextChoices):
    """Execution-control board columns."""

    OVERDUE = "overdue", _("Прострочено")
    TODAY = "today", _("Строк сьогодні")
    SOON = "soon", _("Строк найближчими днями")
    LATER = "later", _("Пізніше")


# The board's "due within N working days" default.
DEFAULT_SOON_WORKING_DAYS = 3


# --- Rules used by the services (docs/legal.md §6; issue 3) -------------------------------------------------

# A resolution is written on a registered card that is not closed (docs/legal.md §6: the resolution is part
# of the registration-control card; a cancelled registration is not executed).
RESOLVABLE_DOCUMENT_STATUSES = frozenset({"registered", "in_work"})

# The card's «терміновість» that a deadline rule implies (docs/legal.md §6 ⚠: «Терміново» — 3 working days,
# «Невідкладно» — 1 working day). A concrete date keeps the card's urgency as registered.
URGENCY_BY_DEADLINE_KIND = {
    DeadlineKind.DEFAULT: "normal",
    DeadlineKind.URGENT: "urgent",
    DeadlineKind.IMMEDIATE: "immediate",
}
# The other way round: the resolution form pre-selects the rule matching the card's urgency.
DEADLINE_KIND_BY_URGENCY = {"urgent": DeadlineKind.URGENT, "immediate": DeadlineKind.IMMEDIATE}

# Statuses in which the executor works on the task (and may issue sub-assignments or ask for more time).
WORKING_STATUSES = frozenset(
    {
        AssignmentStatus.ISSUED,
        AssignmentStatus.ACCEPTED,
        AssignmentStatus.IN_PROGRESS,
        AssignmentStatus.RETURNED,
    }
)
# Statuses from which the executor may submit a report.
REPORTABLE_STATUSES = frozenset(
    s for s, targets in ASSIGNMENT_TRANSITIONS.items() if AssignmentStatus.REPORTED in targets
)

# Roles (``orgs.constants.Role`` values) that see every assignment of their organisation and may be
# named controllers of a resolution (issue 3: "a person with CONTROLLER or HEAD role").
OVERSIGHT_ROLES = frozenset({"head", "controller"})
CONTROLLER_ROLES = OVERSIGHT_ROLES
# Roles that write resolutions (the head, or the deputy acting for the head under a Delegation).
RESOLVING_ROLES = frozenset({"head"})

# How many rows each bucket of the control board and each list of «Мої доручення» shows.
LIST_LIMIT = 100
# Items of the heads' digest section «Прострочені доручення підлеглих» (the rest: a link to the board).
DIGEST_HEAD_LIMIT = 30
