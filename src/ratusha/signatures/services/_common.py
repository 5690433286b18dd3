"""Helpers of the signature services: certificate facts, the installation secret, access checks."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _

from ratusha.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from ratusha.orgs.constants import InstallationRole
from ratusha.orgs.permissions import has_installation_role, is_org_admin
from ratusha.signatures.constants import CREDENTIAL_TRANSITIONS, CredentialKind, CredentialStatus


def engine() -> Any:
    """The signature engine package (imported late: the Django side loads without importing pyHanko)."""
    from ratusha.signatures import engine as package

    return package


def name_attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def display_name(name: x509.Name) -> str:
    return name_attr(name, NameOID.COMMON_NAME) or name.rfc4514_string()


def serial_hex(serial: int) -> str:
    return format(serial, "X")


def fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def cert_der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def cert_facts(cert: x509.Certificate) -> dict[str, Any]:
    """What the pages show of a certificate and what the models keep."""
    return {
        "subject_name": display_name(cert.subject)[:300],
        "subject_organisation": name_attr(cert.subject, NameOID.ORGANIZATION_NAME)[:300],
        "subject_title": name_attr(cert.subject, NameOID.TITLE)[:200],
        "serial": serial_hex(cert.serial_number),
        "issuer_name": display_name(cert.issuer)[:500],
        "fingerprint": fingerprint(cert),
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
    }


def load_certificate(data: bytes, *, field: str = "certificate") -> x509.Certificate:
    """A certificate from PEM or DER bytes; a clear error for anything else."""
    data = bytes(data or b"")
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data.strip())
        return x509.load_der_x509_certificate(data)
    except (ValueError, TypeError) as exc:
        raise ApplicationError(_("Файл не є сертифікатом X.509 (очікується .cer, .crt, .der або .pem)."),
                               code="invalid_certificate", field=field) from exc


def certificate_from_db(value: Any) -> x509.Certificate:
    return x509.load_der_x509_certificate(bytes(value))


def _secret_password() -> bytes:
    return hashlib.sha256(("ratusha-signatures:" + settings.SIGNATURES_KEY).encode()).hexdigest().encode()


def key_encrypt(private_key: Any) -> bytes:
    """The installation's own keys (CA, TSA) at rest: PKCS#8, encrypted with the installation secret."""
    return private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.BestAvailableEncryption(_secret_password()))


def key_decrypt(data: Any) -> Any:
    return serialization.load_pem_private_key(bytes(data), password=_secret_password())


def credential_transition(credential: Any, to: str) -> str:
    current = credential.status
    if to not in CREDENTIAL_TRANSITIONS.get(current, frozenset()):
        raise TransitionError(_("Ключ у стані «%(current)s» не можна перевести у стан «%(to)s».")
                              % {"current": CredentialStatus(current).label, "to": CredentialStatus(to).label})
    credential.status = to
    return current


def is_signatures_admin(user: Any) -> bool:
    """The installation's signatures administrator (installation CA, trust list, seals, every key):
    the installation role only — an organisation's administrator is not one (docs/architecture.md rule 5)."""
    return has_installation_role(user, InstallationRole.SIGNATURES_ADMIN)


def may_manage_keys_of(user: Any, organisation: Any) -> bool:
    """Keys of one organisation (its seal, its people's keys): its administrator or a signatures administrator.

    There is no «administrator of any organisation» check: without an organisation only a signatures
    administrator passes."""
    if is_signatures_admin(user):
        return True
    return (organisation is not None and getattr(user, "is_authenticated", False) and user.is_active
            and is_org_admin(user, organisation))


def may_manage_credential(user: Any, credential: Any) -> bool:
    """Download a key's certificate or revoke it: its owner, a signatures administrator, or the
    administrator of the organisation the key belongs to (a seal's organisation; for a personal key, an
    organisation where its owner holds an active appointment)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if credential.kind == CredentialKind.PERSONAL and credential.owner_id == user.pk:
        return True
    if is_signatures_admin(user):
        return True
    if credential.kind == CredentialKind.SEAL:
        return credential.organisation_id is not None and is_org_admin(user, credential.organisation_id)
    from ratusha.orgs.models import Employee

    orgs = Employee.objects.filter(user_id=credential.owner_id, is_active=True).values_list("organisation_id",
                                                                                            flat=True)
    return any(is_org_admin(user, org) for org in orgs)


def _denied() -> PermissionDeniedError:
    return PermissionDeniedError(_("Цю дію може виконати лише адміністратор підписів установки."))


def require_signatures_admin(actor: Any) -> None:
    """Installation-wide actions. ``actor=None`` is the system (CLI, demo loader)."""
    if actor is None or is_signatures_admin(actor):
        return
    raise _denied()


def require_keys_admin(actor: Any, organisation: Any) -> None:
    """Actions on one organisation's keys. ``actor=None`` is the system (CLI, demo loader)."""
    if actor is None or may_manage_keys_of(actor, organisation):
        return
    raise PermissionDeniedError(_("Цю дію може виконати лише адміністратор організації або адміністратор "
                                  "підписів установки."))


def require_credential_manager(actor: Any, credential: Any) -> None:
    if actor is None or may_manage_credential(actor, credential):
        return
    raise _denied()


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
