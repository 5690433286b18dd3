"""Statuses, transitions and limits of keys, certificates and signatures (issue 6; docs/signatures.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CredentialKind(models.TextChoices):
    PERSONAL = "personal", _("Особистий ключ")
    SEAL = "seal", _("Печатка організації")


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", _("Діє")
    REVOKED = "revoked", _("Відкликано")
    EXPIRED = "expired", _("Строк дії минув")


CREDENTIAL_TRANSITIONS: dict[str, frozenset[str]] = {
    CredentialStatus.ACTIVE: frozenset({CredentialStatus.REVOKED, CredentialStatus.EXPIRED}),
    CredentialStatus.EXPIRED: frozenset({CredentialStatus.REVOKED}),
    CredentialStatus.REVOKED: frozenset(),
}


class CredentialSource(models.TextChoices):
    IMPORTED = "imported", _("Імпортовано (PKCS#12 від центру сертифікації)")
    INSTALLATION = "installation", _("Видано центром сертифікації установи")


class RecordKind(models.TextChoices):
    PADES = "pades", _("PAdES (підпис у PDF)")
    CADES = "cades", _("CAdES (окремий файл .p7s)")


class RevocationReason(models.TextChoices):
    KEY_COMPROMISE = "key_compromise", _("Ключ скомпрометовано або втрачено")
    AFFILIATION_CHANGED = "affiliation_changed", _("Змінилася посада або місце роботи")
    SUPERSEDED = "superseded", _("Замінено новим ключем")
    CESSATION = "cessation", _("Припинення діяльності")
    OTHER = "other", _("Інша причина")


# RFC 5280 §5.3.1 reason codes for the CRL / OCSP (cryptography ReasonFlags names).
REVOCATION_REASON_FLAGS = {
    RevocationReason.KEY_COMPROMISE: "key_compromise",
    RevocationReason.AFFILIATION_CHANGED: "affiliation_changed",
    RevocationReason.SUPERSEDED: "superseded",
    RevocationReason.CESSATION: "cessation_of_operation",
    RevocationReason.OTHER: "unspecified",
}

# Verification code printed as the QR on a signed PDF: 10 symbols of an alphabet without look-alikes
# (no O/0, I/1) — 32^10 ≈ 10^15 codes; the public lookup is rate-limited besides.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10

PASSPHRASE_MIN_LENGTH = 8
# Certificates the installation CA issues (days): personal keys two years, seals three.
PERSONAL_CERT_DAYS = 730
SEAL_CERT_DAYS = 1095
