"""Reads of the workflow app, access-checked (docs/architecture.md rule 5).

Import from ``ratusha.workflow.selectors``.
"""

from ratusha.workflow.selectors.access import (
    assignment_get,
    assignment_history,
    assignments_visible_to,
    deadline_request_get,
    due_info,
    resolution_get,
    resolutions_visible_to,
    visibility_q,
)
from ratusha.workflow.selectors.lists import (
    Board,
    Node,
    Section,
    annotate_due,
    board_people,
    board_queryset,
    control_board,
    deadline_requests_to_decide,
    document_resolutions,
    flatten_tree,
    my_assignments,
)

__all__ = [
    "Board",
    "Node",
    "Section",
    "annotate_due",
    "assignment_get",
    "assignment_history",
    "assignments_visible_to",
    "board_people",
    "board_queryset",
    "control_board",
    "deadline_request_get",
    "deadline_requests_to_decide",
    "document_resolutions",
    "due_info",
    "flatten_tree",
    "my_assignments",
    "resolution_get",
    "resolutions_visible_to",
    "visibility_q",
]
