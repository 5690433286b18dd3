import hashlib
import io
import os
import stat

import pytest

from ratusha.core.errors import IntegrityCheckError
from ratusha.core.models import Blob
from ratusha.core.storage import blob_path, blob_put, blob_read, blob_verify

DATA = "Рішення виконавчого комітету".encode() * 100


@pytest.fixture(autouse=True)
def _own_blob_dir(settings, tmp_path):
    settings.BLOB_DIR = tmp_path / "blobs"


def test_put_stores_under_the_sha256(db):
    blob = blob_put(DATA, mime="text/plain")
    sha = hashlib.sha256(DATA).hexdigest()
    assert (blob.sha256, blob.size, blob.mime) == (sha, len(DATA), "text/plain")
    path = blob_path(sha)
    assert path.read_bytes() == DATA
    assert path.parent.name == sha[2:4] and path.parent.parent.name == sha[:2]
    assert not stat.S_IMODE(path.stat().st_mode) & 0o222  # read-only on disk


def test_same_bytes_are_stored_once(db):
    a = blob_put(DATA, mime="text/plain")
    b = blob_put(io.BytesIO(DATA), mime="text/plain")
    assert a.pk == b.pk
    assert Blob.objects.count() == 1
    leftovers = [p for p in blob_path(a.sha256).parents[2].iterdir() if p.name.startswith(".upload-")]
    assert leftovers == []


def test_stream_is_read_from_the_start_in_chunks(db, monkeypatch):
    monkeypatch.setattr("ratusha.core.storage.CHUNK", 7)
    stream = io.BytesIO(DATA)
    stream.read(5)
    blob = blob_put(stream, mime="text/plain")
    assert blob_read(blob.sha256) == DATA


def test_read_and_verify_an_intact_blob(db):
    blob = blob_put(DATA, mime="text/plain")
    assert blob_read(blob.sha256) == DATA
    assert blob_verify(blob.sha256) is True


def test_tampered_blob_is_detected(db):
    blob = blob_put(DATA, mime="text/plain")
    path = blob_path(blob.sha256)
    os.chmod(path, 0o640)
    path.write_bytes(DATA[:-1] + b"!")
    with pytest.raises(IntegrityCheckError) as exc:
        blob_read(blob.sha256)
    assert exc.value.code == "integrity_error"
    assert blob_verify(blob.sha256) is False


def test_missing_blob(db):
    blob = blob_put(DATA, mime="text/plain")
    path = blob_path(blob.sha256)
    os.chmod(path, 0o640)
    path.unlink()
    assert blob_verify(blob.sha256) is False
    with pytest.raises((FileNotFoundError, IntegrityCheckError)):
        blob_read(blob.sha256)
