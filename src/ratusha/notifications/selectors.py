"""Reads of the notifications app. A person only ever sees their own notifications."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from ratusha.notifications.constants import DEFAULT_DELIVERY, Delivery, NotificationKind
from ratusha.notifications.models import Notification, NotificationPreference


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    unread = Case(When(read_at__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField())
    return (Notification.objects.filter(recipient=user)
            .select_related("actor")
            .alias(unread=unread)
            .order_by("-unread", "-created_at"))


def notification_get(user: Any, notification_id: Any) -> Notification:
    """One of the user's own notifications; 404 for anyone else's (its existence is not revealed)."""
    try:
        return notifications_for(user).get(pk=notification_id)
    except (Notification.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def unread_count(user: Any) -> int:
    """One COUNT query (index ``notif_unread_idx``)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences_for(user: Any) -> dict[str, str]:
    """E-mail delivery per kind for the user: their choice, else the default."""
    values = dict(DEFAULT_DELIVERY)
    if getattr(user, "pk", None) is not None:
        values.update(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: values.get(kind, Delivery.IMMEDIATE) for kind in NotificationKind.values}


def delivery_for(user: Any, kind: str) -> str:
    chosen = (NotificationPreference.objects.filter(user=user, kind=kind)
              .values_list("delivery", flat=True).first())
    return chosen or DEFAULT_DELIVERY.get(kind, Delivery.IMMEDIATE)
