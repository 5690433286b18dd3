"""The directory of participants: our organisations that exchange with other installations (each with
its exchange seal) and the peers of other installations (id, endpoint, pinned seal certificate)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.exchange.constants import PROTOCOL
from ratusha.exchange.models import Participant, Peer
from ratusha.exchange.permissions import require_installation_admin, require_organisation_admin
from ratusha.signatures.engine import SigningKey, pkcs12_load
from ratusha.signatures.services import machine_seal_issue
from ratusha.signatures.services._common import (
    certificate_from_db,
    fingerprint,
    key_decrypt,
    key_encrypt,
)

PARTICIPANT_ID_RE = re.compile(r"^\d{8,10}$")


def endpoint_url() -> str:
    """This installation's exchange endpoint, as peers reach it (``RATUSHA_BASE_URL``)."""
    return settings.BASE_URL + reverse("exchange_protocol:root")


def participant_key(participant: Participant) -> SigningKey:
    return SigningKey(private_key=key_decrypt(participant.key_encrypted),
                      certificate=certificate_from_db(participant.certificate_der))


def peer_certificate(peer: Peer) -> x509.Certificate:
    return certificate_from_db(peer.certificate_der)


def participant_card(participant: Participant) -> dict[str, Any]:
    """What a peer's administrator adds to their directory (``GET /exchange/v1/`` lists these too)."""
    org = participant.organisation
    cert = certificate_from_db(participant.certificate_der)
    return {"protocol": PROTOCOL, "id": org.edrpou, "name": org.name, "short_name": org.short_name,
            "endpoint": endpoint_url(), "fingerprint": participant.fingerprint,
            "certificate": cert.public_bytes(serialization.Encoding.PEM).decode()}


def participant_enable(*, actor: Any, organisation: Any, pkcs12: bytes | None = None,
                       passphrase: str = "") -> Participant:
    """Let an organisation exchange with other installations: a seal from the installation CA, or an
    imported PKCS#12 seal (e.g. from a qualified provider). The key is kept encrypted with the
    installation secret, because the outbox signs packages and receipts without a person."""
    require_organisation_admin(actor, [organisation])
    if not PARTICIPANT_ID_RE.match(organisation.edrpou or ""):
        raise ApplicationError(_("Спершу вкажіть код ЄДРПОУ організації: він є її ідентифікатором в обміні."),
                               code="no_edrpou")
    if not organisation.is_active:
        raise ApplicationError(_("Організація не діє."), code="inactive")
    if Participant.objects.filter(organisation__edrpou=organisation.edrpou, is_active=True).exclude(
            organisation=organisation).exists():
        raise ApplicationError(_("Інша організація цієї установки вже бере участь в обміні з тим самим кодом ЄДРПОУ."),
                               code="duplicate_edrpou")
    key = pkcs12_load(pkcs12, passphrase) if pkcs12 else machine_seal_issue(actor=actor, organisation=organisation)
    der = key.certificate.public_bytes(serialization.Encoding.DER)
    with transaction.atomic():
        participant, created = Participant.objects.select_for_update().get_or_create(
            organisation=organisation, defaults={"certificate_der": der, "key_encrypted": key_encrypt(key.private_key),
                                                 "fingerprint": fingerprint(key.certificate)})
        if not created:
            participant.certificate_der, participant.key_encrypted = der, key_encrypt(key.private_key)
            participant.fingerprint, participant.is_active = fingerprint(key.certificate), True
            participant.save()
        audit_log(actor=actor, action="exchange.participant_enabled", obj=participant, params={
            "organisation": organisation.short_name, "fingerprint": participant.fingerprint,
            "source": "pkcs12" if pkcs12 else "installation_ca", "renewed": not created})
    return participant


def participant_disable(*, actor: Any, participant: Participant) -> Participant:
    require_organisation_admin(actor, [participant.organisation])
    participant.is_active = False
    participant.save(update_fields=["is_active", "updated_at"])
    audit_log(actor=actor, action="exchange.participant_disabled", obj=participant,
              params={"organisation": participant.organisation.short_name})
    return participant


def _field_error(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, code="invalid", field=field)


def _check_endpoint(value: str) -> str:
    value = (value or "").strip()
    parts = urlsplit(value)
    allowed = ("https", "http") if settings.EXCHANGE_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed or not parts.hostname or parts.username or parts.password:
        raise _field_error(_("Адреса обміну має бути повною адресою https://…/exchange/v1/."), "endpoint")
    return value if value.endswith("/") else value + "/"


def _load_certificate(pem_or_der: str | bytes) -> x509.Certificate:
    data = pem_or_der.encode() if isinstance(pem_or_der, str) else pem_or_der
    try:
        return (x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data
                else x509.load_der_x509_certificate(data))
    except ValueError as exc:
        raise _field_error(_("Сертифікат печатки не вдалося прочитати (потрібен PEM або DER)."),
                           "certificate") from exc


def card_parse(text: str | bytes) -> dict[str, Any]:
    """A participant card (JSON) as another installation's ``GET /exchange/v1/`` or ops page gives it."""
    try:
        card = json.loads(text)
        if not isinstance(card, dict):
            raise ValueError
    except ValueError as exc:
        raise _field_error(_("Картка учасника має бути JSON-об'єктом."), "card") from exc
    return {k: str(card.get(k) or "") for k in ("id", "name", "short_name", "endpoint", "certificate")}


def peer_save(*, actor: Any, participant_id: str, name: str, short_name: str, endpoint: str,
              certificate: str | bytes, peer: Peer | None = None) -> Peer:
    """Add a participant of another installation to the directory, or change one (a new certificate
    replaces the pinned one: packages signed with the old seal are refused from then on). The directory is
    the whole installation's: its administrator only."""
    require_installation_admin(actor)
    participant_id = (participant_id or "").strip()
    if not PARTICIPANT_ID_RE.match(participant_id):
        raise _field_error(_("Ідентифікатор учасника — код ЄДРПОУ з 8–10 цифр."), "participant_id")
    if Participant.objects.filter(organisation__edrpou=participant_id).exists():
        raise _field_error(_("Це організація цієї установки: вона обмінюється документами без довідника."),
                           "participant_id")
    name = " ".join((name or "").split())
    if not name:
        raise _field_error(_("Вкажіть назву учасника."), "name")
    cert = _load_certificate(certificate)
    endpoint = _check_endpoint(endpoint)
    values = {"participant_id": participant_id, "name": name[:300],
              "short_name": (" ".join((short_name or "").split()) or name)[:120], "endpoint": endpoint,
              "certificate_der": cert.public_bytes(serialization.Encoding.DER), "fingerprint": fingerprint(cert)}
    duplicate = Peer.objects.filter(participant_id=participant_id).exclude(pk=getattr(peer, "pk", None))
    if duplicate.exists():
        raise _field_error(_("Учасник з таким ідентифікатором уже є в довіднику."), "participant_id")
    with transaction.atomic():
        if peer is None:
            peer = Peer.objects.create(**values)
        else:
            for key, value in values.items():
                setattr(peer, key, value)
            peer.save()
        audit_log(actor=actor, action="exchange.peer_saved", obj=peer, params={
            "participant_id": participant_id, "endpoint": endpoint, "fingerprint": peer.fingerprint})
    return peer


def peer_set_active(*, actor: Any, peer: Peer, active: bool) -> Peer:
    require_installation_admin(actor)
    peer.is_active = active
    peer.save(update_fields=["is_active", "updated_at"])
    audit_log(actor=actor, action="exchange.peer_enabled" if active else "exchange.peer_disabled", obj=peer,
              params={"participant_id": peer.participant_id})
    return peer
