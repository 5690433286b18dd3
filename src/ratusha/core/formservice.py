"""Running a service from a valid form: one place that maps a service's refusal onto the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied

from ratusha.core.errors import ApplicationError, PermissionDeniedError


def apply_error(form: Any, exc: ApplicationError, default_field: str | None = None) -> None:
    """Show a refusal next to its field (or ``default_field``, else on the form as a whole)."""
    field = exc.field if exc.field in form.fields else default_field
    form.add_error(field, exc.message)


def form_saved(form: Any, call: Callable[[], Any], default_field: str | None = None) -> bool:
    """Run ``call`` for a valid form: a refusal of rights is a 403, any other refusal goes on the form."""
    try:
        call()
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    except ApplicationError as exc:
        apply_error(form, exc, default_field)
        return False
    return True
