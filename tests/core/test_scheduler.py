"""The periodic tasks that ``ratusha scheduler`` (django-crontask) enqueues for the worker."""

import io

from crontask import scheduler
from crontask.management.commands.crontask import Command


def _scheduled_names() -> set[str]:
    Command(stdout=io.StringIO()).load_tasks({})
    return {job.name for job in scheduler.get_jobs()}


def test_every_app_schedule_is_registered():
    names = _scheduled_names()
    assert any(name.endswith("reindex_stale_task") for name in names), names


def test_nightly_sweep_runs_in_kyiv_time():
    _scheduled_names()
    job = next(j for j in scheduler.get_jobs() if j.name.endswith("reindex_stale_task"))
    assert str(job.trigger.timezone) == "Europe/Kyiv"
    assert "hour='3'" in str(job.trigger) and "minute='20'" in str(job.trigger)


def test_issue_3_and_4_schedules_are_registered():
    names = _scheduled_names()
    for task in ("daily_control_task", "daily_digest_task", "appeal_event_email_retry_task",
                 "appeal_answer_email_retry_task", "booking_email_retry_task", "act_sweep_task",
                 "draft_reminders_task"):
        assert any(name.endswith(task) for name in names), (task, names)


def test_issue_7_schedules_are_registered():
    names = _scheduled_names()
    assert any(name.endswith("webhook_sweep_task") for name in names), names
