"""Template tags of the workflow app: the resolutions/assignments panel on the registry card."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def workflow_panel(context: Any, document: Any) -> str:
    """Resolutions of the card with their assignment trees, control info and «Накласти резолюцію»."""
    from ratusha.workflow import permissions as perms
    from ratusha.workflow.selectors import document_resolutions, flatten_tree

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    today = timezone.localdate()
    resolutions = document_resolutions(user=user, document=document, on=today)
    for res in resolutions:
        res.nodes = flatten_tree(res.tree)
    return render_to_string(
        "workflow/includes/panel.html",
        {
            "doc": document,
            "resolutions": resolutions,
            "today": today,
            "may_resolve": perms.can_resolve(user, document),
        },
        request=request,
    )
