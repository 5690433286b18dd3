"""Base model, the tamper-evident audit log and content-addressed blobs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every entity: a UUID key and creation/update times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("створено"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One row of the append-only audit log.

    ``seq`` is the gapless position in the chain; ``hash`` is HMAC-SHA256 over the previous row's
    hash and this row's canonical content (see ``core/audit.py``). Rows are never updated or deleted
    by the application; ``ratusha audit-verify`` finds any change made behind its back.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(_("час"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+", db_constraint=False)
    actor_repr = models.CharField(_("хто"), max_length=200, blank=True)
    action = models.CharField(_("дія"), max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("об'єкт"), max_length=300, blank=True)
    params = models.JSONField(_("параметри"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("подія журналу аудиту")
        verbose_name_plural = _("журнал аудиту")
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"


class AuditHead(models.Model):
    """Single row holding the chain's tip; locked while a new event is appended."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)


class Blob(models.Model):
    """Bytes stored once by their SHA-256 (``core/storage.py`` keeps them on disk)."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()
    mime = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sha256


class LoginFailure(models.Model):
    """Failed login attempts, counted per username and per address for throttling."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)


class RateCounter(models.Model):
    """One fixed window of a rate limit (``core/ratelimit.py``), shared by every web worker."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.count}"


class KnownLoginAddress(models.Model):
    """An address a user has signed in from: while their name is under attack, it still lets them in."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ip = models.GenericIPAddressField()
    last_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "ip"], name="known_login_address_once")]


class FormSubmission(models.Model):
    """One submission of a create form (its one-time token) and where its result lives.

    ``result_url`` is empty while the first request is still working; a repeated POST with the same
    token is answered with a redirect to it instead of creating a second object.
    """

    token = models.CharField(max_length=64)
    user_key = models.CharField(max_length=64)
    path = models.CharField(max_length=500)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "user_key"], name="form_submission_once")]


class ParkedSubmission(models.Model):
    """A POST that arrived after the session ended, kept until the person signs in again.

    ``key_hash`` is the SHA-256 of the random key in the browser's cookie: only that browser can
    take it back. ``fields`` holds the posted values (never passwords or the CSRF token), ``files``
    the uploaded files as blobs: ``[{"field", "name", "sha256", "mime", "size"}]``.
    """

    key_hash = models.CharField(max_length=64, unique=True)
    path = models.CharField(max_length=500)
    fields = models.JSONField(default=dict)
    files = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)



class StagedUpload(models.Model):
    """A file stored for a form that is not sent yet (``registry.services.uploads.upload_stage``).

    ``consumed_at`` is set when a record takes the file; rows older than ``UPLOAD_STAGE_KEEP_HOURS``
    go, with their blob when nothing else uses it (``core/blobs.py``). Anonymous uploads (``public``)
    keep a keyed hash of the address, never the address itself, for their rate limit and quota.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=255)
    size = models.BigIntegerField()
    public = models.BooleanField(default=False)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    consumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["public", "consumed_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.blob_id})"
