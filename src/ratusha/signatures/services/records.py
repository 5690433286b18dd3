"""Signing documents: PAdES of a PDF (approvals, co-signers, seals), CAdES .p7s of any file, ASiC-E export.

Each signature is kept as a ``SignatureRecord`` with the card and its file; the PAdES stamp carries a
QR code to ``{BASE_URL}/verify/?code=<code>``, so the code is chosen before signing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import Blob
from ratusha.core.storage import blob_put, blob_read
from ratusha.signatures.constants import CODE_ALPHABET, CODE_LENGTH, CredentialKind, RecordKind
from ratusha.signatures.models import SignatureRecord, SigningCredential
from ratusha.signatures.services._common import engine, serial_hex
from ratusha.signatures.services.ca import ca_urls, installation_ca_active
from ratusha.signatures.services.credentials import credential_unlock

PDF_MIME = "application/pdf"
P7S_MIME = "application/pkcs7-signature"
ASICE_MIME = "application/vnd.etsi.asic-e+zip"


# --- codes ------------------------------------------------------------------------------------


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not SignatureRecord.objects.filter(code=code).exists():
            return code


def normalise_code(value: str) -> str:
    """Codes are typed with spaces/dashes and in any case; look-alikes O→0 are not in the alphabet."""
    code = "".join(ch for ch in str(value or "").upper() if ch.isalnum())
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return ""
    return code


def display_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


def verify_url(code: str) -> str:
    return f"{settings.BASE_URL.rstrip('/')}/verify/?code={code}"


# --- engine arguments -----------------------------------------------------------------------------


def signing_level() -> Any:
    eng = engine()
    value = str(getattr(settings, "SIGNATURES_LEVEL", "B-LT") or "B-LT").upper()
    try:
        return eng.SignatureLevel(value)
    except ValueError:
        return eng.SignatureLevel.B_LT


def signing_services(*, level: Any = None) -> Any:
    """Where the signer gets timestamps (the installation's TSA) and which roots are trusted."""
    from ratusha.signatures.selectors import trust_roots

    eng = engine()
    ca = installation_ca_active()
    tsa_url = getattr(settings, "SIGNATURES_TSA_URL", "") or (ca_urls(ca.pk)["tsa"] if ca is not None else None)
    if level == eng.SignatureLevel.B_B:
        tsa_url = None
    return eng.Services(tsa_url=tsa_url, trust_roots=trust_roots(),
                        allow_fetching=getattr(settings, "SIGNATURES_ALLOW_FETCHING", True))


def stamp_for(*, credential: SigningCredential, signer: Any, signed_at: dt.datetime, code: str) -> Any:
    local = timezone.localtime(signed_at)
    lines = [_("Документ підписано електронним підписом")]
    if credential.kind == CredentialKind.SEAL:
        lines.append(_("Печатка: %(name)s") % {"name": credential.subject_name})
        lines.append(_("Наклав: %(name)s") % {"name": signer.full_name})
    else:
        lines.append(_("Підписувач: %(name)s") % {"name": credential.subject_name or signer.full_name})
        if credential.subject_title:
            lines.append(_("Посада: %(title)s") % {"title": credential.subject_title})
    lines.append(_("Сертифікат: %(serial)s") % {"serial": credential.serial})
    # Six short rows fit under the title (engine/stamp.py: 82 pt high); the time is Kyiv time.
    lines.append(_("Підписано: %(time)s (Київ)") % {"time": local.strftime("%d.%m.%Y %H:%M:%S")})
    lines.append(_("Код перевірки: %(code)s") % {"code": display_code(code)})
    return engine().Stamp(lines=tuple(lines), qr_url=verify_url(code))


def pdf_bytes_of_version(version: Any, draft: Any = None) -> bytes:
    """The draft version's PDF: the file itself, or a PDF rendition from document generation."""
    if version.blob.mime == PDF_MIME:
        return blob_read(version.blob_id)
    try:
        from ratusha.registry.generation.context import context_from_draft
        from ratusha.registry.generation.render import render_pdf
    except ImportError:
        render_pdf = None
    if render_pdf is not None and draft is not None:
        try:
            return render_pdf(context_from_draft(draft))
        except Exception as exc:  # noqa: BLE001 - any rendering failure becomes a clear refusal
            raise ApplicationError(_("Не вдалося підготувати PDF-версію документа для підпису: %(why)s")
                                   % {"why": str(exc)[:200]}, code="no_pdf", field="passphrase") from exc
    raise ApplicationError(_("Поточна версія проєкту — не PDF. Завантажте PDF-версію документа й підпишіть її."),
                           code="no_pdf", field="passphrase")


def _signing_errors(exc: Exception) -> ApplicationError:
    eng = engine()
    if isinstance(exc, eng.SigningServiceError):
        return ApplicationError(exc.message, code=exc.code, field="passphrase")
    if isinstance(exc, ApplicationError):
        return ApplicationError(exc.message, code=exc.code, field=exc.field or "passphrase")
    return ApplicationError(_("Не вдалося створити підпис: %(why)s") % {"why": str(exc)[:200]},
                            code="signing_failed", field="passphrase")


def pades_bytes(*, pdf: bytes, key: Any, credential: SigningCredential, signer: Any, code: str,
                signed_at: dt.datetime, level: Any = None, reason: str = "", placement: Any = None) -> bytes:
    """``placement``: where the stamp goes (an ``engine.Placement``; e.g. the area a generated document
    keeps for it); None lets the engine find room that covers no text."""
    eng = engine()
    level = level or signing_level()
    stamp = stamp_for(credential=credential, signer=signer, signed_at=signed_at, code=code)
    try:
        return eng.pades_sign(pdf, key=key, level=level, services=signing_services(level=level), stamp=stamp,
                              field_name=f"Signature-{code}", reason=reason,
                              location=credential.subject_organisation or "", placement=placement)
    except Exception as exc:  # noqa: BLE001 - translated below; never a 500
        raise _signing_errors(exc) from exc


def record_create(*, actor: Any, kind: str, document: Any, document_file: Any, credential: SigningCredential,
                  blob: Blob, name: str, level: str, signed_at: dt.datetime, code: str,
                  content_blob: Blob | None = None, approval_signature: Any = None) -> SignatureRecord:
    """Keep a signature with the card (inside the caller's transaction, which writes its audit event)."""
    record = SignatureRecord.objects.create(
        kind=kind, document=document, document_file=document_file, credential=credential, signer=actor,
        blob=blob, content_blob=content_blob, name=name[:255], level=str(level), signed_at=signed_at, code=code,
        approval_signature=approval_signature)
    audit_log(actor=actor, action="signatures.record", obj=document, params={
        "record": str(record.pk), "kind": kind, "code": code, "serial": credential.serial, "level": str(level),
        "sha256": blob.pk, "file": str(document_file.pk) if document_file else None})
    return record


def record_for_approval(*, signature: Any, document: Any) -> SignatureRecord | None:
    """Called after an approval's registration (inside its transaction): keep the PAdES record."""
    details = signature.details or {}
    if details.get("code") is None or signature.signed_blob_id is None:
        return None
    credential = SigningCredential.objects.get(pk=details["credential"])
    file = document.files.filter(blob_id=signature.signed_blob_id, is_current=True).first()
    return record_create(actor=signature.signer, kind=RecordKind.PADES, document=document, document_file=file,
                         credential=credential, blob=signature.signed_blob,
                         name=details.get("signed_name") or (file.name if file else ""), level=details["level"],
                         signed_at=dt.datetime.fromisoformat(details["signed_at"]), code=details["code"],
                         approval_signature=signature)


# --- co-signing on the card -------------------------------------------------------------------------


def _require_credential_use(actor: Any, credential: SigningCredential, document: Any) -> None:
    if credential.kind == CredentialKind.PERSONAL:
        if credential.owner_id != actor.pk:
            raise PermissionDeniedError(_("Підписувати можна лише власним ключем."))
        return
    if credential.organisation_id != document.organisation_id:
        raise PermissionDeniedError(_("Печатка належить іншій організації."))
    if not credential.seal_users.filter(pk=actor.pk).exists():
        raise PermissionDeniedError(_("Вам не надано права накладати цю печатку."))


def _locked_current_file(document: Any, file: Any) -> Any:
    from ratusha.registry.models import Document, DocumentFile

    locked_doc = Document.objects.select_for_update().get(pk=document.pk)
    if locked_doc.is_cancelled:
        raise ApplicationError(_("Реєстрацію документа скасовано: підписувати його не можна."),
                               code="document_cancelled")
    current = (DocumentFile.objects.select_for_update().filter(document=locked_doc, key=file.key, is_current=True)
               .order_by("-version").first())
    return locked_doc, current


def document_pades_cosign(*, actor: Any, document: Any, file: Any, credential: SigningCredential,
                          passphrase: str) -> SignatureRecord:
    """Add a signature (co-signer or the organisation's seal) to the card's signed PDF, incrementally.

    The signed PDF becomes the file's next version; earlier signatures stay valid inside it.
    """
    _require_credential_use(actor, credential, document)
    if file.blob.mime != PDF_MIME:
        raise ApplicationError(_("Підписати підписом у PDF можна лише файл PDF."), code="not_pdf")
    key = credential_unlock(credential=credential, passphrase=passphrase)
    source_sha = file.blob_id
    pdf = blob_read(source_sha)
    code, signed_at, level = new_code(), timezone.now(), signing_level()
    signed = pades_bytes(pdf=pdf, key=key, credential=credential, signer=actor, code=code, signed_at=signed_at,
                         level=level, reason=_("Печатка") if credential.kind == CredentialKind.SEAL else "")
    blob = blob_put(signed, mime=PDF_MIME)
    from ratusha.registry.services.files import create_file, file_params

    with transaction.atomic():
        locked_doc, current = _locked_current_file(document, file)
        if current is None or current.blob_id != source_sha:
            raise ApplicationError(_("Файл щойно змінився (його підписав хтось інший). Відкрийте картку ще раз і "
                                     "підпишіть нову версію."), code="stale_version", field="passphrase")
        current.is_current = False
        current.save(update_fields=["is_current", "updated_at"])
        new = create_file(actor=actor, document=locked_doc, blob=blob, name=current.name,
                          comment=(_("Додано підпис: %(name)s") % {"name": credential.subject_name})[:300],
                          key=current.key, version=current.version + 1)
        audit_log(actor=actor, action="document.file_version", obj=locked_doc,
                  params=file_params(new) | {"previous": str(current.pk), "previous_sha256": current.blob_id,
                                             "via": "signatures"})
        return record_create(actor=actor, kind=RecordKind.PADES, document=locked_doc, document_file=new,
                             credential=credential, blob=blob, name=new.name, level=level, signed_at=signed_at,
                             code=code)


def document_file_cades_sign(*, actor: Any, document: Any, file: Any, credential: SigningCredential,
                             passphrase: str) -> SignatureRecord:
    """A detached CAdES signature (.p7s) of any file of the card, kept next to it."""
    _require_credential_use(actor, credential, document)
    key = credential_unlock(credential=credential, passphrase=passphrase)
    data = blob_read(file.blob_id)
    eng = engine()
    level = eng.SignatureLevel.B_T if signing_level() != eng.SignatureLevel.B_B else eng.SignatureLevel.B_B
    try:
        p7s = eng.cades_sign_detached(data, key=key, services=signing_services(level=level), level=level)
    except Exception as exc:  # noqa: BLE001
        raise _signing_errors(exc) from exc
    blob = blob_put(p7s, mime=P7S_MIME)
    with transaction.atomic():
        locked_doc, _current = _locked_current_file(document, file)
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    return record_create(actor=actor, kind=RecordKind.CADES, document=locked_doc, document_file=file,
                                         credential=credential, blob=blob, content_blob=file.blob,
                                         name=f"{file.name}.p7s", level=level, signed_at=timezone.now(),
                                         code=new_code())
            except IntegrityError:  # the same code drawn twice at once: draw again
                continue
    raise ApplicationError(_("Не вдалося зберегти підпис. Спробуйте ще раз."), code="retry")


def document_asice(*, actor: Any, document: Any, credential: SigningCredential, passphrase: str) -> tuple[str, bytes]:
    """The card's current files in an ASiC-E container signed now (CAdES over the container's manifest).

    Nothing is stored but the audit event: the container is made again whenever it is needed.
    """
    from ratusha.registry.selectors import document_files

    _require_credential_use(actor, credential, document)
    files = document_files(document=document)
    if not files:
        raise ApplicationError(_("У картці немає файлів."), code="no_files")
    key = credential_unlock(credential=credential, passphrase=passphrase)
    payload: list[tuple[str, bytes]] = []
    used: set[str] = set()
    for f in files:
        stem, dot, ext = f.name.rpartition(".")
        name, n = f.name, 2
        while name in used:
            name = f"{stem} ({n}){dot}{ext}" if stem else f"{ext} ({n})"
            n += 1
        used.add(name)
        payload.append((name, blob_read(f.blob_id)))
    eng = engine()
    level = eng.SignatureLevel.B_B if signing_level() == eng.SignatureLevel.B_B else eng.SignatureLevel.B_T
    try:
        data = eng.asice_build(payload, sign_with=[key], services=signing_services(level=level), level=level)
    except Exception as exc:  # noqa: BLE001
        raise _signing_errors(exc) from exc
    with transaction.atomic():
        audit_log(actor=actor, action="signatures.asice_export", obj=document, params={
            "serial": credential.serial, "files": [name for name, _data in payload], "level": str(level)})
    return f"{document.reg_index.replace('/', '-')}.asice", data


# --- verification -----------------------------------------------------------------------------------


def verification_services() -> Any:
    from ratusha.signatures.selectors import trust_roots

    return engine().Services(tsa_url=None, trust_roots=trust_roots(),
                             allow_fetching=getattr(settings, "SIGNATURES_ALLOW_FETCHING", True))


def verify_bytes(data: bytes, *, content: bytes | None = None, filename: str = "") -> Any:
    return engine().verify(data, content=content, filename=filename, services=verification_services())


def verify_record(record: SignatureRecord) -> Any:
    """The report of a kept signature; for a PDF, of the card's current version of that file (later
    co-signers and seals are in it too, earlier signatures stay verifiable inside it)."""
    if record.kind == RecordKind.CADES:
        content = blob_read(record.content_blob_id) if record.content_blob_id else None
        return verify_bytes(blob_read(record.blob_id), content=content, filename=record.name)
    blob_id = record.blob_id
    if record.document_file_id is not None:
        from ratusha.registry.models import DocumentFile

        current = (DocumentFile.objects.filter(document_id=record.document_id, key=record.document_file.key,
                                               is_current=True, blob__mime=PDF_MIME)
                   .values_list("blob_id", flat=True).first())
        blob_id = current or blob_id
    return verify_bytes(blob_read(blob_id), filename=record.name)


def credentials_usable_for(*, user: Any, document: Any) -> Sequence[SigningCredential]:
    from ratusha.signatures.selectors import active_personal_credential, usable_seals

    own = active_personal_credential(user)
    seals = list(usable_seals(user=user).filter(organisation_id=document.organisation_id))
    return ([own] if own else []) + seals


__all__ = ["serial_hex"]
