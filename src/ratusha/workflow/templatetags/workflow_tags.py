"""Template tags of the workflow app (the resolution/assignments panel on the registry card)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def workflow_panel(context, document) -> str:
    """Placeholder until the workflow views land: renders nothing."""
    return ""
