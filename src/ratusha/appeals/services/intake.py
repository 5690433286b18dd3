"""Intake of electronic appeals from the public site (Law 393/96-ВР art. 5 as amended by 577-VIII).

``appeal_submit`` stores a SUBMITTED appeal with its attachments, co-signers and the personal-data
consent, and queues the confirmation e-mail with the tracking code (the SUBMITTED timeline event).
The appeal is registered later by an officer (``appeals.services.registration``).

Anti-abuse for the public forms (appeals, tracking, reception booking): a per-address rate limit kept in
the Django cache (``rate_limit_*``). A flood is slowed (HTTP 429 with the form kept), never dropped
silently. With several web processes the cache must be shared (Redis/Memcached/database cache), else
each process counts on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.appeals.constants import (
    APPLICANT_CATEGORIES,
    AppealStatus,
    AppealSubject,
    AppealType,
    Medium,
    ReceiptForm,
    Sex,
    SocialStatus,
    TermKind,
)
from ratusha.appeals.models import Appeal, AppealAttachment, AppealCosigner
from ratusha.appeals.services._common import priority_categories
from ratusha.appeals.services.codes import new_tracking_code
from ratusha.appeals.services.signs import applicant_key
from ratusha.appeals.services.timeline import appeal_event_add
from ratusha.core.audit import audit_log
from ratusha.core.blobs import staged_uploads_consume
from ratusha.core.errors import ApplicationError
from ratusha.core.models import Blob
from ratusha.orgs.constants import OrgKind
from ratusha.orgs.models import Organisation
from ratusha.registry.services.uploads import StagedFile

# ⚠ Settings (``settings.APPEALS``) read by the public side, with their defaults.
DEFAULTS: dict[str, Any] = {
    "PUBLIC_SUBMIT_LIMIT": 5,            # e-appeals accepted per client address …
    "PUBLIC_SUBMIT_WINDOW_MINUTES": 10,  # … within this many minutes; more → HTTP 429
    "TRACK_LIMIT": 20,                   # tracking-code lookups per address …
    "TRACK_WINDOW_MINUTES": 10,          # … within this many minutes
    "FORM_MIN_SECONDS": 3,               # a form sent faster than this was not filled by a person
    "TEXT_MIN_LENGTH": 30,               # characters of the substance of an appeal
    "TEXT_MAX_LENGTH": 20000,
    "PUBLIC_UPLOAD_MB": 10,              # per attachment of a public form
    "PUBLIC_MAX_FILES": 5,
    "MAX_COSIGNERS": 100,
    # Kinds of organisations the public form offers (those that consider appeals).
    "PUBLIC_ORG_KINDS": (OrgKind.CITY_COUNCIL, OrgKind.EXECUTIVE_COMMITTEE, OrgKind.EXECUTIVE_BODY),
}
# Attachments of a public appeal: documents and photos (checked by content, not by name).
PUBLIC_UPLOAD_MIME = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.oasis.opendocument.text": "ODT",
}


def setting(key: str) -> Any:
    return getattr(settings, "APPEALS", {}).get(key, DEFAULTS[key])


# --- Rate limiting -------------------------------------------------------------------------------


# --- Organisations that take appeals from the site ------------------------------------------------


def public_organisations():
    """Active bodies a citizen may address on the site, the council first."""
    from django.db.models import Case, IntegerField, Value, When

    kinds = list(setting("PUBLIC_ORG_KINDS"))
    order = Case(*[When(kind=kind, then=Value(i)) for i, kind in enumerate(kinds)],
                 output_field=IntegerField())
    return (Organisation.objects.filter(is_active=True, kind__in=kinds)
            .annotate(kind_order=order).order_by("kind_order", "name"))


def default_organisation() -> Organisation | None:
    return public_organisations().filter(kind=OrgKind.CITY_COUNCIL).first() or public_organisations().first()


# --- Submission ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CosignerInput:
    full_name: str
    address: str = ""


def _spaces(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _required(value: Any, *, field: str, limit: int, message: str) -> str:
    text = _spaces(value, limit)
    if not text:
        raise ApplicationError(message, code="required", field=field)
    return text


def _clean_email(value: str) -> str:
    email = (value or "").strip()
    if not email:
        raise ApplicationError(_("Вкажіть адресу електронної пошти: на неї надійде відповідь (ст. 5 Закону "
                                 "«Про звернення громадян»)."), code="required", field="email")
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(_("Перевірте адресу електронної пошти: вона має бути у вигляді "
                                 "name@example.com."), code="invalid", field="email") from None
    return email[:254]


def _clean_categories(values: Sequence[str]) -> list[str]:
    known = {code for code, _label in APPLICANT_CATEGORIES}
    chosen = [str(v) for v in values or ()]
    unknown = [v for v in chosen if v not in known]
    if unknown:
        raise ApplicationError(_("Невідома категорія заявника."), code="invalid", field="categories")
    return sorted(set(chosen))


def _choice(value: str, choices: Any, *, field: str) -> str:
    value = value or ""
    if value and value not in choices.values:
        raise ApplicationError(_("Оберіть значення зі списку."), code="invalid", field=field)
    return value


def _attach(appeal: Appeal, files: Sequence[StagedFile]) -> int:
    seen: set[tuple[str, str]] = set()
    for item in files:
        if (item.sha256, item.name) in seen:
            continue
        seen.add((item.sha256, item.name))
        blob = Blob.objects.filter(sha256=item.sha256).first()
        if blob is None or blob.mime not in PUBLIC_UPLOAD_MIME:
            raise ApplicationError(_("Завантажений раніше файл не знайдено. Додайте файл ще раз."),
                                   code="upload_token", field="files")
        AppealAttachment.objects.create(appeal=appeal, blob=blob, name=item.name[:255])
    staged_uploads_consume([item.staged_id for item in files])
    return len(seen)


def appeal_submit(
    *,
    organisation: Organisation,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    settlement: str,
    address: str,
    email: str,
    phone: str = "",
    appeal_type: str,
    text: str,
    categories: Sequence[str] = (),
    social_status: str = "",
    sex: str = "",
    cosigners: Sequence[CosignerInput] = (),
    files: Sequence[StagedFile] = (),
    consent: bool,
    ip: str | None = None,
) -> Appeal:
    """An electronic appeal from the site: SUBMITTED, with a tracking code; e-mails the confirmation.

    Law 393/96-ВР art. 5: surname, name, patronymic, place of residence, the substance and an e-mail for
    the reply; no electronic signature is required. Art. 20 terms run from receipt (``received_date``);
    the provisional deadline is the 1-month term, set again at registration.
    """
    if not consent:
        raise ApplicationError(_("Підтвердьте, що ви ознайомилися з повідомленням про обробку персональних "
                                 "даних."), code="required", field="consent")
    if organisation is None or not public_organisations().filter(pk=organisation.pk).exists():
        raise ApplicationError(_("Оберіть орган, до якого звертаєтеся."), code="invalid", field="organisation")
    last_name = _required(last_name, field="last_name", limit=150, message=_("Вкажіть прізвище."))
    first_name = _required(first_name, field="first_name", limit=150, message=_("Вкажіть ім'я."))
    middle_name = _spaces(middle_name, 150)
    settlement = _required(settlement, field="settlement", limit=200, message=_("Вкажіть населений пункт."))
    street = _required(address, field="address", limit=290,
                       message=_("Вкажіть адресу місця проживання (вулиця, будинок, квартира)."))
    email = _clean_email(email)
    phone = _spaces(phone, 40)
    if appeal_type not in AppealType.values:
        raise ApplicationError(_("Оберіть вид звернення."), code="required", field="appeal_type")
    body = (text or "").strip()
    if len(body) < int(setting("TEXT_MIN_LENGTH")):
        raise ApplicationError(
            _("Опишіть суть звернення докладніше: щонайменше %(n)d символів.") % {"n": setting("TEXT_MIN_LENGTH")},
            code="too_short", field="text")
    if len(body) > int(setting("TEXT_MAX_LENGTH")):
        raise ApplicationError(
            _("Текст звернення задовгий: не більше %(n)d символів. Решту можна додати файлом.")
            % {"n": setting("TEXT_MAX_LENGTH")}, code="too_long", field="text")
    categories = _clean_categories(categories)
    social_status = _choice(social_status, SocialStatus, field="social_status")
    sex = _choice(sex, Sex, field="sex")
    signers = [CosignerInput(full_name=_spaces(c.full_name, 300), address=_spaces(c.address, 500))
               for c in cosigners if _spaces(c.full_name, 300)]
    if len(signers) > int(setting("MAX_COSIGNERS")):
        raise ApplicationError(_("Забагато підписантів: не більше %(n)d.") % {"n": setting("MAX_COSIGNERS")},
                               code="invalid", field="cosigners")
    if len(files) > int(setting("PUBLIC_MAX_FILES")):
        raise ApplicationError(_("Можна додати не більше %(n)d файлів.") % {"n": setting("PUBLIC_MAX_FILES")},
                               code="too_many_files", field="files")

    now = timezone.now()
    received = timezone.localdate(now)
    from ratusha.calendar.selectors import deadline as term_deadline

    with transaction.atomic():
        appeal = None
        for attempt in range(3):  # a tracking-code collision (≈ 2^-79) is retried, not shown
            try:
                with transaction.atomic():
                    appeal = Appeal.objects.create(
                        organisation=organisation, status=AppealStatus.SUBMITTED, tracking_code=new_tracking_code(),
                        received_at=now, received_date=received, receipt_form=ReceiptForm.ELECTRONIC,
                        medium=Medium.ELECTRONIC, appeal_type=appeal_type,
                        subject=AppealSubject.COLLECTIVE if signers else AppealSubject.INDIVIDUAL,
                        last_name=last_name, first_name=first_name, middle_name=middle_name,
                        address=f"{settlement}, {street}"[:500], settlement=settlement, email=email, phone=phone,
                        sex=sex, social_status=social_status, categories=categories,
                        priority=bool(priority_categories() & set(categories)), consent_at=now, text=body,
                        applicant_key=applicant_key(last_name, first_name, middle_name),
                        term_kind=TermKind.MONTH, deadline=term_deadline(TermKind.MONTH.value, received),
                    )
                break
            except IntegrityError:
                if attempt == 2:
                    raise
        assert appeal is not None
        for signer in signers:
            AppealCosigner.objects.create(appeal=appeal, full_name=signer.full_name, address=signer.address)
        attached = _attach(appeal, files)
        audit_log(actor=None, action="appeal.submitted", obj=appeal, object_repr=_("Електронне звернення"),
                  params={"organisation": str(organisation.pk), "type": appeal_type, "files": attached,
                          "cosigners": len(signers), "priority": appeal.priority, "ip": ip})
        appeal_event_add(appeal=appeal)
    return appeal


def received_term_dates(received: dt.date) -> dict[str, dt.date]:
    """The art. 20 dates shown on the confirmation page: 15 days and 1 month from receipt."""
    from ratusha.calendar.selectors import deadline as term_deadline

    return {"urgent": term_deadline(TermKind.URGENT.value, received),
            "month": term_deadline(TermKind.MONTH.value, received)}
