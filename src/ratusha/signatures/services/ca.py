"""The installation's own CA: created once, issues internal certificates, answers CRL/OCSP/TSA requests.

Certificates it issues carry ``{BASE_URL}/pki/<ca-id>.crl`` and ``{BASE_URL}/pki/ocsp/<ca-id>``, so a
PAdES B-LT signature embeds revocation data fetched from the installation itself; ``{BASE_URL}/pki/tsa``
gives RFC 3161 timestamps for B-T.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.signatures.constants import CredentialStatus
from ratusha.signatures.models import InstallationCA, SigningCredential
from ratusha.signatures.services._common import (
    cert_der,
    certificate_from_db,
    engine,
    fingerprint,
    key_decrypt,
    key_encrypt,
    now_utc,
    require_signatures_admin,
)


@dataclass(frozen=True)
class CAMaterial:
    """The installation CA's keys, decrypted, in memory only."""

    ca_id: str
    ca_key: Any
    ca_cert: x509.Certificate
    tsa_key: Any
    tsa_cert: x509.Certificate


_cache: dict[str, CAMaterial] = {}
_cache_lock = threading.Lock()


def installation_ca_active() -> InstallationCA | None:
    return InstallationCA.objects.filter(is_active=True).order_by("-created_at").first()


def ca_material(ca: InstallationCA) -> CAMaterial:
    key = str(ca.pk)
    with _cache_lock:
        material = _cache.get(key)
        if material is None:
            material = CAMaterial(ca_id=key, ca_key=key_decrypt(ca.key_encrypted),
                                  ca_cert=certificate_from_db(ca.certificate_der),
                                  tsa_key=key_decrypt(ca.tsa_key_encrypted),
                                  tsa_cert=certificate_from_db(ca.tsa_certificate_der))
            _cache[key] = material
        return material


def ca_urls(ca_id: Any, base_url: str | None = None) -> dict[str, str]:
    base = (base_url or settings.BASE_URL).rstrip("/")
    return {"crl": f"{base}/pki/{ca_id}.crl", "ocsp": f"{base}/pki/ocsp/{ca_id}", "tsa": f"{base}/pki/tsa"}


def _tsa_certificate(*, ca_key: Any, ca_cert: x509.Certificate, name: str, organisation: str,
                     years: int) -> tuple[Any, x509.Certificate]:
    """RFC 3161 §2.3: the TSA's certificate has the one critical extended key usage timeStamping."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = now_utc() - dt.timedelta(minutes=5)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name[:64]),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64])])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def installation_ca_create(*, actor: Any, name: str, organisation_name: str, valid_years: int = 10) -> InstallationCA:
    """Create the installation CA and its TSA (once; a second call is refused)."""
    require_signatures_admin(actor)
    name, organisation_name = (name or "").strip(), (organisation_name or "").strip()
    if not name:
        raise ApplicationError(_("Вкажіть назву центру сертифікації."), code="required", field="name")
    if not organisation_name:
        raise ApplicationError(_("Вкажіть організацію."), code="required", field="organisation_name")
    ca_key, ca_cert = engine().ca_create(common_name=name[:64], organisation=organisation_name[:64],
                                         valid_years=valid_years)
    tsa_key, tsa_cert = _tsa_certificate(ca_key=ca_key, ca_cert=ca_cert, name=f"{name[:50]} TSA",
                                         organisation=organisation_name, years=valid_years)
    with transaction.atomic():
        if InstallationCA.objects.select_for_update().filter(is_active=True).exists():
            raise ApplicationError(_("Центр сертифікації установи вже створено."), code="ca_exists")
        ca = InstallationCA.objects.create(
            name=name[:200], organisation_name=organisation_name[:300], certificate_der=cert_der(ca_cert),
            key_encrypted=key_encrypt(ca_key), tsa_certificate_der=cert_der(tsa_cert),
            tsa_key_encrypted=key_encrypt(tsa_key), fingerprint=fingerprint(ca_cert),
            not_after=ca_cert.not_valid_after_utc, created_by=actor)
        audit_log(actor=actor, action="signatures.ca_create", obj=ca,
                  params={"fingerprint": ca.fingerprint, "not_after": ca.not_after.isoformat()})
    return ca


def revocation_status(ca_id: Any, serial: int) -> tuple[str, dt.datetime | None]:
    """("good" | "revoked" | "unknown", revoked_at) of a certificate the installation CA issued."""
    from ratusha.signatures.services._common import serial_hex

    row = (SigningCredential.objects.filter(installation_ca_id=ca_id, serial=serial_hex(serial))
           .values("status", "revoked_at").first())
    if row is None:
        return "unknown", None
    if row["status"] == CredentialStatus.REVOKED:
        return "revoked", row["revoked_at"]
    return "good", None


def revoked_list(ca_id: Any) -> list[tuple[int, dt.datetime]]:
    rows = SigningCredential.objects.filter(installation_ca_id=ca_id, status=CredentialStatus.REVOKED)
    return [(int(serial, 16), at) for serial, at in rows.values_list("serial", "revoked_at")]


def crl_der(ca: InstallationCA) -> bytes:
    material = ca_material(ca)
    return engine().crl_build(ca_key=material.ca_key, ca_cert=material.ca_cert, revoked=revoked_list(ca.pk))


def ocsp_response(ca: InstallationCA, request_der: bytes) -> bytes:
    material = ca_material(ca)
    return engine().ocsp_respond(request_der, ca_key=material.ca_key, ca_cert=material.ca_cert,
                                 status_of=lambda serial: revocation_status(ca.pk, serial))


def tsa_response(request_der: bytes) -> bytes | None:
    ca = installation_ca_active()
    if ca is None:
        return None
    material = ca_material(ca)
    return engine().timestamp_respond(request_der, tsa_key=material.tsa_key, tsa_cert=material.tsa_cert)


def installation_ca_certificate() -> x509.Certificate | None:
    ca = installation_ca_active()
    return certificate_from_db(ca.certificate_der) if ca is not None else None
