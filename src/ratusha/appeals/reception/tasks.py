"""Background work of the personal reception (thin; tasks take ids and are idempotent). The appeals'
own periodic e-mail retries are registered by ``ratusha.appeals.tasks``."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from ratusha.appeals.reception.emails import booking_email_retry, booking_email_task  # noqa: F401


@cron("*/30 * * * *")
@task
def booking_email_retry_task() -> int:
    return booking_email_retry()
