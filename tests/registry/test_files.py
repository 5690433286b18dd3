import os

import pytest

from ratusha.core.errors import ApplicationError, IntegrityCheckError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from ratusha.core.storage import blob_path, blob_read
from ratusha.registry.models import DocumentFile
from ratusha.registry.services import (
    StagedFile,
    document_cancel,
    document_file_add,
    document_file_new_version,
    upload_stage,
)
from tests.registry.conftest import PNG_1PX, file_input, make_pdf


def test_file_add_stores_content_addressed_and_audits(register, registrar):
    doc = register()
    data = make_pdf("додаток")
    file = document_file_add(actor=registrar, document=doc, name="додаток.pdf", content=data, comment="Додаток 1")
    assert blob_read(file.blob_id) == data
    assert (file.blob.mime, file.blob.size, file.version, file.is_current) == ("application/pdf", len(data), 1, True)
    event = AuditEvent.objects.get(action="document.file_add")
    assert event.object_id == str(doc.pk)
    assert event.params["sha256"] == file.blob_id
    assert event.params["name"] == "додаток.pdf"


def test_same_bytes_are_stored_once(register, registrar):
    data = make_pdf("once")
    doc = register(files=[file_input("a.pdf", data), file_input("b.pdf", data)])
    blobs = set(DocumentFile.objects.filter(document=doc).values_list("blob_id", flat=True))
    assert len(blobs) == 1


def test_new_version_never_overwrites(register, registrar):
    v1_bytes, v2_bytes = make_pdf("v1"), make_pdf("v2")
    doc = register(files=[file_input("наказ.pdf", v1_bytes)])
    v1 = doc.files.get()
    v2 = document_file_new_version(actor=registrar, file=v1, name="наказ (ред. 2).pdf", content=v2_bytes,
                                   comment="Виправлено")
    v1.refresh_from_db()
    assert (v2.key, v2.version, v2.is_current) == (v1.key, 2, True)
    assert v1.is_current is False
    assert v1.name == "наказ.pdf"
    assert blob_read(v1.blob_id) == v1_bytes
    assert blob_read(v2.blob_id) == v2_bytes
    # A version made from an old row still continues the numbering.
    v3 = document_file_new_version(actor=registrar, file=v1, name="", content=PNG_1PX)
    assert (v3.version, v3.name) == (3, "наказ.pdf")
    assert list(DocumentFile.objects.filter(key=v1.key).order_by("version").values_list("version", "is_current")) \
        == [(1, False), (2, False), (3, True)]
    event = AuditEvent.objects.filter(action="document.file_version").latest("seq")
    assert event.params["previous"] == str(v2.pk)
    assert event.params["version"] == 3


def test_versions_and_files_are_refused_on_cancelled_cards(register, registrar):
    doc = register(files=[file_input()])
    file = doc.files.get()
    document_cancel(actor=registrar, document=doc, reason="Помилка")
    with pytest.raises(ApplicationError):
        document_file_add(actor=registrar, document=doc, name="x.pdf", content=make_pdf("x"))
    with pytest.raises(ApplicationError):
        document_file_new_version(actor=registrar, file=file, name="x.pdf", content=make_pdf("x"))
    assert DocumentFile.objects.count() == 1


def test_bad_upload_adds_nothing(register, registrar):
    doc = register()
    with pytest.raises(ApplicationError) as exc:
        document_file_add(actor=registrar, document=doc, name="a.pdf", content=b"MZ\x00\x00" * 10)
    assert exc.value.field == "files"
    assert not DocumentFile.objects.exists()
    assert not AuditEvent.objects.filter(action="document.file_add").exists()


def test_staged_file_can_be_added(register, registrar):
    doc = register()
    staged = upload_stage(actor=registrar, name="скан.png", content=PNG_1PX)
    file = document_file_add(actor=registrar, document=doc, name="", content=staged)
    assert (file.name, file.blob_id) == ("скан.png", staged.sha256)
    with pytest.raises(ApplicationError):
        document_file_add(actor=registrar, document=doc, name="x", content=StagedFile(sha256="0" * 64, name="x"))


def test_executor_of_another_card_may_not_add_files(register, registrar, executor, outsider):
    doc = register()
    with pytest.raises(PermissionDeniedError):
        document_file_add(actor=executor, document=doc, name="a.pdf", content=make_pdf())
    with pytest.raises(PermissionDeniedError):
        document_file_add(actor=outsider, document=doc, name="a.pdf", content=make_pdf())


def test_tampered_file_is_detected_on_read(register):
    doc = register(files=[file_input(content=make_pdf("original"))])
    file = doc.files.get()
    path = blob_path(file.blob_id)
    os.chmod(path, 0o640)
    path.write_bytes(path.read_bytes().replace(b"original", b"forged!!"))
    with pytest.raises(IntegrityCheckError) as exc:
        blob_read(file.blob_id)
    assert "SHA-256" in exc.value.message
