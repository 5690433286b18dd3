"""Every error of the API in its one shape ``{"error": {"code", "message", "fields"}}``, messages in Ukrainian.

The order of checks is: the key (401), the key's scope (403, ``KeyAuth(scope)``), then the body — its size (413),
its content type (415), its JSON (400) — and last the schema (422). A key without the scope gets 403 whatever
the body holds (ninja authenticates before it reads the body). The size limit is ``RATUSHA_API_MAX_BODY_MB``;
Django's own ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is never below it, and a body over that one is refused by its
declared length before it is read — also with 413 in this shape.
"""

from __future__ import annotations

import json
import logging
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from ratusha.core.errors import ApplicationError, PermissionDeniedError, TransitionError

logger = logging.getLogger("ratusha.api")

JSON_TYPES = ("application/json",)


class BodyError(Exception):
    """The request's body was refused before the schema saw it."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def max_body_bytes() -> int:
    return settings.API_MAX_BODY_MB * 1024 * 1024


def body_too_large() -> BodyError:
    return BodyError(
        413,
        "body_too_large",
        _("Тіло запиту завелике: не більше %(mb)s МБ.") % {"mb": settings.API_MAX_BODY_MB},
    )


class JsonParser(Parser):
    """JSON bodies only; the size and content type are checked before the JSON is parsed."""

    def parse_body(self, request: HttpRequest) -> Any:
        if len(request.body) > max_body_bytes():
            raise body_too_large()
        if request.content_type not in JSON_TYPES and not request.content_type.endswith("+json"):
            raise BodyError(
                415,
                "unsupported_media_type",
                _("Тіло запиту має бути JSON із заголовком Content-Type: application/json."),
            )
        try:
            return json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BodyError(400, "invalid_json", _("Тіло запиту не є коректним JSON.")) from exc


def error_response(status: int, code: str, message: str, fields: dict | None = None) -> HttpResponse:
    return JsonResponse(
        {"error": {"code": code, "message": message, "fields": fields or {}}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def not_found_json(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Addresses under ``/api/v1/`` that no operation serves."""
    return error_response(404, "not_found", _("Такої адреси в API немає."))


def shaped_urls(urls: Any) -> Any:
    """``api.urls`` whose «method not allowed» answers (ninja's plain-text 405) come in the error shape too."""
    patterns, app_name, namespace = urls

    def decorate(view: Any) -> Any:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if response.status_code == 405 and not response.get("Content-Type", "").startswith(
                "application/json"
            ):
                shaped = error_response(405, "method_not_allowed", _("Цей метод HTTP тут не підтримується."))
                shaped["Allow"] = response.get("Allow", "")
                return shaped
            return response

        return wrapped

    for pattern in patterns:
        pattern.callback = decorate(pattern.callback)
    return patterns, app_name, namespace


def install_error_handlers(api: NinjaAPI) -> None:
    def error(
        request: HttpRequest, status: int, code: str, message: str, fields: dict | None = None
    ) -> HttpResponse:
        return api.create_response(
            request, {"error": {"code": code, "message": message, "fields": fields or {}}}, status=status
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error(
            request, 401, "unauthenticated", _("Потрібен дійсний ключ API у заголовку Authorization.")
        )

    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for item in exc.errors:
            loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path", "payload")]
            fields.setdefault(".".join(loc) or "request", []).append(str(item.get("msg", "")))
        return error(request, 422, "invalid", _("Запит не відповідає схемі."), fields)

    @api.exception_handler(BodyError)
    def refused_body(request: HttpRequest, exc: BodyError) -> HttpResponse:
        return error(request, exc.status, exc.code, exc.message)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
        refused = body_too_large()
        return error(request, refused.status, refused.code, refused.message)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, BodyError):  # ninja wraps what the parser raised in «Cannot parse request body»
            return error(request, cause.status, cause.code, cause.message)
        if exc.status_code == 400:
            return error(request, 400, "bad_request", _("Запит не вдалося прочитати."))
        return error(request, exc.status_code, "http_error", _("Запит відхилено."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error(request, 404, "not_found", _("Не знайдено або недоступно для цього ключа."))

    @api.exception_handler(PermissionDeniedError)
    def forbidden(request: HttpRequest, exc: PermissionDeniedError) -> HttpResponse:
        return error(request, 403, exc.code or "forbidden", exc.message)

    @api.exception_handler(TransitionError)
    def conflict(request: HttpRequest, exc: TransitionError) -> HttpResponse:
        return error(request, 409, exc.code or "conflict", exc.message)

    @api.exception_handler(ApplicationError)
    def refused(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        fields = {exc.field: [exc.message]} if exc.field else {}
        return error(request, 400, exc.code or "invalid", exc.message, fields)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # As Django does for a view's exception: logged, signalled (the test client re-raises it), answered.
        logger.error("API error on %s", request.path, exc_info=exc)
        got_request_exception.send(sender=None, request=request)
        return error(request, 500, "server_error", _("Помилка на сервері. Спробуйте пізніше."))
