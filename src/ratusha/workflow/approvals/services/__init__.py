"""Every write of the approvals app (docs/architecture.md rule 1). Import from here: ``ratusha.workflow.approvals.services``."""

from ratusha.workflow.approvals.services.drafts import draft_create, draft_version_add, draft_withdraw
from ratusha.workflow.approvals.services.registration import register_signed_draft
from ratusha.workflow.approvals.services.route_templates import (
    can_manage_templates,
    route_template_create,
    route_template_step_add,
    route_template_step_remove,
    route_template_update,
)
from ratusha.workflow.approvals.services.routes import (
    RouteStep,
    normalise_steps,
    route_start,
    route_task_decide,
    steps_for_start,
    steps_from_template,
    unit_head_for,
)
from ratusha.workflow.approvals.services.sign import route_task_sign

__all__ = [
    "RouteStep",
    "can_manage_templates",
    "draft_create",
    "draft_version_add",
    "draft_withdraw",
    "normalise_steps",
    "register_signed_draft",
    "route_start",
    "route_task_decide",
    "route_task_sign",
    "route_template_create",
    "route_template_step_add",
    "route_template_step_remove",
    "route_template_update",
    "steps_for_start",
    "steps_from_template",
    "unit_head_for",
]
