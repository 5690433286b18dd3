"""Background work of the notifications app (thin: the logic is in ``emails`` and ``digest``).
Tasks take ids and are idempotent, so a retried or duplicated task does no harm."""

from __future__ import annotations

from crontask import cron
from django.tasks import task
from django.utils import timezone

from ratusha.notifications import digest, emails


def _today():
    return timezone.localdate()


@task
def send_notification_email_task(notification_id: str) -> str:
    """The immediate e-mail of one notification; nothing if it was e-mailed already."""
    return emails.notification_email_send(notification_id=notification_id)


@cron("0 8 * * *")
@task
def daily_digest_task() -> int:
    """At 08:00 Kyiv time on working days: one digest e-mail per person."""
    from ratusha.calendar.selectors import is_working_day  # the calendar app; imported lazily

    today = _today()
    if not is_working_day(today):
        return 0
    return digest.digest_send_all(on=today)
