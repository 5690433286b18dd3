"""Every write of the workflow app (docs/architecture.md rule 1). Import from here: ``ratusha.workflow.services``."""

from ratusha.workflow.services._common import (
    ConflictError,
    assignment_transition,
    deadline_change_transition,
    resolution_transition,
)
from ratusha.workflow.services.assignments import (
    assignment_accept,
    assignment_accept_report,
    assignment_cancel,
    assignment_report,
    assignment_return,
    assignment_start,
    assignment_subassign,
)
from ratusha.workflow.services.daily import (
    due_reminders_send,
    escalation_target,
    overdue_escalate,
    workflow_daily,
)
from ratusha.workflow.services.deadlines import (
    deadline_change_decide,
    deadline_change_request,
    deadlines_recompute,
)
from ratusha.workflow.services.resolutions import (
    resolution_close,
    resolution_create,
    resolution_deadline,
    resolution_revoke,
)

__all__ = [
    "ConflictError",
    "assignment_accept",
    "assignment_accept_report",
    "assignment_cancel",
    "assignment_report",
    "assignment_return",
    "assignment_start",
    "assignment_subassign",
    "assignment_transition",
    "deadline_change_decide",
    "deadline_change_request",
    "deadline_change_transition",
    "deadlines_recompute",
    "due_reminders_send",
    "escalation_target",
    "overdue_escalate",
    "resolution_close",
    "resolution_create",
    "resolution_deadline",
    "resolution_revoke",
    "resolution_transition",
    "workflow_daily",
]
