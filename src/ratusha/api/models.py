"""API keys of organisations (with scopes) and the webhooks they notify."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusha.api.constants import WebhookEvent, WebhookState
from ratusha.core.models import BaseModel
from ratusha.orgs.models import Organisation


class ApiKey(BaseModel):
    """A key of one organisation's system. Only the SHA-256 of the secret is stored.

    Requests act as the key's service account (``user``): a technical user with the registrar role in
    the organisation, so every write goes through the same services, rights and audit as in the office.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(_("назва системи"), max_length=120)
    key_id = models.CharField(_("ідентифікатор ключа"), max_length=16, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    scopes = models.JSONField(_("дозволи"), default=list)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_key",
                                verbose_name=_("службовий користувач"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    last_used_at = models.DateTimeField(_("останнє використання"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("відкликано"), null=True, blank=True)

    class Meta:
        verbose_name = _("ключ API")
        verbose_name_plural = _("ключі API")
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_id})"


class Webhook(BaseModel):
    """An address of the organisation's system that gets signed (HMAC-SHA256) event notifications."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="webhooks")
    url = models.URLField(_("адреса"), max_length=500)
    secret = models.CharField(_("секрет підпису"), max_length=64)
    events = models.JSONField(_("події"), default=list)
    is_active = models.BooleanField(_("діє"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("вебхук")
        verbose_name_plural = _("вебхуки")
        ordering = ["organisation", "url"]


class WebhookDelivery(BaseModel):
    """One event for one webhook: written in the transaction that caused it (an outbox), sent after it."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=WebhookState.choices, default=WebhookState.PENDING,
                             db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["webhook", "event_id"], name="api_one_event_per_hook")]
