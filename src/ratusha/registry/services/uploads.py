"""Uploads: judged by their bytes, not their name (docs/architecture.md rule 7), and staged so nothing is lost.

``upload_check`` detects the type from the content (ZIP-based files through ``core.safezip``: a zip
bomb is refused unread); ``upload_stage`` stores the blob at once, records it as a ``StagedUpload`` and
returns a signed token a re-rendered form keeps in a hidden field; ``staged_from_token`` gets the
staged file back for the same user only.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from ratusha.core.blobs import ip_hash, staged_bytes
from ratusha.core.errors import ApplicationError
from ratusha.core.models import Blob, StagedUpload
from ratusha.core.ratelimit import rate_limit_hit
from ratusha.core.safezip import UnsafeArchive, zip_head, zip_open
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
    staged_id: str = ""  # the core.StagedUpload row (empty for files not staged by upload_stage)


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
    """The type an office ZIP declares; only the first bytes of ``mimetype`` are ever unpacked.

    ``UnsafeArchive`` (from ``zip_open``) when the declared sizes or packing ratio make it a zip bomb.
    """
    try:
        with zip_open(data) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = zip_head(archive, "mimetype", 100).decode("ascii", "replace").strip()
                return declared or None
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return MIME_DOCX
                if any(n.startswith("xl/") for n in names):
                    return MIME_XLSX
                return "application/vnd.openxmlformats-officedocument"
    except UnsafeArchive:
        raise
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
    """The MIME type the bytes really are (None when unknown); ``UnsafeArchive`` for a zip bomb."""
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
    try:
        mime = detect_mime(data)
    except UnsafeArchive:
        raise ApplicationError(
            _("Файл «%(name)s» не прийнято: це архів, який розпаковується в надто великий обсяг даних "
              "(можливо, пошкоджений або шкідливий). Збережіть документ звичайним способом і додайте ще раз.")
            % {"name": name}, code="upload_bomb", field="files") from None
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


def _stage_refused(message: str, code: str) -> ApplicationError:
    return ApplicationError(message, code=code, field="files")


def _check_public_stage(*, name: str, size: int, ip: str | None) -> None:
    """An anonymous upload stays within the address's rate limit and the staging quotas, or is refused."""
    rate = rate_limit_hit(scope="upload-stage", ip=ip, limit=int(settings.UPLOAD_STAGE_LIMIT),
                          window_minutes=int(settings.UPLOAD_STAGE_WINDOW_MINUTES))
    if not rate.allowed:
        raise _stage_refused(
            _("Файл «%(name)s» не збережено: з вашої адреси завантажено забагато файлів. "
              "Спробуйте додати його ще раз через %(minutes)s хв.") % {"name": name, "minutes": rate.retry_minutes},
            "upload_rate")
    per_ip = int(settings.UPLOAD_STAGE_IP_QUOTA_MB) * 1024 * 1024
    if staged_bytes(ip=ip) + size > per_ip:
        raise _stage_refused(
            _("Файл «%(name)s» не збережено: з вашої адреси вже завантажено файли, які ще не надіслано, на "
              "%(mb)s МБ — це найбільше, що можна зберігати. Надішліть форму з уже доданими файлами або "
              "спробуйте пізніше.") % {"name": name, "mb": settings.UPLOAD_STAGE_IP_QUOTA_MB},
            "upload_quota")
    if staged_bytes() + size > int(settings.UPLOAD_STAGE_QUOTA_MB) * 1024 * 1024:
        raise _stage_refused(
            _("Файл «%(name)s» не збережено: місце для тимчасових файлів зараз вичерпано. Спробуйте пізніше "
              "або надішліть форму без цього файлу.") % {"name": name},
            "upload_quota")


def upload_stage(*, actor: Any, name: str, content: bytes | IO[bytes], ip: str | None = None,
                 public: bool = False) -> StagedFile:
    """Check and store an upload now; the returned ``token`` brings it back on the next request.

    Recorded as a ``StagedUpload`` (swept with its blob when nothing uses it after
    ``UPLOAD_STAGE_KEEP_HOURS``). ``public``: an anonymous upload, counted against the rate limit and
    the quotas of its address ``ip`` and of all anonymous staging; refused before anything is stored.
    Not audited: a staged blob is not part of any record until a service attaches it (and that
    service writes the audit event).
    """
    name = clean_file_name(name)
    data = read_content(name, content)
    mime = _check_bytes(name, data)
    if public:
        _check_public_stage(name=name, size=len(data), ip=ip)
    blob = blob_put(data, mime=mime)
    row = StagedUpload.objects.create(blob=blob, name=name, size=blob.size, public=public,
                                      ip_hash=ip_hash(ip) if public else "")
    payload = {"s": blob.sha256, "n": name, "u": str(getattr(actor, "pk", "") or ""), "i": str(row.pk)}
    token = signing.dumps(payload, salt=STAGE_SALT, compress=True)
    return StagedFile(sha256=blob.sha256, name=name, mime=blob.mime, size=blob.size, token=token,
                      staged_id=str(row.pk))


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
    staged_id = str(payload.get("i") or "")
    if staged_id and not StagedUpload.objects.filter(pk=staged_id, blob_id=payload.get("s", "")).exists():
        raise lost  # swept
    blob = Blob.objects.filter(sha256=payload.get("s", "")).first()
    if blob is None or not blob_path(blob.sha256).exists():
        raise lost
    return StagedFile(sha256=blob.sha256, name=clean_file_name(payload.get("n", "")), mime=blob.mime,
                      size=blob.size, token=str(token), staged_id=staged_id)
