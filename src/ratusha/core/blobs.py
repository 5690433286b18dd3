"""Lifecycle of stored blobs: which records use one, and the sweep of staged uploads nobody sent.

``blob_is_referenced`` looks through every installed model — a foreign key to ``core.Blob`` or a
``sha256``/``*_sha256`` text field — so an app added later is covered without being named here (core
imports no higher app). ``staged_uploads_sweep`` deletes staged uploads older than
``UPLOAD_STAGE_KEEP_HOURS`` and a blob only when no record and no younger staged upload uses it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from collections.abc import Iterator
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone

from ratusha.core.audit import audit_log
from ratusha.core.models import Blob, ParkedSubmission, StagedUpload
from ratusha.core.storage import blob_path

logger = logging.getLogger(__name__)


def _may_name_blob(field: object) -> bool:
    if getattr(field, "is_relation", False):
        return getattr(field, "related_model", None) is Blob
    name = getattr(field, "name", "")
    return isinstance(field, models.CharField) and (name == "sha256" or name.endswith("_sha256"))


@cache
def _reference_lookups() -> tuple[tuple[type[models.Model], str], ...]:
    found: list[tuple[type[models.Model], str]] = []
    for model in apps.get_models():
        if model in (Blob, StagedUpload) or not model._meta.managed:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if field.auto_created and not field.concrete:
                continue  # reverse relations: the other side is its own model
            if _may_name_blob(field):
                found.append((model, field.name))
    return tuple(found)


def blob_reference_lookups() -> Iterator[tuple[type[models.Model], str]]:
    """(model, field) pairs that may name a blob: foreign keys to Blob and SHA-256 text fields."""
    yield from _reference_lookups()


def blob_is_referenced(sha256: str) -> bool:
    """Whether any record (a document's file, an appeal's attachment, a package, a signature…) uses it,
    or a form parked across a sign-in (``core/parking.py``, whose files are listed in JSON)."""
    return any(
        model._default_manager.filter(**{field: sha256}).exists() for model, field in _reference_lookups()
    ) or ParkedSubmission.objects.filter(files__icontains=sha256).exists()


def ip_hash(ip: str | None) -> str:
    """A keyed hash of a client address: enough to count by, useless to anyone without the secret key."""
    if not ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), f"staged-upload:{ip}".encode(), hashlib.sha256).hexdigest()


def staged_bytes(*, ip: str | None = None) -> int:
    """Bytes of anonymous staged uploads not taken by a record yet (from one address, or in all)."""
    rows = StagedUpload.objects.filter(public=True, consumed_at__isnull=True)
    if ip is not None:
        rows = rows.filter(ip_hash=ip_hash(ip))
    return int(rows.aggregate(total=Sum("size"))["total"] or 0)


def staged_uploads_consume(ids: list[str]) -> int:
    """Mark staged uploads as taken by a record (their bytes leave the anonymous quota)."""
    ids = [i for i in ids if i]
    if not ids:
        return 0
    return StagedUpload.objects.filter(pk__in=ids, consumed_at__isnull=True).update(
        consumed_at=timezone.now()
    )


def _unlink_if_gone(sha256: str) -> None:
    if not Blob.objects.filter(sha256=sha256).exists():  # stored again meanwhile: keep the file
        blob_path(sha256).unlink(missing_ok=True)


def staged_uploads_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete expired staged uploads, and their blobs when nothing uses them; returns the counts."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=int(settings.UPLOAD_STAGE_KEEP_HOURS))
    expired = StagedUpload.objects.filter(created_at__lt=cutoff)
    result = {"staged": 0, "blobs": 0, "bytes": 0}
    for sha256 in sorted(set(expired.values_list("blob_id", flat=True))):
        with transaction.atomic():
            blob = Blob.objects.select_for_update().filter(sha256=sha256).first()
            deleted, _detail = StagedUpload.objects.filter(blob_id=sha256, created_at__lt=cutoff).delete()
            result["staged"] += deleted
            if (
                blob is None
                or StagedUpload.objects.filter(blob_id=sha256).exists()
                or blob_is_referenced(sha256)
            ):
                continue
            result["blobs"] += 1
            result["bytes"] += blob.size
            blob.delete()
            transaction.on_commit(lambda sha256=sha256: _unlink_if_gone(sha256))
    if result["staged"]:
        with transaction.atomic():
            audit_log(
                actor=None,
                action="upload.staged_sweep",
                object_type="core.stagedupload",
                object_repr=f"{result['staged']} / {result['blobs']}",
                params=result,
            )
    return result
