"""Template tags of the approvals app (the visas panel on the registry card)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def approvals_panel(context, document) -> str:
    """Placeholder until the approval views land: renders nothing."""
    return ""
