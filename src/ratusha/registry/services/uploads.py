"""Uploads: judged by their bytes, not their name (DESIGN.md rule 7), and staged so nothing is lost.

``upload_check`` detects the type from the content; ``upload_stage`` stores the blob at once and
returns a signed token a re-rendered form keeps in a hidden field; ``staged_from_token`` gets the
staged file back for the same user only.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from ratusha.core.errors import ApplicationError
from ratusha.core.models import Blob
from ratusha.core.storage import blob_path, blob_put
from ratusha.registry.constants import ALLOWED_UPLOAD_MIME

STAGE_SALT = "ratusha.registry.upload-stage"
STAGE_MAX_AGE = 60 * 60 * 24  # a form may stay open for a working day

MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME_ODT = "application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class FileInput:
    """A file handed to a service: its name as uploaded and its bytes (or a binary file object)."""

    name: str
    content: bytes | IO[bytes]
    comment: str = ""


@dataclass(frozen=True)
class StagedFile:
    """A file already stored as a blob (by ``upload_stage``), referenced by its SHA-256."""

    sha256: str
    name: str
    mime: str = ""
    size: int = 0
    token: str = ""
    comment: str = ""


def clean_file_name(name: str) -> str:
    """The last path component, without control characters, at most 255 characters."""
    base = os.path.basename(str(name or "").replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable())
    if not base or base in {".", ".."}:
        base = "file"
    if len(base) > 255:
        stem, ext = os.path.splitext(base)
        base = stem[: 255 - len(ext[:20])] + ext[:20]
    return base


def _limit_bytes() -> int:
    return int(settings.MAX_UPLOAD_MB) * 1024 * 1024


def _too_big(name: str) -> ApplicationError:
    return ApplicationError(
        _("Файл «%(name)s» завеликий: найбільший дозволений розмір — %(limit)s МБ.")
        % {"name": name, "limit": settings.MAX_UPLOAD_MB},
        code="upload_too_large", field="files")


def read_content(name: str, content: bytes | IO[bytes] | Any) -> bytes:
    """All bytes of an upload, refusing to read past the size limit."""
    limit = _limit_bytes()
    if isinstance(content, (bytes, bytearray, memoryview)):
        data = bytes(content)
    else:
        size = getattr(content, "size", None)
        if isinstance(size, int) and size > limit:
            raise _too_big(name)
        if hasattr(content, "seek"):
            content.seek(0)
        data = content.read(limit + 1)
        if isinstance(data, str):
            data = data.encode()
    if len(data) > limit:
        raise _too_big(name)
    return data


def allowed_types_label() -> str:
    return ", ".join(str(label) for label in ALLOWED_UPLOAD_MIME.values())


def _zip_mime(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return declared or None
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return MIME_DOCX
                if any(n.startswith("xl/") for n in names):
                    return MIME_XLSX
                return "application/vnd.openxmlformats-officedocument"
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None
    return "application/zip"


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detect_mime(data: bytes) -> str | None:
    """The MIME type the bytes really are (None when unknown)."""
    if data[:4] == b"PK\x03\x04":
        return _zip_mime(data)
    kind = filetype.guess(data)
    if kind is not None:
        return kind.mime
    if _is_text(data):
        return "text/plain"
    return None


def upload_check(*, name: str, content: bytes | IO[bytes]) -> str:
    """Return the MIME type detected from the bytes, or raise ApplicationError (field ``files``)."""
    name = clean_file_name(name)
    data = read_content(name, content)
    return _check_bytes(name, data)


def _check_bytes(name: str, data: bytes) -> str:
    if not data:
        raise ApplicationError(_("Файл «%(name)s» порожній.") % {"name": name},
                               code="upload_empty", field="files")
    if len(data) > _limit_bytes():
        raise _too_big(name)
    mime = detect_mime(data)
    if mime not in ALLOWED_UPLOAD_MIME:
        raise ApplicationError(
            _("Файл «%(name)s» має недозволений тип. Дозволено: %(allowed)s.")
            % {"name": name, "allowed": allowed_types_label()},
            code="upload_type", field="files")
    return mime


def store_upload(*, name: str, content: bytes | IO[bytes]) -> tuple[Blob, str]:
    """Check and store an upload; returns (blob, clean name)."""
    name = clean_file_name(name)
    data = read_content(name, content)
    mime = _check_bytes(name, data)
    return blob_put(data, mime=mime), name


def upload_stage(*, actor: Any, name: str, content: bytes | IO[bytes]) -> StagedFile:
    """Check and store an upload now; the returned ``token`` brings it back on the next request.

    Not audited: a staged blob is not part of any record until a service attaches it (and that
    service writes the audit event).
    """
    blob, name = store_upload(name=name, content=content)
    payload = {"s": blob.sha256, "n": name, "u": str(getattr(actor, "pk", "") or "")}
    token = signing.dumps(payload, salt=STAGE_SALT, compress=True)
    return StagedFile(sha256=blob.sha256, name=name, mime=blob.mime, size=blob.size, token=token)


def staged_from_token(token: str, user: Any, *, max_age: int = STAGE_MAX_AGE) -> StagedFile:
    """The staged file behind a token made by ``upload_stage`` for this same user."""
    lost = ApplicationError(_("Завантажений раніше файл не знайдено або строк його зберігання минув. "
                              "Додайте файл ще раз."), code="upload_token", field="files")
    try:
        payload = signing.loads(str(token or ""), salt=STAGE_SALT, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        raise lost from None
    if not isinstance(payload, dict) or payload.get("u") != str(getattr(user, "pk", "") or "") \
            or not payload.get("u"):
        raise lost
    blob = Blob.objects.filter(sha256=payload.get("s", "")).first()
    if blob is None or not blob_path(blob.sha256).exists():
        raise lost
    return StagedFile(sha256=blob.sha256, name=clean_file_name(payload.get("n", "")), mime=blob.mime,
                      size=blob.size, token=str(token))
