"""Background work of the workflow app (thin: the logic is in ``services``). Idempotent per day."""

from __future__ import annotations

from crontask import cron
from django.tasks import task
from django.utils import timezone


@cron("30 7 * * *")
@task
def daily_control_task() -> dict[str, int] | None:
    """Every morning on working days: in-app reminders and escalation of overdue assignments. (The e-mail
    digest — one per person — is sent by the notifications app, which calls ``workflow.digest``.)"""
    from ratusha.calendar.selectors import is_working_day
    from ratusha.workflow.services import workflow_daily

    today = timezone.localdate()
    if not is_working_day(today):
        return None
    return workflow_daily(on=today)
