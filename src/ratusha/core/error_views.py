"""Error pages (400, 403, 404, 500, CSRF failure), in Ukrainian and in the look of where they happen.

Office paths (``/office/``, ``/cms/``, ``/django-admin/``) get the office look; everything else the public
site's (``public/layout.html``). An error page must never fail itself: if the public layout cannot be
rendered (the database may be what failed), the office template, then a bare page, is served instead.

The CSRF failure page keeps what the person typed: a citizen whose browser blocks cookies, or whose form
stayed open too long, would otherwise lose a whole appeal. It shows the submitted text fields back (never a
password, a one-time code, the CSRF token or file contents) for copying, and offers to send them again with a
fresh token — unless the browser evidently refuses cookies, when resending cannot succeed and the page says so.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE, get_token
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

OFFICE_PREFIXES = ("/office/", "/cms/", "/django-admin/")
# Posted names never shown back: secrets, one-time codes, the CSRF token itself.
SECRET_NAME = re.compile(r"pass|secret|token|otp|csrf|captcha|pin$|cvv|key$", re.IGNORECASE)
RETRY_FIELD = "_ratusha_csrf_retry"  # marks a form resent from the CSRF failure page
# The machine fields of our forms: resent, but not shown as "your text".
MACHINE_NAMES = frozenset({"started", "next", "homepage", RETRY_FIELD})  # and any name starting with "_"
# Labels of the common fields of our public forms (others are shown under their own name).
FIELD_LABELS = {
    "text": gettext_lazy("Текст"),
    "subject": gettext_lazy("Тема"),
    "summary": gettext_lazy("Короткий зміст"),
    "full_name": gettext_lazy("Прізвище, ім'я, по батькові"),
    "last_name": gettext_lazy("Прізвище"),
    "first_name": gettext_lazy("Ім'я"),
    "middle_name": gettext_lazy("По батькові"),
    "settlement": gettext_lazy("Населений пункт"),
    "address": gettext_lazy("Адреса"),
    "email": gettext_lazy("Електронна пошта"),
    "phone": gettext_lazy("Телефон"),
    "comment": gettext_lazy("Коментар"),
    "note": gettext_lazy("Примітка"),
    "reason": gettext_lazy("Причина"),
    "q": gettext_lazy("Пошуковий запит"),
}


def is_office_path(request: HttpRequest) -> bool:
    return request.path.startswith(OFFICE_PREFIXES)


def _bare(title: str, text: str, status: int) -> HttpResponse:
    from django.utils.html import escape

    body = (
        f'<!doctype html><html lang="uk"><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<main><h1>{escape(title)}</h1><p>{escape(text)}</p><p><a href="/">На головну</a></p></main>'
    )
    return HttpResponse(body, status=status)


def _render_error(
    request: HttpRequest,
    public_template: str,
    office_template: str,
    context: dict[str, Any],
    status: int,
    fallback: tuple[str, str],
) -> HttpResponse:
    templates = [office_template] if is_office_path(request) else [public_template, office_template]
    for template in templates:
        try:
            response = render(request, template, context, status=status)
        except Exception:  # noqa: BLE001 - the error page itself must never fail
            logger.exception("error page %s could not be rendered", template)
            continue
        add_never_cache_headers(response)
        return response
    return _bare(*fallback, status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: a request Django refused (malformed, too large, a host not served here)."""
    context = {"max_upload_mb": settings.MAX_UPLOAD_MB}
    # A refused host cannot build the public layout's absolute addresses: the office look, no site data.
    from django.core.exceptions import DisallowedHost

    public = "400.html" if isinstance(exception, DisallowedHost) else "public/errors/400.html"
    return _render_error(
        request,
        public,
        "400.html",
        context,
        400,
        (_("Неправильний запит"), _("Сервер не зміг обробити цей запит.")),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403. Our views raise ``PermissionDenied`` with a translated sentence for the person; it is shown."""
    return _render_error(
        request,
        "public/errors/403.html",
        "403.html",
        {"exception": str(exception or "")},
        403,
        (_("Доступ заборонено"), _("У вас немає прав для цієї дії.")),
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Office paths keep the office look; the public site gets a 404 that helps (search, main sections)."""
    if is_office_path(request):
        return render(request, "404.html", status=404)
    try:
        from ratusha.website.discovery_views import not_found_context

        return render(request, "website/discovery/404.html", not_found_context(request), status=404)
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    try:
        body = loader.get_template("500.html").render()
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        body = "<!doctype html><title>Помилка сервера</title><h1>Сталася помилка на сервері</h1>"
    return HttpResponse(body, status=500)


# --- CSRF failure --------------------------------------------------------------------------------------


# Choice codes («proposal», «1.2», «F») and switches: the person chose them, they typed nothing.
CHOICE_CODE = re.compile(r"^(?:[a-z][a-z0-9_.-]*|[A-Z]|\d{1,4}(?:[.-]\d{1,4})*)$")


def _looks_like_machine_value(value: str) -> bool:
    if CHOICE_CODE.match(value):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def kept_fields(request: HttpRequest) -> tuple[list[dict[str, Any]], list[tuple[str, str]], list[str]]:
    """What the person sent: (fields to show back, every (name, value) to resend, names of attached files)."""
    shown: list[dict[str, Any]] = []
    resend: list[tuple[str, str]] = []
    try:
        posted = list(request.POST.lists())
        files = [f.name for items in request.FILES.lists() for f in items[1]]
    except Exception:  # noqa: BLE001 - a body we cannot parse: nothing to keep, the page still explains
        return [], [], []
    for name, values in posted:
        if SECRET_NAME.search(name):
            continue
        for value in values:
            resend.append((name, value))
            if (not value.strip() or name in MACHINE_NAMES or name.startswith("_")
                    or _looks_like_machine_value(value.strip())):
                continue
            base = name.rsplit("-", 1)[-1]  # formset rows: «cosigners-0-full_name»
            shown.append(
                {
                    "name": name,
                    "label": FIELD_LABELS.get(base, name),
                    "value": value,
                    "id": f"kept-{len(shown) + 1}",
                    "long": "\n" in value or len(value) > 80,
                }
            )
    return shown, resend, files


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: explain in plain words, keep the text, offer to send it again."""
    shown, resend, files = kept_fields(request)
    no_cookie = reason == REASON_NO_CSRF_COOKIE
    retried = RETRY_FIELD in request.POST
    context = {
        "kept": shown,
        "resend": resend,
        "files": files,
        # We set the cookie on the page they resent from, and it did not come back: cookies are refused.
        "cookies_blocked": no_cookie and retried,
        # No cookie at all: cookies may be blocked (or were cleared); resending shows which.
        "cookies_maybe_blocked": no_cookie and not retried and not request.COOKIES,
        "action": request.get_full_path(),
        "retry_field": RETRY_FIELD,
        "fresh_token": get_token(request),  # sets a new CSRF cookie on this response
        "office": is_office_path(request),
    }
    logger.info("CSRF failure on %s: %s", request.path, reason)
    return _render_error(
        request,
        "public/errors/csrf_failure.html",
        "core/csrf_failure.html",
        context,
        403,
        (_("Форму не надіслано"), _("Сторінка застаріла. Відкрийте форму ще раз.")),
    )
