"""Create forms are taken once per submission: a double click or a resent POST never makes two.

Each create form carries a one-time token (``{% submission_token %}`` renders the hidden field).
``SubmitOnceMiddleware`` claims the token (a ``FormSubmission`` row, unique per token and user)
before the view runs. When the view answers with a redirect — the house style after a successful
create — the row keeps where it pointed; a repeated POST with the same token, also one arriving
while the first is still working, is answered with a redirect to that same result instead of
running the view again. Any other answer (a form with errors, a failure) frees the token, so the
corrected form can be sent with it.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from ratusha.core.models import FormSubmission

FIELD = "_submission"
WAIT_SECONDS = 30.0
POLL_SECONDS = 0.1


def submission_token_for(request: HttpRequest) -> str:
    """The token to render: the one sent with a form being shown again, else a fresh one."""
    sent = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return sent if _valid(sent) else secrets.token_urlsafe(24)


def _valid(token: str) -> bool:
    return 16 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()


def _user_key(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    return f"u:{user.pk}" if getattr(user, "is_authenticated", False) else "anonymous"


def _result_of(response: HttpResponse) -> str:
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        return response["Location"]
    return response.get("HX-Redirect", "") if response.status_code < 300 else ""


def _answer(request: HttpRequest, url: str) -> HttpResponse:
    messages.info(request, _("Цю форму вже надіслано, повторно нічого не створено — ось результат."))
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _claim(token: str, user_key: str, path: str) -> FormSubmission | None:
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(token=token, user_key=user_key, path=path[:500])
    except IntegrityError:
        return None


class SubmitOnceMiddleware:
    """Installed after authentication and messages; see the module docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        claimed: FormSubmission | None = getattr(request, "_submission_claim", None)
        if claimed is not None:
            result = _result_of(response)
            if result:
                FormSubmission.objects.filter(pk=claimed.pk).update(result_url=result[:500])
            else:
                FormSubmission.objects.filter(pk=claimed.pk).delete()
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        if request.method != "POST" or FIELD not in request.POST:
            return None
        token = request.POST.get(FIELD, "")
        user = getattr(request, "user", None)
        if not _valid(token) or (request.path.startswith("/office/") and not user.is_authenticated):
            return None  # an expired office session is parked and sent to sign in, not claimed
        user_key = _user_key(request)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            claimed = _claim(token, user_key, request.path)
            if claimed is not None:
                request._submission_claim = claimed  # type: ignore[attr-defined]
                return None
            first = FormSubmission.objects.filter(token=token, user_key=user_key).first()
            if first is not None and first.result_url:
                return _answer(request, first.result_url)
            if time.monotonic() > deadline:
                return HttpResponse(
                    _("Цю форму саме обробляють. Оновіть сторінку за хвилину."),
                    status=409,
                    content_type="text/plain; charset=utf-8",
                )
            time.sleep(POLL_SECONDS)  # the first request is still working: wait for its result
