"""Template tags of the public site layout (``templates/public/layout.html``): the council's name and
contacts for the header and footer. The Wagtail website (issue 5) will take the layout over."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def public_council(context: Any) -> Any:
    """The installation's city council (the organisation the site speaks for), or None; once per render."""
    cached = context.get("_public_council", False)
    if cached is not False:
        return cached
    from ratusha.orgs.constants import OrgKind
    from ratusha.orgs.models import Organisation

    council = (Organisation.objects.filter(kind=OrgKind.CITY_COUNCIL, is_active=True, parent__isnull=True)
               .order_by("created_at").first())
    context.dicts[0]["_public_council"] = council
    return council


@register.simple_tag(takes_context=True)
def nav_current(context: Any, prefix: str, exact: bool = False) -> str:
    """``aria-current="page"`` for the main-menu link of the page being shown."""
    request = context.get("request")
    path = getattr(request, "path", "")
    hit = path == prefix if exact else path.startswith(prefix)
    return mark_safe('aria-current="page"') if hit else ""  # a constant, nothing from the request
