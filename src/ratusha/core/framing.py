"""Which of our pages may be shown in a frame.

No page may be framed (``X_FRAME_OPTIONS = "DENY"``, CSP ``frame-ancestors 'none'``), except pages that our own
pages frame: the PDF previews of a card (``framed_by_own_pages``) and Wagtail's page preview in the CMS editor
(Wagtail marks those views ``X-Frame-Options: SAMEORIGIN`` itself; ``frame_ancestors_follow_xfo`` gives them the
matching CSP, since browsers that know CSP ignore X-Frame-Options)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override


def same_origin_frames(policy: dict[str, Any]) -> dict[str, Any]:
    return {**policy, "frame-ancestors": [CSP.SELF]}


def framed_by_own_pages(view: Callable) -> Callable:
    """A view whose response our own pages show in an ``<iframe>`` (same origin only)."""
    return xframe_options_sameorigin(csp_override(same_origin_frames(settings.SECURE_CSP))(view))


def frame_ancestors_follow_xfo(policy: dict[str, Any]) -> Callable[[Callable], Callable]:
    """Serve ``policy``; a response the view marked ``X-Frame-Options: SAMEORIGIN`` gets
    ``frame-ancestors 'self'`` in it (Wagtail's preview views mark themselves)."""
    framed = same_origin_frames(policy)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            response = view(request, *args, **kwargs)
            same_origin = str(response.get("X-Frame-Options", "")).upper() == "SAMEORIGIN"
            response._csp_config = framed if same_origin else policy
            return response

        return wrapped

    return decorator
