"""The header bell: ``{% load notifications %}{% notification_bell %}`` (one COUNT query)."""

from __future__ import annotations

from typing import Any

from django import template

from ratusha.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/includes/bell.html", takes_context=True)
def notification_bell(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    return {"unread": unread_count(user), "user": user}
