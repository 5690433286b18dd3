"""HTTP endpoints of Open311 GeoReport v2 under ``/open311/v2/``, each in ``.xml`` and ``.json``.

Views translate HTTP to selector and service calls. Every failure answers in the specification's error
format with its HTTP status (400 bad input, 403 key, 404 unknown resource, 405 method, 429 flood); an
unexpected failure is logged and answered as the specification's «400 General service error» — never a 500.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import selectors, serializers, services
from .constants import FORMATS
from .errors import Open311Error
from .parsing import attribute_values

logger = logging.getLogger(__name__)


def _render(fmt: str, root: str, document: Any, status: int = 200) -> HttpResponse:
    if fmt == "json":
        body = serializers.to_json(document)
    else:
        fmt = "xml"
        body = serializers.to_xml(root, document)
    response = HttpResponse(body, status=status, content_type=FORMATS[fmt])
    response["Access-Control-Allow-Origin"] = "*"  # public data, read by web clients of other sites
    return response


def _error(fmt: str, status: int, descriptions: list[str], *, retry_after: int | None = None,
           allow: str = "") -> HttpResponse:
    response = _render(fmt, "errors", serializers.errors_document(status, descriptions), status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    if allow:
        response["Allow"] = allow
    return response


def _jurisdiction(params: Any) -> None:
    """One jurisdiction per installation; a client naming another one is told so (spec: 404)."""
    expected = getattr(settings, "APPEALS", {}).get("OPEN311_JURISDICTION_ID", "")
    given = (params.get("jurisdiction_id") or "").strip()
    if expected and given and given != expected:
        raise Open311Error(404, _("jurisdiction_id=%(given)s не знайдено; ця точка доступу обслуговує %(ours)s.")
                           % {"given": given[:100], "ours": expected})


def _no_nul(request: HttpRequest, kwargs: dict[str, Any]) -> None:
    """A NUL character fits no field (PostgreSQL text refuses it): the request is malformed."""
    data = request.POST if request.method == "POST" else request.GET
    values = [*kwargs.values(), *data.keys(), *(v for key in data for v in data.getlist(key))]
    if any("\x00" in str(value) for value in values):
        raise Open311Error(400, _("Запит містить недопустимий символ NUL (\\0)."))


def endpoint(*methods: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Method check (405), jurisdiction, and every error in the specification's format."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str = "xml", **kwargs: Any) -> HttpResponse:
            if request.method not in allowed:
                return _error(fmt, 405, [_("Метод %(method)s не підтримується; дозволено: %(allowed)s.")
                                         % {"method": request.method, "allowed": ", ".join(sorted(methods))}],
                              allow=", ".join(sorted(allowed)))
            try:
                _no_nul(request, kwargs)
                _jurisdiction(request.POST if request.method == "POST" else request.GET)
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                return _error(fmt, exc.status, exc.descriptions, retry_after=exc.retry_after)
            except Exception:  # the specification: «400 - General service error»
                logger.exception("Open311 %s %s failed", request.method, request.path)
                return _error(fmt, 400, [_("Загальна помилка сервісу: запит не виконано. Спробуйте пізніше "
                                           "або повідомте адміністратора.")])

        return csrf_exempt(wrapper)

    return decorate


def _endpoint_url(request: HttpRequest) -> str:
    base = settings.BASE_URL or request.build_absolute_uri("/").rstrip("/")
    return base + reverse("open311:root").rstrip("/")


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    document = serializers.discovery_document(changeset=selectors.changeset(), url=_endpoint_url(request))
    return _render(fmt, "discovery", document)


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return _render(fmt, "services", [serializers.service_item(s) for s in selectors.services()])


@endpoint("GET")
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    service = selectors.service_definition(service_code)
    return _render(fmt, "service_definition", serializers.service_definition_document(service))


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    query = selectors.request_query(request.GET)
    return _render(fmt, "service_requests", serializers.requests_document(selectors.service_requests(query)))


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    post = request.POST
    data = services.RequestInput(
        api_key=post.get("api_key", ""), service_code=post.get("service_code", ""),
        lat=post.get("lat", ""), long=post.get("long", ""), address_string=post.get("address_string", ""),
        address_id=post.get("address_id", ""), attributes=attribute_values(post), email=post.get("email", ""),
        device_id=post.get("device_id", ""), account_id=post.get("account_id", ""),
        first_name=post.get("first_name", ""), last_name=post.get("last_name", ""), phone=post.get("phone", ""),
        description=post.get("description", ""), media_url=post.get("media_url", ""))
    created = services.service_request_create(data=data)
    return _render(fmt, "service_requests", serializers.created_document(created))


@endpoint("GET")
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    found = selectors.service_request(service_request_id)
    return _render(fmt, "service_requests", serializers.requests_document([found]))


@endpoint("GET")
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    found = selectors.token_request(token)
    return _render(fmt, "service_requests", serializers.token_document(found))


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything else under ``/open311/v2/``: a 404 in the specification's format."""
    fmt = "json" if rest.endswith(".json") else "xml"
    return _error(fmt, 404, [_("Ресурс не знайдено. Доступні: discovery, services, services/{service_code}, "
                               "requests, requests/{service_request_id}, tokens/{token} — з розширенням "
                               ".xml або .json.")])
