"""Signing keys: import a PKCS#12 from a CA, issue from the installation CA, seals, revocation.

A private key is kept only inside a PKCS#12 encrypted (AES-256) with the holder's passphrase; the
passphrase is never stored, so a forgotten one means a new key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.signatures.constants import (
    PASSPHRASE_MIN_LENGTH,
    PERSONAL_CERT_DAYS,
    SEAL_CERT_DAYS,
    CredentialKind,
    CredentialSource,
    CredentialStatus,
    RevocationReason,
)
from ratusha.signatures.models import InstallationCA, SigningCredential
from ratusha.signatures.services._common import (
    cert_der,
    cert_facts,
    credential_transition,
    engine,
    fingerprint,
    now_utc,
    require_credential_manager,
    require_keys_admin,
    require_signatures_admin,
)
from ratusha.signatures.services.ca import ca_material, ca_urls, installation_ca_active, revocation_status


def check_passphrase(passphrase: str, repeat: str | None = None) -> str:
    if len(passphrase or "") < PASSPHRASE_MIN_LENGTH:
        raise ApplicationError(_("Пароль до ключа має містити щонайменше %(n)d символів.")
                               % {"n": PASSPHRASE_MIN_LENGTH}, code="weak_passphrase", field="passphrase")
    if repeat is not None and passphrase != repeat:
        raise ApplicationError(_("Паролі не збігаються. Введіть той самий пароль двічі."),
                               code="passphrase_mismatch", field="passphrase2")
    return passphrase


def _load_pkcs12(data: bytes, passphrase: str) -> Any:
    eng = engine()
    try:
        return eng.pkcs12_load(data, passphrase)
    except eng.WrongPassphraseError as exc:
        raise ApplicationError(_("Пароль не підходить до цього файлу ключа. Перевірте розкладку клавіатури "
                                 "й регістр і спробуйте ще раз."), code="wrong_passphrase", field="passphrase") from exc
    except eng.InvalidKeyFileError as exc:
        raise ApplicationError(exc.message, code="invalid_key_file", field="file") from exc


def _asn1(cert: x509.Certificate) -> Any:
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert_der(cert))


def check_certificate(cert: x509.Certificate, chain: Iterable[x509.Certificate] = (), *, field: str = "file") -> str:
    """Refuse an expired, revoked or untrusted certificate; returns the trusted root's name."""
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator import errors as cv_errors

    from ratusha.signatures.selectors import trust_roots

    now = now_utc()
    if cert.not_valid_after_utc <= now or cert.not_valid_before_utc > now:
        raise ApplicationError(_("Строк дії сертифіката минув або ще не настав (діє з %(start)s до %(end)s).")
                               % {"start": timezone.localtime(cert.not_valid_before_utc).strftime("%d.%m.%Y"),
                                  "end": timezone.localtime(cert.not_valid_after_utc).strftime("%d.%m.%Y")},
                               code="certificate_expired", field=field)
    own = installation_ca_active()
    if own is not None and cert.issuer == x509.load_der_x509_certificate(bytes(own.certificate_der)).subject:
        status, _at = revocation_status(own.pk, cert.serial_number)
        if status == "revoked":
            raise ApplicationError(_("Сертифікат відкликано."), code="certificate_revoked", field=field)
    roots = trust_roots()
    if not roots:
        raise ApplicationError(_("Список довірених центрів сертифікації порожній: адміністратор має додати центр, "
                                 "що видав ваш сертифікат."), code="untrusted", field=field)
    context = ValidationContext(trust_roots=[_asn1(r) for r in roots], other_certs=[_asn1(c) for c in chain],
                                allow_fetching=getattr(settings, "SIGNATURES_ALLOW_FETCHING", True),
                                revocation_mode="soft-fail")
    validator = CertificateValidator(_asn1(cert), intermediate_certs=[_asn1(c) for c in chain],
                                     validation_context=context)
    try:
        path = asyncio.run(validator.async_validate_usage(set()))
    except cv_errors.RevokedError as exc:
        raise ApplicationError(_("Сертифікат відкликано центром сертифікації."), code="certificate_revoked",
                               field=field) from exc
    except (cv_errors.PathBuildingError, cv_errors.PathValidationError, cv_errors.InvalidCertificateError) as exc:
        raise ApplicationError(_("Сертифікат видано центром сертифікації, якого немає у списку довірених. "
                                 "Зверніться до адміністратора."), code="untrusted", field=field) from exc
    except cv_errors.ValidationError as exc:
        raise ApplicationError(_("Сертифікат не вдалося перевірити: %(why)s") % {"why": str(exc)[:200]},
                               code="untrusted", field=field) from exc
    root = path.trust_anchor.authority.name.human_friendly if path is not None else ""
    return str(root)


def _store(*, actor: Any, key: Any, passphrase: str, kind: str, source: str, owner: Any = None,
           organisation: Any = None, installation_ca: InstallationCA | None = None,
           seal_users: Iterable[Any] = ()) -> SigningCredential:
    facts = cert_facts(key.certificate)
    if SigningCredential.objects.filter(fingerprint=facts["fingerprint"]).exists():
        raise ApplicationError(_("Цей сертифікат уже додано."), code="duplicate", field="file")
    blob = engine().pkcs12_encrypt(key, passphrase)
    credential = SigningCredential.objects.create(
        kind=kind, source=source, owner=owner, organisation=organisation, installation_ca=installation_ca,
        certificate_der=cert_der(key.certificate), pkcs12_encrypted=blob, created_by=actor, **facts)
    if kind == CredentialKind.SEAL:
        credential.seal_users.set(list(seal_users))
    audit_log(actor=actor, action=f"signatures.credential_{source}", obj=credential, params={
        "kind": kind, "serial": credential.serial, "issuer": credential.issuer_name,
        "owner": str(owner.pk) if owner else None, "organisation": str(organisation.pk) if organisation else None,
        "not_after": credential.not_after.isoformat()})
    return credential


def credential_import(*, actor: Any, data: bytes, passphrase: str, kind: str = CredentialKind.PERSONAL,
                      organisation: Any = None, seal_users: Iterable[Any] = ()) -> SigningCredential:
    """Import a PKCS#12 (.p12/.pfx) issued by a CA; a seal only by an administrator of its organisation."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDeniedError(_("Увійдіть, щоб додати ключ."))
    if kind == CredentialKind.SEAL:
        require_keys_admin(actor, organisation)
    if not passphrase:
        raise ApplicationError(_("Введіть пароль до файлу ключа."), code="required", field="passphrase")
    key = _load_pkcs12(data, passphrase)
    check_certificate(key.certificate, key.chain)
    with transaction.atomic():
        return _store(actor=actor, key=key, passphrase=passphrase, kind=kind, source=CredentialSource.IMPORTED,
                      owner=actor if kind == CredentialKind.PERSONAL else None,
                      organisation=organisation if kind == CredentialKind.SEAL else None, seal_users=seal_users)


def _position_of(user: Any) -> tuple[str, str]:
    """(position title, organisation name) of the user's first active appointment."""
    from ratusha.orgs.models import Employee

    emp = (Employee.objects.filter(user=user, is_active=True).select_related("position", "organisation")
           .order_by("created_at").first())
    if emp is None:
        return "", ""
    return (emp.position.title if emp.position_id else ""), emp.organisation.short_name or emp.organisation.name


def _issue(*, ca: InstallationCA, subject_name: str, organisation: str, title: str | None, email: str | None,
           seal: bool, days: int) -> Any:
    material = ca_material(ca)
    private_key = ec.generate_private_key(ec.SECP256R1())
    urls = ca_urls(ca.pk)
    cert = engine().certificate_issue(
        ca_key=material.ca_key, ca_cert=material.ca_cert, subject_name=subject_name[:64],
        organisation=(organisation or ca.organisation_name)[:64], title=(title or None) and title[:64],
        email=email or None, public_key=private_key.public_key(), seal=seal, valid_days=days,
        crl_url=urls["crl"], ocsp_url=urls["ocsp"])
    return engine().SigningKey(private_key=private_key, certificate=cert, chain=())


def _require_ca() -> InstallationCA:
    ca = installation_ca_active()
    if ca is None:
        raise ApplicationError(_("Центр сертифікації установи ще не створено: зверніться до адміністратора."),
                               code="no_ca")
    return ca


def credential_issue(*, actor: Any, passphrase: str, passphrase2: str | None = None,
                     title: str | None = None, user: Any = None) -> SigningCredential:
    """A personal key from the installation CA for ``user`` (default: the actor), encrypted with the passphrase.

    Issuing for someone else is for administrators (the demo loader passes ``actor=None``).
    """
    user = user or actor
    if actor is None or user is None or getattr(actor, "pk", None) != user.pk:
        require_signatures_admin(actor)
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError(_("Увійдіть, щоб отримати ключ."))
    check_passphrase(passphrase, passphrase2)
    ca = _require_ca()
    position, organisation = _position_of(user)
    key = _issue(ca=ca, subject_name=user.full_name, organisation=organisation, title=title or position,
                 email=user.email, seal=False, days=PERSONAL_CERT_DAYS)
    with transaction.atomic():
        return _store(actor=actor, key=key, passphrase=passphrase, kind=CredentialKind.PERSONAL,
                      source=CredentialSource.INSTALLATION, owner=user, installation_ca=ca)


def seal_issue(*, actor: Any, organisation: Any, passphrase: str, passphrase2: str | None = None,
               seal_users: Iterable[Any] = ()) -> SigningCredential:
    """The organisation's seal (електронна печатка) from the installation CA: the signatures administrator."""
    require_signatures_admin(actor)
    check_passphrase(passphrase, passphrase2)
    ca = _require_ca()
    key = _issue(ca=ca, subject_name=organisation.name, organisation=organisation.name, title=None,
                 email=organisation.email, seal=True, days=SEAL_CERT_DAYS)
    with transaction.atomic():
        return _store(actor=actor, key=key, passphrase=passphrase, kind=CredentialKind.SEAL,
                      source=CredentialSource.INSTALLATION, organisation=organisation, installation_ca=ca,
                      seal_users=seal_users)


def machine_seal_issue(*, actor: Any, organisation: Any) -> Any:
    """A seal key for the organisation's automatic messages (exchange between installations), from the
    installation CA. Returned in memory only; the caller keeps it encrypted with the installation secret.
    The organisation's own administrator may ask for it (its participant card of the exchange)."""
    require_keys_admin(actor, organisation)
    ca = _require_ca()
    return _issue(ca=ca, subject_name=organisation.name, organisation=organisation.name, title=None,
                  email=organisation.email, seal=True, days=SEAL_CERT_DAYS)


def seal_users_set(*, actor: Any, seal: SigningCredential, users: Iterable[Any]) -> SigningCredential:
    require_keys_admin(actor, seal.organisation)
    users = list(users)
    with transaction.atomic():
        seal.seal_users.set(users)
        audit_log(actor=actor, action="signatures.seal_users", obj=seal,
                  params={"users": sorted(str(u.pk) for u in users)})
    return seal


def credential_revoke(*, actor: Any, credential: SigningCredential, reason: str, comment: str = "") -> SigningCredential:
    """Revoke a key: the installation's CRL and OCSP say «revoked» from this moment (they read the table)."""
    require_credential_manager(actor, credential)
    if reason not in RevocationReason.values:
        raise ApplicationError(_("Оберіть причину відкликання."), code="required", field="reason")
    with transaction.atomic():
        locked = SigningCredential.objects.select_for_update().get(pk=credential.pk)
        credential_transition(locked, CredentialStatus.REVOKED)
        locked.revoked_at = timezone.now()
        locked.revoke_reason = reason
        locked.revoke_comment = (comment or "").strip()[:300]
        locked.version += 1
        locked.save(update_fields=["status", "revoked_at", "revoke_reason", "revoke_comment", "version",
                                   "updated_at"])
        audit_log(actor=actor, action="signatures.credential_revoke", obj=locked,
                  params={"serial": locked.serial, "reason": reason, "comment": locked.revoke_comment})
    return locked


def credentials_expire(*, now: Any = None) -> int:
    """The periodic sweep: active keys past their certificate's end become «expired»."""
    now = now or timezone.now()
    count = 0
    for pk in SigningCredential.objects.filter(status=CredentialStatus.ACTIVE, not_after__lte=now).values_list(
            "pk", flat=True):
        with transaction.atomic():
            locked = SigningCredential.objects.select_for_update().get(pk=pk)
            if locked.status != CredentialStatus.ACTIVE:
                continue
            credential_transition(locked, CredentialStatus.EXPIRED)
            locked.save(update_fields=["status", "updated_at"])
            audit_log(actor=None, action="signatures.credential_expire", obj=locked, params={"serial": locked.serial})
            count += 1
    return count


def credential_unlock(*, credential: SigningCredential, passphrase: str) -> Any:
    """The SigningKey of a credential (in memory only); refuses a revoked or expired one."""
    if credential.status != CredentialStatus.ACTIVE or credential.not_after <= timezone.now():
        raise ApplicationError(_("Цей ключ не діє (відкликано або минув строк дії сертифіката)."),
                               code="credential_inactive", field="passphrase")
    eng = engine()
    try:
        key = eng.pkcs12_load(bytes(credential.pkcs12_encrypted), passphrase or "")
    except eng.WrongPassphraseError as exc:
        raise ApplicationError(_("Пароль до ключа неправильний."), code="wrong_passphrase",
                               field="passphrase") from exc
    if fingerprint(key.certificate) != credential.fingerprint:
        raise ApplicationError(_("Ключ пошкоджено: сертифікат не збігається."), code="credential_damaged",
                               field="passphrase")
    return key
