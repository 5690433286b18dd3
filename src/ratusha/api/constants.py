"""The API for municipal enterprises' own systems: scopes of keys, webhook events, the error codes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    INCOMING_READ = "incoming:read", _("Читати вхідні документи від інших організацій")
    INCOMING_REGISTER = "incoming:register", _("Реєструвати або відхиляти вхідні документи")
    OUTGOING_SEND = "outgoing:send", _("Реєструвати й надсилати вихідні документи, читати квитанції")
    JOURNALS_READ = "journals:read", _("Читати журнали реєстрації")


class WebhookEvent(models.TextChoices):
    DOCUMENT_DELIVERED = "document.delivered", _("Надійшов новий документ від іншої організації")
    DELIVERY_RECEIPT = "delivery.receipt", _("Адресат зареєстрував або відхилив наш документ")


class WebhookState(models.TextChoices):
    PENDING = "pending", _("Очікує надсилання")
    SENT = "sent", _("Доставлено")
    FAILED = "failed", _("Не вдалося доставити")


# Webhook retries: after the n-th failure wait WEBHOOK_BACKOFF_SECONDS[n] (the last value repeats) until
# WEBHOOK_MAX_ATTEMPTS; then the delivery is failed and shown to the organisation's administrators.
WEBHOOK_BACKOFF_SECONDS = (30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600)
WEBHOOK_MAX_ATTEMPTS = 12
WEBHOOK_TIMEOUT_SECONDS = 10
KEY_PREFIX = "rtk"  # keys look like rtk_<id>_<secret>
