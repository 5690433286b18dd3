"""Small template helpers of the office UI: icons from the SVG sprite, file sizes, initials."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def icon(name: str, css: str = "icon") -> str:
    """An icon from ``static/ratusha/img/icons.svg``; decorative, hidden from assistive tech."""
    return format_html('<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
                       css, static("ratusha/img/icons.svg"), name)


@register.filter
def filesize(value: int | None) -> str:
    """Bytes in the units a clerk reads: «12 КБ», «3,4 МБ»."""
    if value is None:
        return ""
    size = float(value)
    if size < 1024:
        return _("%(n)d Б") % {"n": int(size)}
    if size < 1024 * 1024:
        return _("%(n)s КБ") % {"n": f"{size / 1024:.0f}"}
    return _("%(n)s МБ") % {"n": f"{size / 1024 / 1024:.1f}".replace(".", ",")}


@register.filter
def initials(user) -> str:
    first = (getattr(user, "first_name", "") or "")[:1]
    last = (getattr(user, "last_name", "") or "")[:1]
    return (last + first).upper() or (getattr(user, "username", "?")[:1]).upper()


@register.simple_tag(takes_context=True)
def current_if(context, prefix: str, exact: bool = False, unless: str = "") -> str:
    """``aria-current="page"`` when the request path is (or starts with) ``prefix`` — and, with ``unless``,
    does not start with that deeper prefix (which has a menu item of its own)."""
    request = context.get("request")
    path = getattr(request, "path", "")
    hit = path == prefix if exact else path.startswith(prefix)
    hit = hit and not (unless and path.startswith(unless))
    return mark_safe('aria-current="page"') if hit else ""  # noqa: S308 - constant


@register.simple_tag
def may_grant_installation_roles(user) -> bool:
    """Whether the navigation offers «Ролі установки» (the page itself re-checks)."""
    from ratusha.orgs.permissions import is_installation_admin

    return is_installation_admin(user)


@register.simple_tag
def may_register(user) -> bool:
    """Whether the navigation offers «Зареєструвати» (the form itself re-checks)."""
    from ratusha.orgs.constants import REGISTERING_ROLES
    from ratusha.orgs.permissions import organisation_ids

    return bool(organisation_ids(user, REGISTERING_ROLES))
