"""Template helpers of the office appeals pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from ratusha.appeals.services.terms import days_left

register = template.Library()


@register.inclusion_tag("appeals/includes/term.html")
def appeal_term(appeal: Any, today: dt.date | None = None) -> dict[str, Any]:
    """The deadline with «прострочено на N дн.» / «останній день» / «залишилось N дн.»."""
    left = days_left(appeal, today)
    return {"deadline": appeal.deadline, "left": left, "late": -left if left is not None and left < 0 else 0}


@register.simple_tag
def may_see_appeals(user: Any) -> bool:
    """Whether the navigation offers «Звернення громадян» (the pages re-check)."""
    from ratusha.appeals import permissions as perms

    return bool(perms.reading_organisation_ids(user))
