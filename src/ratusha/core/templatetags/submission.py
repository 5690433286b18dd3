"""``{% submission_token %}`` — put inside every create form, next to ``{% csrf_token %}``.

It renders the form's one-time submission token (``core/submissions.py``) and, when the form is
offered again after the session ended, the reference to the files kept for it with their names
(``core/parking.py``).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

from ratusha.core import parking, submissions

register = template.Library()


@register.simple_tag(takes_context=True)
def submission_token(context: Any) -> str:
    request = context.get("request")
    if request is None:
        return ""
    parked = getattr(request, "parked_submission", None)
    return render_to_string(
        "core/includes/submission_token.html",
        {
            "field": submissions.FIELD,
            "token": submissions.submission_token_for(request),
            "parked_field": parking.FIELD,
            "parked": parked,
            "parked_files": parked.files if parked else [],
        },
    )
