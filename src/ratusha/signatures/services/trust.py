"""The trust list: CA certificates the administrator accepts for imported keys and for verification."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.signatures.models import TrustedCA
from ratusha.signatures.services._common import (
    cert_der,
    cert_facts,
    load_certificate,
    require_signatures_admin,
)


def certificate_preview(data: bytes) -> dict[str, Any]:
    """Subject, issuer, validity and fingerprint of an uploaded certificate (nothing stored)."""
    cert = load_certificate(data)
    facts = cert_facts(cert)
    try:
        from cryptography.x509 import BasicConstraints

        facts["is_ca"] = cert.extensions.get_extension_for_class(BasicConstraints).value.ca
    except Exception:  # noqa: BLE001 - no extension: not a CA certificate
        facts["is_ca"] = False
    return facts


def trusted_ca_add(*, actor: Any, data: bytes, name: str = "") -> TrustedCA:
    require_signatures_admin(actor)
    cert = load_certificate(data)
    facts = certificate_preview(data)
    if not facts["is_ca"]:
        raise ApplicationError(_("Це сертифікат кінцевого користувача, а не центру сертифікації: до списку "
                                 "довіри додають сертифікати центрів."), code="not_ca", field="certificate")
    if facts["not_after"] <= timezone.now():
        raise ApplicationError(_("Строк дії сертифіката центру минув."), code="certificate_expired",
                               field="certificate")
    with transaction.atomic():
        existing = TrustedCA.objects.select_for_update().filter(fingerprint=facts["fingerprint"]).first()
        if existing is not None and existing.is_active:
            raise ApplicationError(_("Цей центр сертифікації вже є у списку довіри."), code="duplicate",
                                   field="certificate")
        values = {"name": (name or facts["subject_name"]).strip()[:300], "certificate_der": cert_der(cert),
                  "subject": cert.subject.rfc4514_string()[:500], "not_before": facts["not_before"],
                  "not_after": facts["not_after"], "is_active": True, "added_by": actor, "removed_at": None}
        if existing is not None:
            for field, value in values.items():
                setattr(existing, field, value)
            existing.save()
            trusted = existing
        else:
            trusted = TrustedCA.objects.create(fingerprint=facts["fingerprint"], **values)
        audit_log(actor=actor, action="signatures.trust_add", obj=trusted,
                  params={"fingerprint": trusted.fingerprint, "subject": trusted.subject})
    return trusted


def trusted_ca_remove(*, actor: Any, trusted: TrustedCA) -> TrustedCA:
    require_signatures_admin(actor)
    with transaction.atomic():
        locked = TrustedCA.objects.select_for_update().get(pk=trusted.pk)
        if not locked.is_active:
            return locked
        locked.is_active = False
        locked.removed_at = timezone.now()
        locked.save(update_fields=["is_active", "removed_at", "updated_at"])
        audit_log(actor=actor, action="signatures.trust_remove", obj=locked, params={"fingerprint": locked.fingerprint})
    return locked
