"""Every write of the Open311 API: API keys (create, revoke) and service requests (create).

A service request becomes an appeal of the organisation that handles the service: a «заява» (or the
type the service sets), received electronically, SUBMITTED — it waits in the «Нові з сайту» queue for an
officer to register it like any e-appeal (Law 393/96-ВР; the officer checks art. 5 and may return it).
The public ``service_request_id`` is a number of its own; the appeal's tracking code is not exposed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.appeals.constants import AppealStatus, AppealSubject, Medium, ReceiptForm, TermKind
from ratusha.appeals.models import Appeal
from ratusha.appeals.services.codes import new_tracking_code
from ratusha.appeals.services.timeline import appeal_event_add
from ratusha.calendar.selectors import deadline
from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.orgs.models import Organisation

from .constants import (
    DEFAULT_RATE,
    KEY_ID_LENGTH,
    KEY_PREFIX,
    LIST_DATATYPES,
    MAX_DESCRIPTION,
    MAX_FIELD,
    MAX_MEDIA_URL,
    Datatype,
)
from .errors import Open311Error
from .models import ApiKey, Open311Service, ServiceRequest
from .parsing import parse_w3c_datetime

NUMBER_ATTEMPTS = 5


# --- API keys -----------------------------------------------------------------------------------


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _require_key_admin(actor: Any, organisation: Organisation) -> None:
    """Superusers (the Django admin) or the system (``actor=None``: the management command)."""
    if actor is None:
        return
    if getattr(actor, "is_authenticated", False) and actor.is_active and actor.is_superuser:
        return
    raise PermissionDeniedError(_("Видавати й відкликати ключі Open311 можуть лише адміністратори системи."))


def api_key_create(*, actor: Any, organisation: Organisation, name: str,
                   secret: str | None = None) -> tuple[ApiKey, str]:
    """A new key for a client of ``organisation``: returns the row and the key in clear (shown once).

    ``secret`` is for the demo installation only, whose key is published with the demo logins;
    real keys are always random."""
    _require_key_admin(actor, organisation)
    name = " ".join((name or "").split())[:200]
    if not name:
        raise ApplicationError(_("Вкажіть назву клієнта, якому видається ключ."), code="required", field="name")
    if not organisation.is_active:
        raise ApplicationError(_("Організація не діє: ключ для неї не видається."), code="inactive",
                               field="organisation")
    for _attempt in range(3):
        secret = secret or secrets.token_urlsafe(32)
        raw = KEY_PREFIX + secret
        key_id = secret[:KEY_ID_LENGTH]
        if not ApiKey.objects.filter(key_id=key_id).exists():
            break
    with transaction.atomic():
        key = ApiKey.objects.create(organisation=organisation, name=name, key_id=key_id, key_hash=hash_key(raw),
                                    created_by=actor if getattr(actor, "is_authenticated", False) else None)
        audit_log(actor=actor, action="open311.key_create", obj=key,
                  params={"organisation": organisation.code, "name": name, "key_id": key_id})
    return key, raw


def api_key_revoke(*, actor: Any, api_key: ApiKey) -> ApiKey:
    _require_key_admin(actor, api_key.organisation)
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at", "updated_at"])
            audit_log(actor=actor, action="open311.key_revoke", obj=key, params={"key_id": key.key_id})
    return key


def api_key_authenticate(raw: str) -> ApiKey:
    """The active key for ``raw``, else Open311Error 403 (missing, unknown and revoked alike)."""
    raw = (raw or "").strip()
    if not raw:
        raise Open311Error(403, _("Не передано api_key: створювати запити можна лише з API-ключем."))
    key = ApiKey.objects.select_related("organisation").filter(key_hash=hash_key(raw)).first()
    if key is None or key.revoked_at is not None or not key.organisation.is_active:
        raise Open311Error(403, _("Недійсний api_key: ключ невідомий або відкликаний."))
    return key


def _rate() -> tuple[int, int]:
    count, seconds = getattr(settings, "APPEALS", {}).get("OPEN311_RATE", DEFAULT_RATE)
    return int(count), int(seconds)


def _check_rate(key: ApiKey, now: dt.datetime) -> None:
    """At most N requests per key within the window (counted in the database: all processes agree)."""
    limit, seconds = _rate()
    since = now - dt.timedelta(seconds=seconds)
    recent = ServiceRequest.objects.filter(api_key=key, created_at__gte=since)
    if recent.count() >= limit:
        oldest = recent.order_by("created_at").values_list("created_at", flat=True)[:1][0]
        retry = max(1, int((oldest + dt.timedelta(seconds=seconds) - now).total_seconds()) + 1)
        raise Open311Error(429, _("Забагато запитів з цим ключем: не більше %(limit)s за %(minutes)s хв. "
                                  "Повторіть через %(retry)s с.")
                           % {"limit": limit, "minutes": max(1, seconds // 60), "retry": retry}, retry_after=retry)


def _may_use(key: ApiKey, service: Open311Service) -> bool:
    """A key serves its organisation and the organisations below it (executive bodies of a council)."""
    org_id, seen = service.organisation_id, set()
    while org_id is not None and org_id not in seen:
        if org_id == key.organisation_id:
            return True
        seen.add(org_id)
        org_id = Organisation.objects.filter(pk=org_id).values_list("parent_id", flat=True).first()
    return False


# --- Service requests ---------------------------------------------------------------------------


@dataclass
class RequestInput:
    """POST requests as received (strings; ``attributes``: code → values, several for multivaluelist)."""

    api_key: str = ""
    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    description: str = ""
    media_url: str = ""


@dataclass
class _Clean:
    lat: Decimal | None = None
    long: Decimal | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)  # attributes as «question: answer» for the officer


def _one_line(value: str, limit: int = MAX_FIELD) -> str:
    return " ".join((value or "").split())[:limit]


def _coordinate(raw: str, name: str, bound: int, errors: list[str]) -> Decimal | None:
    try:
        value = Decimal(raw.strip())
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or abs(value) > bound:
        errors.append(_("%(name)s: вкажіть число від -%(bound)s до %(bound)s (WGS84).") % {"name": name, "bound": bound})
        return None
    return value.quantize(Decimal("0.000001"))


def _location(data: RequestInput, errors: list[str], clean: _Clean) -> None:
    has_lat, has_long = bool(data.lat.strip()), bool(data.long.strip())
    if has_lat != has_long:
        errors.append(_("lat і long передаються разом: вкажіть обидві координати."))
    elif has_lat:
        clean.lat = _coordinate(data.lat, "lat", 90, errors)
        clean.long = _coordinate(data.long, "long", 180, errors)
    if not (has_lat or has_long or data.address_string.strip() or data.address_id.strip()):
        errors.append(_("Не вказано місце: передайте lat і long, або address_string, або address_id."))
    if len(data.address_string) > 500:
        errors.append(_("address_string: не довше за 500 символів."))
    if len(data.address_id) > 100:
        errors.append(_("address_id: не довше за 100 символів."))


def _attributes(service: Open311Service, data: RequestInput, errors: list[str], clean: _Clean) -> None:
    """Check the answers against the service definition (GET services/{code})."""
    definition = {a.code: a for a in service.attributes.prefetch_related("values")}
    for code in data.attributes:
        if code not in definition or not definition[code].variable:
            errors.append(_("attribute[%(code)s]: послуга «%(service)s» не має такого атрибута.")
                          % {"code": code, "service": service.service_code})
    for code, attribute in sorted(definition.items(), key=lambda item: item[1].order):
        if not attribute.variable:
            continue
        values = [v.strip() for v in data.attributes.get(code, []) if v is not None and v.strip()]
        if not values:
            if attribute.required:
                errors.append(_("attribute[%(code)s] обов'язковий: %(question)s")
                              % {"code": code, "question": attribute.description})
            continue
        keys = {v.key: v.name for v in attribute.values.all()}
        if attribute.datatype in LIST_DATATYPES:
            unknown = [v for v in values if v not in keys]
            if unknown:
                errors.append(_("attribute[%(code)s]: значення %(values)s немає у списку; дозволено: %(allowed)s.")
                              % {"code": code, "values": ", ".join(unknown[:5])[:200],
                                 "allowed": ", ".join(keys)[:500]})
                continue
            if attribute.datatype == Datatype.SINGLEVALUELIST and len(set(values)) > 1:
                errors.append(_("attribute[%(code)s]: можна обрати лише одне значення.") % {"code": code})
                continue
            chosen = list(dict.fromkeys(values))
            clean.attributes[code] = chosen if attribute.datatype == Datatype.MULTIVALUELIST else chosen[0]
            shown = ", ".join(keys[v] for v in chosen)
        else:
            if len(values) > 1:
                errors.append(_("attribute[%(code)s]: очікується одне значення.") % {"code": code})
                continue
            value = values[0]
            if len(value) > MAX_DESCRIPTION:
                errors.append(_("attribute[%(code)s]: не довше за %(max)s символів.")
                              % {"code": code, "max": MAX_DESCRIPTION})
                continue
            if attribute.datatype == Datatype.NUMBER:
                try:
                    number = Decimal(value)
                except (InvalidOperation, ValueError):
                    number = None
                if number is None or not number.is_finite():
                    errors.append(_("attribute[%(code)s]: очікується число.") % {"code": code})
                    continue
            elif attribute.datatype == Datatype.DATETIME and parse_w3c_datetime(value) is None:
                errors.append(_("attribute[%(code)s]: очікується дата й час у форматі ISO 8601, напр. "
                                "2026-03-01T10:00:00+02:00.") % {"code": code})
                continue
            elif attribute.datatype == Datatype.STRING:
                value = " ".join(value.split())  # «without line breaks»
            clean.attributes[code] = value
            shown = value
        clean.lines.append(f"{attribute.description}: {shown}")


def _contacts(data: RequestInput, errors: list[str]) -> None:
    if data.email.strip():
        try:
            validate_email(data.email.strip())
        except ValidationError:
            errors.append(_("email: неправильна адреса електронної пошти."))
    for name, value, limit in (("first_name", data.first_name, 150), ("last_name", data.last_name, 150),
                               ("phone", data.phone, 40), ("device_id", data.device_id, MAX_FIELD),
                               ("account_id", data.account_id, MAX_FIELD), ("email", data.email, 254)):
        if len(value.strip()) > limit:
            errors.append(_("%(name)s: не довше за %(max)s символів.") % {"name": name, "max": limit})
    if len(data.description) > MAX_DESCRIPTION:
        errors.append(_("description: не довше за %(max)s символів.") % {"max": MAX_DESCRIPTION})
    if data.media_url.strip():
        try:
            if len(data.media_url.strip()) > MAX_MEDIA_URL:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(data.media_url.strip())
        except ValidationError:
            errors.append(_("media_url: вкажіть повну адресу http(s)://… не довшу за %(max)s символів.")
                          % {"max": MAX_MEDIA_URL})


def _appeal_text(service: Open311Service, data: RequestInput, clean: _Clean, location: str) -> str:
    """The substance the officer reads: the description, the place and the answers to the attributes."""
    parts = [data.description.strip() or _("Повідомлення без опису.")]
    parts.append(_("Послуга Open311: %(code)s «%(name)s».") % {"code": service.service_code, "name": service.name})
    if location:
        parts.append(_("Місце: %(place)s.") % {"place": location})
    parts.extend(clean.lines)
    if data.media_url.strip():
        parts.append(_("Фото: %(url)s") % {"url": data.media_url.strip()})
    return "\n".join(parts)


def _next_number() -> int:
    return (ServiceRequest.objects.aggregate(top=Max("number"))["top"] or 0) + 1


def service_request_create(*, data: RequestInput) -> ServiceRequest:
    """Check the key, the rate, the service and every field; then create the appeal and the request.

    Raises ``Open311Error``: 403 (key), 429 (rate), 400 (missing/bad fields — all of them at once),
    404 (unknown service_code).
    """
    key = api_key_authenticate(data.api_key)
    now = timezone.now()
    _check_rate(key, now)
    code = data.service_code.strip()
    if not code:
        raise Open311Error(400, _("Не передано service_code: оберіть послугу зі списку services."))
    service = (Open311Service.objects.select_related("organisation", "topic")
               .filter(service_code=code, is_active=True).first())
    if service is None:
        raise Open311Error(404, _("Послугу з кодом service_code=%(code)s не знайдено.") % {"code": code[:60]})
    if not _may_use(key, service):
        raise Open311Error(403, _("Цей api_key не дає права подавати запити до «%(org)s».")
                           % {"org": service.organisation.name})

    errors: list[str] = []
    clean = _Clean()
    _location(data, errors, clean)
    _attributes(service, data, errors, clean)
    _contacts(data, errors)
    if errors:
        raise Open311Error(400, *errors)

    first_name, last_name = _one_line(data.first_name, 150), _one_line(data.last_name, 150)
    request = ServiceRequest(service=service, api_key=key, description=data.description.strip(),
                             lat=clean.lat, long=clean.long,
                             address_string=" ".join(data.address_string.split()),
                             address_id=data.address_id.strip(), media_url=data.media_url.strip(),
                             attributes=clean.attributes, device_id=data.device_id.strip(),
                             account_id=data.account_id.strip())
    local_now = timezone.localtime(now)
    appeal = Appeal(
        organisation=service.organisation, status=AppealStatus.SUBMITTED,
        received_at=now, received_date=local_now.date(),
        receipt_form=ReceiptForm.ELECTRONIC, medium=Medium.ELECTRONIC, appeal_type=service.appeal_type,
        subject=AppealSubject.INDIVIDUAL if (first_name or last_name) else AppealSubject.ANONYMOUS,
        last_name=last_name, first_name=first_name, email=data.email.strip(), phone=data.phone.strip(),
        text=_appeal_text(service, data, clean, request.location_text), topic=service.topic,
        # Provisional, as for e-appeals from the site: the 1-month term of art. 20 from receipt; the
        # officer sets the term again at registration.
        term_kind=TermKind.MONTH, deadline=deadline(TermKind.MONTH.value, local_now.date()))

    for attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                appeal.pk = None  # a retry inserts afresh
                appeal.tracking_code = new_tracking_code()
                appeal.save(force_insert=True)
                request.appeal = appeal
                request.pk = None
                request.number = _next_number()
                request.token = secrets.token_hex(10)
                request.save(force_insert=True)
                ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
                audit_log(actor=f"open311:{key.key_id}", action="appeal.submitted", obj=appeal,
                          object_repr=_("Запит Open311 № %(number)s") % {"number": request.number}, params={
                              "via": "open311", "service_request_id": request.number,
                              "service": service.service_code, "api_key": key.key_id,
                              "organisation": str(service.organisation_id), "type": appeal.appeal_type,
                              "location": request.location_text[:200]})
                # The SUBMITTED entry of the applicant's timeline (e-mailed with the tracking link when an
                # e-mail was given, as for appeals from the site).
                appeal_event_add(appeal=appeal)
            break
        except IntegrityError:  # two clients took the same number at once: take the next one
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    return request
