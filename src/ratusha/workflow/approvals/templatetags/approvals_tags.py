"""Template tags of the approvals app: the visas panel on the registry card, badge classes, SHA-256."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

register = template.Library()

# Decisions and statuses drawn with the design system's existing badge colours (app.css), so the panel
# also looks right on the registry card, which does not load approvals.css.
DECISION_CLASSES = {
    "pending": "",
    "approved": "badge--executed",
    "approved_with_remarks": "badge--in_work",
    "rejected": "badge--cancelled",
    "signed": "badge--registered",
    "cancelled": "badge--filed",
}
STATUS_CLASSES = {
    "draft": "",
    "on_approval": "badge--in_work",
    "returned": "badge--restricted",
    "approved": "badge--control",
    "signed": "badge--executed",
    "registered": "badge--executed",
    "withdrawn": "badge--cancelled",
}


@register.filter
def decision_class(decision: str) -> str:
    return DECISION_CLASSES.get(decision, "")


@register.filter
def draft_status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "")


@register.filter
def short_sha(sha256: str) -> str:
    return f"{sha256[:12]}…" if sha256 else ""


@register.simple_tag(takes_context=True)
def approvals_panel(context: Any, document: Any) -> str:
    """Visas and the signature of a document that was prepared and signed here (nothing otherwise).

    The registry shows the card only to those who may open it; the panel adds no access of its own.
    """
    from ratusha.workflow.approvals.selectors import document_approvals, drafts_visible_to

    data = document_approvals(document=document)
    if data is None:
        return ""
    request = context.get("request")
    user = getattr(request, "user", None)
    data["can_open_draft"] = drafts_visible_to(user).filter(pk=data["draft"].pk).exists()
    return render_to_string("approvals/includes/panel.html", data, request=request)
