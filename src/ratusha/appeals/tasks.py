"""Periodic work of the appeals app, for ``ratusha scheduler`` (django-crontask loads ``<app>.tasks``).

The tasks themselves live next to their services; importing them here registers their ``@cron``."""

from ratusha.appeals.emails import appeal_event_email_retry_task
from ratusha.appeals.services.answer import appeal_answer_email_retry_task

__all__ = ["appeal_answer_email_retry_task", "appeal_event_email_retry_task"]
