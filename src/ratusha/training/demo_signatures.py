"""Demo electronic signatures: the installation CA and TSA, keys of the demo heads, the council's seal,
and signed PDFs of council decisions, executive-committee decisions and outgoing letters.

Every demo key's passphrase is ``sosnivka-demo`` (published: demo installations only). The web server is
not running while the demo loads, so the installation's /pki/ services are served for the duration by a
loopback server from the keys in memory (``signatures/loopback.py``): on the port of ``BASE_URL`` the
signatures are B-LT (OCSP responses embedded); if that port is taken, B-T with the timestamp only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.test import override_settings

from ratusha.orgs.constants import Role
from ratusha.orgs.models import Employee, Organisation
from ratusha.registry.constants import JournalKind
from ratusha.registry.models import Document, DocumentFile
from ratusha.signatures.constants import CredentialKind
from ratusha.signatures.models import SignatureRecord, SigningCredential
from ratusha.signatures.services import (
    credential_issue,
    document_pades_cosign,
    installation_ca_create,
    seal_issue,
)
from ratusha.signatures.services.ca import ca_material, installation_ca_active

logger = logging.getLogger(__name__)

DEMO_PASSPHRASE = "sosnivka-demo"  # noqa: S105 - published demo passphrase (demo installations only)
PER_KIND = 3  # signed documents per journal kind
KINDS = (JournalKind.COUNCIL_DECISIONS, JournalKind.EXECUTIVE_DECISIONS, JournalKind.OUTGOING)


def _heads() -> list[Employee]:
    rows = (Employee.objects.filter(organisation__code__startswith="demo-", is_active=True)
            .select_related("user", "organisation", "position").order_by("organisation__code", "created_at"))
    seen, heads = set(), []
    for emp in rows:
        if Role.HEAD in (emp.roles or []) and emp.user_id not in seen:
            seen.add(emp.user_id)
            heads.append(emp)
    return heads


def _credential_of(user) -> SigningCredential | None:
    return SigningCredential.objects.filter(kind=CredentialKind.PERSONAL, owner=user, status="active").first()


def _named_in(head: Employee, text: str) -> bool:
    return bool(head.user.last_name) and head.user.last_name.upper() in (text or "").upper()


def _signer_for(document: Document, heads: list[Employee]) -> Employee | None:
    """The head the card names as its signer (the mayor signs the executive committee's decisions too),
    else the first head of the card's organisation: the stamp and the signature block then agree."""
    for head in heads:
        if _named_in(head, document.signed_by):
            return head
    own = [h for h in heads if h.organisation_id == document.organisation_id]
    return own[0] if own else None


def _sign_documents(heads: list[Employee], seal: SigningCredential | None, clerk, log) -> int:
    signed = 0
    for kind in KINDS:
        docs = (Document.objects.filter(organisation__code__startswith="demo-", journal__kind=kind,
                                        cancelled_at__isnull=True)
                .exclude(signature_records__isnull=False).order_by("-reg_date", "-seq")[:PER_KIND])
        for doc in docs:
            file = (DocumentFile.objects.filter(document=doc, is_current=True, blob__mime="application/pdf")
                    .select_related("blob").order_by("created_at").first())
            head = _signer_for(doc, heads)
            credential = _credential_of(head.user) if head else None
            if file is None or credential is None:
                continue
            document_pades_cosign(actor=head.user, document=doc, file=file, credential=credential,
                                  passphrase=DEMO_PASSPHRASE)
            signed += 1
            if seal is not None and clerk is not None and kind == JournalKind.COUNCIL_DECISIONS \
                    and seal.organisation_id == doc.organisation_id:
                current = DocumentFile.objects.filter(document=doc, key=file.key, is_current=True).first()
                document_pades_cosign(actor=clerk, document=doc, file=current, credential=seal,
                                      passphrase=DEMO_PASSPHRASE)
    return signed


def load_signatures(*, log: Callable[[str], None] | None = None) -> int:
    """Create the demo keys and sign the demo documents (once); returns how many documents were signed."""
    log = log or (lambda _msg: None)
    from ratusha.signatures.services._common import engine

    if not all(hasattr(engine(), name) for name in ("ca_create", "certificate_issue", "timestamp_respond")):
        log("Електронні підписи: рушій підписів ще без центру сертифікації — демонстраційні підписи пропущено")
        return 0
    if SignatureRecord.objects.filter(document__organisation__code__startswith="demo-").exists():
        return 0
    started = time.perf_counter()
    council = Organisation.objects.filter(code="demo-council").first()
    if council is None:
        return 0
    ca = installation_ca_active() or installation_ca_create(
        actor=None, name="Соснівка: ЦС установи", organisation_name=council.short_name or council.name)
    heads = _heads()
    # Keys for the heads who sign something in the demo (a key costs ~0.2 s: the demo stays quick): the
    # signers on approval routes and the heads of the organisations whose documents are signed below.
    from ratusha.workflow.approvals.constants import StepKind
    from ratusha.workflow.approvals.models import RouteTask, RouteTemplateStep

    signers = set(RouteTask.objects.filter(kind=StepKind.SIGN).values_list("approver_id", flat=True))
    signers |= set(RouteTemplateStep.objects.filter(kind=StepKind.SIGN).values_list("user_id", flat=True))
    signing_orgs = set(Document.objects.filter(organisation__code__startswith="demo-", journal__kind__in=KINDS)
                       .values_list("organisation_id", flat=True))
    named = " ".join(Document.objects.filter(organisation__code__startswith="demo-", journal__kind__in=KINDS)
                     .exclude(signed_by="").values_list("signed_by", flat=True).distinct()[:200])
    wanted, seen_orgs = [], set()
    for head in heads:
        if head.user_id in signers or _named_in(head, named) or (
                head.organisation_id not in seen_orgs and head.organisation_id in signing_orgs):
            wanted.append(head)
            seen_orgs.add(head.organisation_id)
    heads = wanted
    for head in heads:
        if _credential_of(head.user) is None:
            credential_issue(actor=None, user=head.user, passphrase=DEMO_PASSPHRASE)
    clerk_emp = (Employee.objects.filter(organisation=council, is_active=True, roles__contains=[Role.REGISTRAR])
                 .select_related("user").first()) if _json_contains_supported() else None
    if clerk_emp is None:
        clerk_emp = next((e for e in Employee.objects.filter(organisation=council, is_active=True).select_related("user")
                          if Role.REGISTRAR in (e.roles or [])), None)
    seal = SigningCredential.objects.filter(kind=CredentialKind.SEAL, organisation=council, status="active").first()
    if seal is None:
        seal = seal_issue(actor=None, organisation=council, passphrase=DEMO_PASSPHRASE,
                          seal_users=[clerk_emp.user] if clerk_emp else [])
    material = ca_material(ca)
    from django.conf import settings

    from ratusha.signatures.loopback import pki_server

    base = urlsplit(settings.BASE_URL)
    host, port = base.hostname or "127.0.0.1", base.port or 80
    level = "B-LT"
    try:
        server = pki_server(material, host=host, port=port)
        url = server.__enter__()
    except OSError:
        level = "B-T"
        server = pki_server(material)
        url = server.__enter__()
    try:
        with override_settings(SIGNATURES_LEVEL=level, SIGNATURES_TSA_URL=f"{url}/pki/tsa"):
            try:
                signed = _sign_documents(heads, seal, clerk_emp.user if clerk_emp else None, log)
            except Exception:
                if level != "B-LT":
                    raise
                logger.warning("demo signatures: B-LT failed, signing at B-T", exc_info=True)
                level = "B-T"
                with override_settings(SIGNATURES_LEVEL=level):
                    signed = _sign_documents(heads, seal, clerk_emp.user if clerk_emp else None, log)
    finally:
        server.__exit__(None, None, None)
    log(f"Електронні підписи: {len(heads)} ключів керівників і печатка ради (пароль {DEMO_PASSPHRASE}), "
        f"підписано документів: {signed} (PAdES {level}; {time.perf_counter() - started:.1f} с)")
    return signed


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains
