"""Background work of the personal reception and of the citizens' e-mails about appeals (thin; tasks take
ids and are idempotent). ``crontask`` loads ``<app>.tasks`` of every installed app: the periodic retry of
the appeals' status e-mails is scheduled from here too (``ratusha.appeals.emails``)."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from ratusha.appeals.emails import appeal_event_email_retry_task  # noqa: F401 — registers its schedule
from ratusha.appeals.reception.emails import booking_email_retry, booking_email_task  # noqa: F401


@cron("*/30 * * * *")
@task
def booking_email_retry_task() -> int:
    return booking_email_retry()
