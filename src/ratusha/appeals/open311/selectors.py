"""Reads of the Open311 API. Everything here is public (GeoReport v2 needs no key to read), so nothing
read here may carry personal data: names, e-mail and phone of applicants stay in the appeal."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .constants import CLOSED_APPEAL_STATUSES, MAX_RESULTS, MAX_SPAN_DAYS, RequestStatus
from .errors import Open311Error
from .models import Open311Attribute, Open311AttributeValue, Open311Service, ServiceRequest
from .parsing import parse_w3c_datetime

_NUMBER = re.compile(r"[0-9]{1,18}")  # ASCII digits only («²».isdigit() is True)


def services() -> QuerySet[Open311Service]:
    return (Open311Service.objects.filter(is_active=True, organisation__is_active=True)
            .prefetch_related("attributes"))


def service_definition(service_code: str) -> Open311Service:
    service = (services().prefetch_related(Prefetch("attributes__values",
                                                    queryset=Open311AttributeValue.objects.order_by("order", "key")))
               .filter(service_code=(service_code or "").strip()).first())
    if service is None:
        raise Open311Error(404, _("Послугу з кодом service_code=%(code)s не знайдено.")
                           % {"code": (service_code or "")[:60]})
    return service


def changeset() -> dt.datetime | None:
    """When the service list or a definition last changed (the discovery document's ``changeset``)."""
    stamps = [Open311Service.objects.aggregate(at=Max("updated_at"))["at"],
              Open311Attribute.objects.aggregate(at=Max("updated_at"))["at"],
              Open311AttributeValue.objects.aggregate(at=Max("updated_at"))["at"]]
    stamps = [s for s in stamps if s is not None]
    return max(stamps) if stamps else None


def _requests() -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.select_related("service", "appeal", "appeal__organisation")


def _numbers(text: str, name: str) -> list[int]:
    numbers = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not _NUMBER.fullmatch(part):
            raise Open311Error(400, _("%(name)s: очікуються номери запитів через кому, напр. 101,102.")
                               % {"name": name})
        numbers.append(int(part))
    if not numbers:
        raise Open311Error(400, _("%(name)s: очікуються номери запитів через кому, напр. 101,102.") % {"name": name})
    return numbers


@dataclass(frozen=True)
class RequestQuery:
    service_request_ids: tuple[int, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: tuple[str, ...] = ()


def request_query(params) -> RequestQuery:
    """GET requests' parameters (a QueryDict) → a checked query; Open311Error 400 on bad input.

    ``service_request_id`` overrides all other arguments (the specification). Without dates the range is
    the most recent 90 days; with one date it is 90 days from (or up to) it; a range over 90 days is refused.
    """
    ids_text = params.get("service_request_id", "").strip()
    if ids_text:
        ids = _numbers(ids_text, "service_request_id")
        if len(ids) > MAX_RESULTS:
            raise Open311Error(400, _("service_request_id: не більше %(max)s номерів за раз.") % {"max": MAX_RESULTS})
        return RequestQuery(service_request_ids=tuple(dict.fromkeys(ids)))
    errors = []
    codes = tuple(c.strip() for c in params.get("service_code", "").split(",") if c.strip())
    statuses = tuple(s.strip().lower() for s in params.get("status", "").split(",") if s.strip())
    if any(s not in RequestStatus.values for s in statuses):
        errors.append(_("status: дозволено open або closed (можна через кому)."))
    bounds = {}
    for name in ("start_date", "end_date"):
        text = params.get(name, "").strip()
        bounds[name] = parse_w3c_datetime(text) if text else None
        if text and bounds[name] is None:
            errors.append(_("%(name)s: неправильна дата; формат W3C, напр. 2026-01-01T00:00:00Z.") % {"name": name})
    if errors:
        raise Open311Error(400, *errors)
    start, end = bounds["start_date"], bounds["end_date"]
    span = dt.timedelta(days=MAX_SPAN_DAYS)
    if start is None and end is None:
        end = timezone.now()
        start = end - span
    elif start is None:
        start = end - span
    elif end is None:
        end = start + span
    if start > end:
        raise Open311Error(400, _("end_date раніша за start_date."))
    if end - start > span:
        raise Open311Error(400, _("Проміжок між start_date і end_date не може перевищувати %(days)s днів.")
                           % {"days": MAX_SPAN_DAYS})
    return RequestQuery(service_codes=codes, start=start, end=end, statuses=statuses)


def service_requests(query: RequestQuery) -> list[ServiceRequest]:
    """At most 1000 requests, newest first."""
    qs = _requests()
    if query.service_request_ids:
        qs = qs.filter(number__in=query.service_request_ids)
    else:
        qs = qs.filter(appeal__received_at__gte=query.start, appeal__received_at__lte=query.end)
        if query.service_codes:
            qs = qs.filter(service__service_code__in=query.service_codes)
        if len(set(query.statuses)) == 1:
            closed = query.statuses[0] == RequestStatus.CLOSED
            qs = (qs.filter(appeal__status__in=CLOSED_APPEAL_STATUSES) if closed
                  else qs.exclude(appeal__status__in=CLOSED_APPEAL_STATUSES))
    return list(qs.order_by("-number")[:MAX_RESULTS])


def service_request(number_text: str) -> ServiceRequest:
    text = (number_text or "").strip()
    request = _requests().filter(number=int(text)).first() if _NUMBER.fullmatch(text) else None
    if request is None:
        raise Open311Error(404, _("Запит service_request_id=%(id)s не знайдено.") % {"id": text[:40]})
    return request


def token_request(token: str) -> ServiceRequest:
    text = (token or "").strip()
    request = _requests().filter(token=text).first() if 0 < len(text) <= 40 else None
    if request is None:
        raise Open311Error(404, _("Токен %(token)s не знайдено.") % {"token": text[:40]})
    return request
