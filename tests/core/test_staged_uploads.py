"""Staged uploads: recorded, marked used, and swept with their files when nothing uses them."""

import datetime as dt

import pytest
from django.utils import timezone

from ratusha.appeals.models import AppealAttachment
from ratusha.core.blobs import blob_is_referenced, blob_reference_lookups, staged_bytes, staged_uploads_sweep
from ratusha.core.models import AuditEvent, Blob, StagedUpload
from ratusha.core.storage import blob_path
from ratusha.registry.models import DocumentFile
from ratusha.registry.services import FileInput, document_file_add, document_register, upload_stage
from ratusha.workflow.approvals.models import Route, RouteTask
from tests.registry.conftest import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_blob_dir(settings, tmp_path):
    settings.BLOB_DIR = tmp_path / "blobs"
    settings.UPLOAD_STAGE_KEEP_HOURS = 48


def _age(staged, hours):
    StagedUpload.objects.filter(pk=staged.staged_id).update(
        created_at=timezone.now() - dt.timedelta(hours=hours)
    )


def _register(registrar, journal, **kwargs):
    return document_register(
        actor=registrar, journal=journal, kind="letter", summary="Про ремонт дороги", **kwargs
    )


def test_staging_records_size_address_hash_and_no_address(registrar):
    staged = upload_stage(
        actor=registrar, name="скан.pdf", content=make_pdf("a"), ip="203.0.113.7", public=True
    )
    row = StagedUpload.objects.get(pk=staged.staged_id)
    assert row.blob_id == staged.sha256 and row.size == staged.size and row.public and row.consumed_at is None
    assert len(row.ip_hash) == 64 and "203.0.113.7" not in row.ip_hash
    assert staged_bytes(ip="203.0.113.7") == staged.size == staged_bytes()
    assert staged_bytes(ip="203.0.113.8") == 0


def test_sweep_deletes_an_old_unused_blob_and_keeps_young_and_used_ones(
    registrar, incoming_journal, django_capture_on_commit_callbacks
):
    old = upload_stage(
        actor=registrar, name="old.pdf", content=make_pdf("old"), ip="203.0.113.7", public=True
    )
    young = upload_stage(
        actor=registrar, name="young.pdf", content=make_pdf("young"), ip="203.0.113.7", public=True
    )
    used = upload_stage(actor=registrar, name="used.pdf", content=make_pdf("used"))
    doc = _register(registrar, incoming_journal, files=[used])
    assert StagedUpload.objects.get(pk=used.staged_id).consumed_at is not None
    _age(old, 49)
    _age(young, 47)
    _age(used, 49)

    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row's deletion commits
        result = staged_uploads_sweep()

    assert result == {"staged": 2, "blobs": 1, "bytes": old.size}
    assert not Blob.objects.filter(sha256=old.sha256).exists() and not blob_path(old.sha256).exists()
    assert not StagedUpload.objects.filter(pk__in=[old.staged_id, used.staged_id]).exists()
    assert StagedUpload.objects.filter(pk=young.staged_id).exists() and blob_path(young.sha256).exists()
    assert blob_path(used.sha256).exists() and doc.files.get().blob_id == used.sha256
    assert AuditEvent.objects.filter(action="upload.staged_sweep").count() == 1
    assert staged_uploads_sweep() == {"staged": 0, "blobs": 0, "bytes": 0}  # nothing more to do


def test_blob_shared_with_a_registered_document_is_never_deleted(
    registrar, incoming_journal, django_capture_on_commit_callbacks
):
    data = make_pdf("shared")
    doc = _register(registrar, incoming_journal, files=[FileInput(name="лист.pdf", content=data)])
    staged = upload_stage(actor=registrar, name="копія.pdf", content=data, ip="203.0.113.9", public=True)
    assert staged.sha256 == doc.files.get().blob_id
    _age(staged, 500)
    with django_capture_on_commit_callbacks(execute=True):
        assert staged_uploads_sweep()["blobs"] == 0
    assert Blob.objects.filter(sha256=staged.sha256).exists() and blob_path(staged.sha256).exists()
    assert not StagedUpload.objects.exists()


def test_a_younger_staging_of_the_same_bytes_keeps_the_blob(registrar):
    data = make_pdf("twice")
    first = upload_stage(actor=registrar, name="a.pdf", content=data, ip="203.0.113.7", public=True)
    second = upload_stage(actor=registrar, name="b.pdf", content=data, ip="203.0.113.8", public=True)
    _age(first, 49)
    assert staged_uploads_sweep() == {"staged": 1, "blobs": 0, "bytes": 0}
    assert blob_path(second.sha256).exists()


def test_a_card_file_added_from_a_staged_upload_marks_it_used(registrar, incoming_journal):
    doc = _register(registrar, incoming_journal)
    staged = upload_stage(actor=registrar, name="додаток.pdf", content=make_pdf("add"))
    document_file_add(actor=registrar, document=doc, name="", content=staged)
    assert StagedUpload.objects.get(pk=staged.staged_id).consumed_at is not None


def test_references_are_found_through_every_blob_key_and_sha256_field(registrar, incoming_journal):
    lookups = set(blob_reference_lookups())
    assert (DocumentFile, "blob") in lookups and (AppealAttachment, "blob") in lookups
    assert (Route, "sha256") in lookups and (RouteTask, "sha256") in lookups
    assert all(model is not StagedUpload for model, _f in lookups)
    staged = upload_stage(actor=registrar, name="x.pdf", content=make_pdf("x"))
    assert not blob_is_referenced(staged.sha256)
    _register(registrar, incoming_journal, files=[staged])
    assert blob_is_referenced(staged.sha256)
