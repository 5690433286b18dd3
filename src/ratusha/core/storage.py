"""Content-addressed file storage: bytes are kept once under their SHA-256 and re-checked on read."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from ratusha.core.errors import IntegrityCheckError
from ratusha.core.models import Blob

CHUNK = 1024 * 1024


def blob_path(sha256: str) -> Path:
    return Path(settings.BLOB_DIR) / sha256[:2] / sha256[2:4] / sha256


def blob_put(stream: IO[bytes] | bytes, *, mime: str) -> Blob:
    """Store bytes (atomically: temp file + rename) and return the Blob row (created once)."""
    base = Path(settings.BLOB_DIR)
    base.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=base, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(stream, bytes):
                chunks = [stream]
            else:
                if hasattr(stream, "seek"):
                    stream.seek(0)
                chunks = iter(lambda: stream.read(CHUNK), b"")
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        # The row before the file: the sweep of staged uploads (core/blobs.py) deletes a file only
        # when its row is gone, so a file looked at here is not taken away after this check.
        blob, _created = Blob.objects.get_or_create(sha256=sha, defaults={"size": size, "mime": mime})
        target = blob_path(sha)
        if target.exists():
            os.unlink(tmp)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
            target.chmod(0o440)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return blob


def blob_read(sha256: str) -> bytes:
    """All bytes of a blob, after checking they still hash to their name."""
    try:
        data = blob_path(sha256).read_bytes()
    except FileNotFoundError as exc:
        raise IntegrityCheckError(_("Файл відсутній у сховищі. Зверніться до адміністратора.")) from exc
    if hashlib.sha256(data).hexdigest() != sha256:
        raise IntegrityCheckError(_("Файл пошкоджено: його вміст не збігається з контрольною сумою SHA-256."))
    return data


def blob_verify(sha256: str) -> bool:
    path = blob_path(sha256)
    if not path.exists():
        return False
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest() == sha256
