"""Reads of keys, the trust list and signatures, with access checks."""

from __future__ import annotations

from typing import Any

from cryptography import x509
from django.db.models import Q, QuerySet
from django.http import Http404

from ratusha.signatures.constants import CredentialKind, CredentialStatus, RecordKind
from ratusha.signatures.models import InstallationCA, SignatureRecord, SigningCredential, TrustedCA
from ratusha.signatures.services._common import may_manage_credential, require_signatures_admin


def trust_roots() -> tuple[x509.Certificate, ...]:
    """Active trust-list entries plus the installation CA (for verification and the CLI)."""
    ders = list(TrustedCA.objects.filter(is_active=True).values_list("certificate_der", flat=True))
    ders += list(InstallationCA.objects.filter(is_active=True).values_list("certificate_der", flat=True))
    seen: set[bytes] = set()
    roots = []
    for der in ders:
        der = bytes(der)
        if der not in seen:
            seen.add(der)
            roots.append(x509.load_der_x509_certificate(der))
    return tuple(roots)


def my_credentials(*, user: Any) -> QuerySet[SigningCredential]:
    return SigningCredential.objects.filter(kind=CredentialKind.PERSONAL, owner=user).order_by("-created_at")


def active_personal_credential(user: Any) -> SigningCredential | None:
    from django.utils import timezone

    return (SigningCredential.objects.filter(kind=CredentialKind.PERSONAL, owner=user, status=CredentialStatus.ACTIVE,
                                             not_after__gt=timezone.now()).order_by("-not_after").first())


def usable_seals(*, user: Any) -> QuerySet[SigningCredential]:
    from django.utils import timezone

    return (SigningCredential.objects.filter(kind=CredentialKind.SEAL, status=CredentialStatus.ACTIVE,
                                             not_after__gt=timezone.now(), seal_users=user)
            .select_related("organisation").distinct())


def credential_get(*, user: Any, pk: Any) -> SigningCredential:
    """A key its owner (personal), its organisation's administrator or the signatures administrator may
    see (``may_manage_credential``); a seal also its users."""
    try:
        credential = SigningCredential.objects.select_related("organisation", "owner").get(pk=pk)
    except (SigningCredential.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if may_manage_credential(user, credential):
        return credential
    if credential.kind == CredentialKind.SEAL and credential.seal_users.filter(pk=user.pk).exists():
        return credential
    raise Http404


def admin_credentials(*, user: Any) -> QuerySet[SigningCredential]:
    require_signatures_admin(user)
    return SigningCredential.objects.select_related("owner", "organisation").order_by("status", "subject_name")


def admin_trust_list(*, user: Any) -> QuerySet[TrustedCA]:
    require_signatures_admin(user)
    return TrustedCA.objects.filter(is_active=True).order_by("name")


def trusted_get(*, user: Any, pk: Any) -> TrustedCA:
    require_signatures_admin(user)
    try:
        return TrustedCA.objects.get(pk=pk)
    except (TrustedCA.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def installation_ca(*, user: Any = None) -> InstallationCA | None:
    return InstallationCA.objects.filter(is_active=True).order_by("-created_at").first()


def installation_ca_get(pk: Any) -> InstallationCA:
    try:
        return InstallationCA.objects.get(pk=pk)
    except (InstallationCA.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def document_records(*, document: Any) -> list[SignatureRecord]:
    """Signatures of a card the caller has already opened (``registry.selectors.document_get``)."""
    return list(SignatureRecord.objects.filter(document=document)
                .select_related("credential", "signer", "document_file", "blob").order_by("signed_at"))


def record_by_code(code: str) -> SignatureRecord | None:
    from ratusha.signatures.services.records import normalise_code

    code = normalise_code(code)
    if not code:
        return None
    return (SignatureRecord.objects.select_related("document", "document_file", "credential", "blob")
            .filter(code=code).first())


def verification_code_for_document(document: Any) -> str | None:
    """The code of the newest PAdES signature of the document (for the website's decisions page)."""
    return (SignatureRecord.objects.filter(document=document, kind=RecordKind.PADES).order_by("-signed_at")
            .values_list("code", flat=True).first())


def my_records(*, user: Any, limit: int = 50) -> list[SignatureRecord]:
    return list(SignatureRecord.objects.filter(Q(signer=user)).select_related("document", "credential")
                .order_by("-signed_at")[:limit])
