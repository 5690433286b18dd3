"""The GeoReport v2 documents, element by element in the specification's order, and their XML and JSON.

Each document is built once as Python data (dicts keep the order of the specification's examples) and
rendered to XML (no namespace, ``<?xml version="1.0" encoding="utf-8"?>``) or to JSON by the Spark
convention the specification uses: a list element (``services``, ``attributes``, ``values``, ``endpoints``,
``formats``) becomes a JSON array of its children. ``None`` is an empty XML element and JSON ``null``;
booleans are ``true``/``false``; datetimes are W3C with the Kyiv offset.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.appeals.constants import AppealStatus, NotConsideredGround, Outcome

from .constants import DISCOVERY_FORMATS, SPECIFICATION, request_status
from .models import Open311Service, ServiceRequest
from .parsing import w3c

# A list element's children (the Spark convention).
CHILD = {"services": "service", "attributes": "attribute", "values": "value", "endpoints": "endpoint",
         "formats": "format", "service_requests": "request", "errors": "error"}
# Control characters XML 1.0 cannot carry.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What looks like an e-mail or a phone number in a public description is hidden (Law 2297-VI).
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d\s().-]{7,}\d(?!\w)")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return w3c(value) or ""
    return _XML_ILLEGAL.sub("", str(value))


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _append(element, CHILD[name], item)
    elif value is not None:
        element.text = _text(value)


def to_xml(root: str, value: dict | list) -> bytes:
    """``root`` holding a dict's elements or a list's items (named by ``CHILD``)."""
    element = ET.Element(root)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    else:
        for item in value:
            _append(element, CHILD[root], item)
    ET.indent(element, space="  ")
    body = ET.tostring(element, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return w3c(value)
    raise TypeError(type(value).__name__)


def to_json(value: dict | list) -> bytes:
    return json.dumps(value, ensure_ascii=False, default=_json_default, indent=2).encode("utf-8")


# --- Documents ---------------------------------------------------------------------------------------


def errors_document(status: int, descriptions: list[str]) -> list[dict[str, Any]]:
    return [{"code": status, "description": d} for d in descriptions]


def discovery_document(*, changeset: dt.datetime | None, url: str) -> dict[str, Any]:
    appeals = getattr(settings, "APPEALS", {})
    stamp = w3c(changeset) or "2026-01-01T00:00:00+02:00"
    contact_email = appeals.get("OPEN311_CONTACT") or settings.DEFAULT_FROM_EMAIL
    return {
        "changeset": stamp,
        "contact": _("Питання щодо Open311 API: %(contact)s") % {"contact": contact_email},
        "key_service": appeals.get("OPEN311_KEY_SERVICE") or _(
            "API-ключ для створення запитів видає адміністратор міської ради; зверніться: %(contact)s")
        % {"contact": contact_email},
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": url,
            "changeset": stamp,
            # «production or test defines whether the information is live and will be acted upon»: a demo
            # installation is not.
            "type": "test" if getattr(settings, "DEMO", False) else "production",
            "formats": list(DISCOVERY_FORMATS),
        }],
    }


def service_item(service: Open311Service) -> dict[str, Any]:
    return {
        "service_code": service.service_code,
        "service_name": service.name,
        "description": service.description or None,
        "metadata": bool(service.attributes.all()),  # a definition with attributes exists
        "type": service.type,
        "keywords": ", ".join(k.strip() for k in service.keywords.split(",") if k.strip()) or None,
        "group": service.group or None,
    }


def service_definition_document(service: Open311Service) -> dict[str, Any]:
    return {
        "service_code": service.service_code,
        "attributes": [{
            "variable": attribute.variable,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": attribute.datatype_description or None,
            "order": attribute.order,
            "description": attribute.description,
            "values": [{"key": value.key, "name": value.name} for value in attribute.values.all()],
        } for attribute in service.attributes.all()],
    }


def created_document(request: ServiceRequest) -> list[dict[str, Any]]:
    """POST requests: the id (realtime), a token (batch) or neither (blackbox)."""
    item: dict[str, Any] = {}
    if request.service.type == "realtime":
        item["service_request_id"] = request.number
    elif request.service.type == "batch":
        item["token"] = request.token
    item["service_notice"] = request.service.service_notice or None
    item["account_id"] = request.account_id or None
    return [item]


def token_document(request: ServiceRequest) -> list[dict[str, Any]]:
    return [{"service_request_id": request.number, "token": request.token}]


def public_description(text: str) -> str | None:
    """The description as posted, e-mail addresses and phone numbers hidden."""
    text = _PHONE.sub(_("[приховано]"), _EMAIL.sub(_("[приховано]"), text or ""))
    return text.strip() or None


def status_notes(request: ServiceRequest) -> str:
    """A short public note on the state: never the officers' free text (it may name the applicant)."""
    appeal = request.appeal
    note = str(AppealStatus(appeal.status).label) if appeal.status in AppealStatus.values else appeal.status
    if appeal.status == AppealStatus.FORWARDED and appeal.forwarded_to:
        note = _("Надіслано за належністю: %(body)s") % {"body": appeal.forwarded_to}
    elif appeal.status == AppealStatus.NOT_CONSIDERED and appeal.not_considered_ground in NotConsideredGround.values:
        note = f"{note}: {NotConsideredGround(appeal.not_considered_ground).label}"
    elif appeal.outcome in Outcome.values and appeal.status in {AppealStatus.ANSWERED, AppealStatus.CLOSED}:
        note = f"{note}: {str(Outcome(appeal.outcome).label).lower()}"
    return note


def _expected(request: ServiceRequest) -> dt.datetime | None:
    """The appeal's deadline (a date: the end of that day)."""
    day = request.appeal.deadline
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def request_item(request: ServiceRequest) -> dict[str, Any]:
    appeal = request.appeal
    closed = request_status(appeal.status) == "closed"
    updated = max(appeal.updated_at, request.updated_at)
    agency = appeal.forwarded_to if appeal.status == AppealStatus.FORWARDED and appeal.forwarded_to else \
        appeal.organisation.name
    return {
        "service_request_id": request.number,
        "status": "closed" if closed else "open",
        "status_notes": status_notes(request),
        "service_name": request.service.name,
        "service_code": request.service.service_code,
        "description": public_description(request.description),
        "agency_responsible": agency,
        "service_notice": request.service.service_notice or None,
        "requested_datetime": appeal.received_at,
        "updated_datetime": updated,
        "expected_datetime": _expected(request),
        "address": request.address_string or None,
        "address_id": request.address_id or None,
        "zipcode": None,
        "lat": request.lat,
        "long": request.long,
        "media_url": request.media_url or None,
    }


def requests_document(requests: list[ServiceRequest]) -> list[dict[str, Any]]:
    return [request_item(r) for r in requests]
