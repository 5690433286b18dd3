"""Background work of the audience app (thin: the logic is in ``emails`` and ``services``)."""

from __future__ import annotations

import datetime as dt

from crontask import cron
from django.tasks import task
from django.utils import timezone

from ratusha.website.audience.emails import (
    subscription_confirmation_email_send,
    subscription_delivery_email_send,
)

RETRY_DAYS = 3
RETRY_AFTER_MINUTES = 10


@task
def subscription_confirmation_email_task(subscriber_id: int, nonce: str) -> str:
    return subscription_confirmation_email_send(subscriber_id=subscriber_id, nonce=nonce)


@task
def subscription_delivery_email_task(delivery_id: int) -> str:
    return subscription_delivery_email_send(delivery_id=delivery_id)


@cron("*/30 * * * *")
@task
def subscription_delivery_retry_task() -> int:
    """Send the announcements whose e-mail failed or whose task was lost."""
    from ratusha.website.audience.models import Delivery

    now = timezone.now()
    pending = Delivery.objects.filter(sent_at__isnull=True, created_at__gte=now - dt.timedelta(days=RETRY_DAYS),
                                      created_at__lte=now - dt.timedelta(minutes=RETRY_AFTER_MINUTES))
    return sum(subscription_delivery_email_send(delivery_id=pk) == "sent"
               for pk in list(pending.values_list("pk", flat=True)))
