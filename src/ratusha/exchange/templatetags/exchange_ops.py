"""Whether the navigation and the exchange pages offer «Обмін: операції» (the page checks again)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def exchange_ops_admin(user: Any) -> bool:
    from ratusha.exchange.selectors_ops import is_ops_admin

    return is_ops_admin(user)
