"""In-app notifications, per-person e-mail preferences and the daily digest log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ratusha.core.models import BaseModel
from ratusha.notifications.constants import Delivery, DigestState, EmailState, NotificationKind


class Notification(BaseModel):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("отримувач"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("ініціатор"))
    kind = models.CharField(_("вид"), max_length=40, choices=NotificationKind.choices)
    title = models.CharField(_("заголовок"), max_length=300)
    body = models.TextField(_("текст"), blank=True)
    url = models.CharField(_("посилання"), max_length=500, blank=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("об'єкт"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)
    # The e-mail delivery chosen when the notification was made (the preference may change later).
    delivery = models.CharField(_("надсилання e-mail"), max_length=16, choices=Delivery.choices)
    email_state = models.CharField(_("стан e-mail"), max_length=16, choices=EmailState.choices,
                                   default=EmailState.PENDING)
    emailed_at = models.DateTimeField(_("надіслано e-mail"), null=True, blank=True)
    email_error = models.CharField(_("помилка e-mail"), max_length=500, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("сповіщення")
        verbose_name_plural = _("сповіщення")
        ordering = ["-created_at"]
        indexes = [
            # The header badge: COUNT of a person's unread ones.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notif_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created_idx"),
            # The digest: what still waits for an e-mail.
            models.Index(fields=["recipient", "created_at"],
                         condition=Q(email_state__in=["pending", "sending", "failed"]),
                         name="notif_email_waiting_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("вид"), max_length=40, choices=NotificationKind.choices)
    delivery = models.CharField(_("надсилання e-mail"), max_length=16, choices=Delivery.choices)

    class Meta:
        verbose_name = _("налаштування сповіщень")
        verbose_name_plural = _("налаштування сповіщень")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notif_pref_user_kind_uniq")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}={self.delivery}"


class DigestRun(models.Model):
    """One daily digest per person and day: the unique row is the claim that stops a second send."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("дата"))
    state = models.CharField(_("стан"), max_length=16, choices=DigestState.choices,
                             default=DigestState.SENDING)
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("надіслано"), null=True, blank=True)
    items = models.PositiveIntegerField(_("пунктів"), default=0)
    error = models.CharField(_("помилка"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("щоденне зведення")
        verbose_name_plural = _("щоденні зведення")
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="notif_digest_user_date_uniq")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.date:%d.%m.%Y} {self.state}"
