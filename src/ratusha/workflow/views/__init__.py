"""Office pages of the workflow app. Views translate HTTP to service/selector calls; no rules here."""

from ratusha.workflow.views.assignments import (
    assignment_accept,
    assignment_accept_report,
    assignment_cancel,
    assignment_detail,
    assignment_report,
    assignment_return,
    assignment_start,
    assignment_subassign,
    deadline_decide,
    deadline_request,
    home,
    report_file,
)
from ratusha.workflow.views.board import control_board
from ratusha.workflow.views.resolutions import resolution_close, resolution_detail, resolution_revoke, resolve

__all__ = [
    "assignment_accept",
    "assignment_accept_report",
    "assignment_cancel",
    "assignment_detail",
    "assignment_report",
    "assignment_return",
    "assignment_start",
    "assignment_subassign",
    "control_board",
    "deadline_decide",
    "deadline_request",
    "home",
    "report_file",
    "resolution_close",
    "resolution_detail",
    "resolution_revoke",
    "resolve",
]
