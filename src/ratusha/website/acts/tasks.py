"""Periodic work of the website's acts, for ``ratusha scheduler`` (django-crontask loads ``<app>.tasks``).
Thin: the logic is in ``services``; both are idempotent."""

from __future__ import annotations

from crontask import cron
from django.tasks import task


@task
def act_sync_document_task(document_id: str) -> str:
    from ratusha.website.acts.services import act_sync_document

    act = act_sync_document(document_id=document_id)
    return act.status if act is not None else ""


@cron("15 * * * *")
@task
def act_sweep_task() -> dict[str, int]:
    """Hourly: public act cards not yet on the site are published, withdrawn ones taken down."""
    from ratusha.website.acts.services import act_sweep

    return act_sweep()


@cron("0 9 * * *")
@task
def draft_reminders_task() -> int:
    """Every morning on working days: reminders about draft decisions whose publication day is near or past."""
    from django.utils import timezone

    from ratusha.calendar.selectors import is_working_day
    from ratusha.website.acts.services import draft_reminders

    today = timezone.localdate()
    if not is_working_day(today):
        return 0
    return draft_reminders(on=today)
