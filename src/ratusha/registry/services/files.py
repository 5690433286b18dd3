"""Files of a card: stored content-addressed, versions added as new rows, never overwritten."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import IO, Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.blobs import staged_uploads_consume
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import Blob
from ratusha.core.storage import blob_path
from ratusha.orgs.permissions import can_register
from ratusha.registry.models import Document, DocumentFile
from ratusha.registry.services._common import queue_index
from ratusha.registry.services.uploads import FileInput, StagedFile, clean_file_name, store_upload

Content = bytes | IO[bytes] | StagedFile


def prepare_file(*, name: str, content: Content, comment: str = "") -> tuple[Blob, str, str]:
    """Check and store bytes (or resolve a staged blob) before the transaction: (blob, name, comment)."""
    comment = (comment or "").strip()[:300]
    if isinstance(content, StagedFile):
        blob = Blob.objects.filter(sha256=content.sha256).first()
        if blob is None or not blob_path(blob.sha256).exists():
            raise ApplicationError(_("Завантажений раніше файл не знайдено. Додайте файл ще раз."),
                                   code="upload_token", field="files")
        return blob, clean_file_name(name or content.name), comment or content.comment
    blob, clean = store_upload(name=name, content=content)
    return blob, clean, comment


def prepare_files(files: Iterable[FileInput | StagedFile]) -> list[tuple[Blob, str, str]]:
    prepared = []
    for item in files or ():
        if isinstance(item, StagedFile):
            prepared.append(prepare_file(name=item.name, content=item, comment=item.comment))
        elif isinstance(item, FileInput):
            prepared.append(prepare_file(name=item.name, content=item.content, comment=item.comment))
        else:
            raise TypeError(f"files: expected FileInput or StagedFile, got {type(item).__name__}")
    return prepared


def file_params(file: DocumentFile) -> dict[str, Any]:
    return {"file": str(file.pk), "key": str(file.key), "version": file.version, "name": file.name,
            "sha256": file.blob_id, "size": file.blob.size, "mime": file.blob.mime}


def create_file(*, actor: Any, document: Document, blob: Blob, name: str, comment: str,
                key: uuid.UUID | None = None, version: int = 1) -> DocumentFile:
    return DocumentFile.objects.create(document=document, key=key or uuid.uuid4(), version=version,
                                       name=name, blob=blob, uploaded_by=actor, comment=comment,
                                       is_current=True)


def _require_file_rights(actor: Any, document: Document) -> None:
    """Registrars/admins of the organisation, or the card's executor (also as acting deputy)."""
    from ratusha.registry.selectors import acting_user_ids, documents_visible_to

    if not getattr(actor, "is_authenticated", False):
        raise PermissionDeniedError(_("Додавати файли можуть лише діловоди та виконавці документа."))
    if can_register(actor, document.organisation_id):
        return
    if document.executor_id is not None and document.executor_id in acting_user_ids(actor) \
            and documents_visible_to(actor).filter(pk=document.pk).exists():
        return
    raise PermissionDeniedError(_("Додавати файли можуть лише діловоди та виконавці документа."))


def _require_open(document: Document) -> None:
    if document.is_cancelled:
        raise ApplicationError(_("Реєстрацію документа скасовано: змінювати його не можна."),
                               code="document_cancelled")


def document_file_add(*, actor: Any, document: Document, name: str, content: Content,
                      comment: str = "") -> DocumentFile:
    _require_file_rights(actor, document)
    blob, name, comment = prepare_file(name=name, content=content, comment=comment)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _require_open(locked)
        file = create_file(actor=actor, document=locked, blob=blob, name=name, comment=comment)
        if isinstance(content, StagedFile):
            staged_uploads_consume([content.staged_id])
        audit_log(actor=actor, action="document.file_add", obj=locked, params=file_params(file))
        queue_index(locked.pk)
    return file


def document_file_new_version(*, actor: Any, file: DocumentFile, name: str, content: Content,
                              comment: str = "") -> DocumentFile:
    """Add version N+1 of the logical file ``file.key``; earlier versions stay, marked not current."""
    document = file.document
    _require_file_rights(actor, document)
    blob, name, comment = prepare_file(name=name or file.name, content=content, comment=comment)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _require_open(locked)
        versions = DocumentFile.objects.select_for_update().filter(key=file.key, document=locked)
        previous = versions.filter(is_current=True).order_by("-version").first() or file
        last = versions.aggregate(m=Max("version"))["m"] or file.version
        versions.filter(is_current=True).update(is_current=False)
        new = create_file(actor=actor, document=locked, blob=blob, name=name, comment=comment,
                          key=file.key, version=last + 1)
        if isinstance(content, StagedFile):
            staged_uploads_consume([content.staged_id])
        params = file_params(new) | {"previous": str(previous.pk), "previous_sha256": previous.blob_id}
        audit_log(actor=actor, action="document.file_version", obj=locked, params=params)
        queue_index(locked.pk)
    return new
