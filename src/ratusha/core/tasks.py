"""Periodic work of the core app, for ``ratusha scheduler`` (django-crontask loads ``<app>.tasks``)."""

from crontask import cron
from django.tasks import task

from ratusha.core.blobs import staged_uploads_sweep
from ratusha.core.parking import parked_purge_expired
from ratusha.core.ratelimit import rate_counters_sweep


@cron("*/15 * * * *")
@task
def rate_counters_sweep_task() -> int:
    return rate_counters_sweep()


@cron("7 * * * *")
@task
def parked_purge_task() -> int:
    """Submissions parked across a sign-in that nobody came back for (their blobs too, when unused)."""
    return parked_purge_expired()


@cron("17 * * * *")
@task
def staged_uploads_sweep_task() -> dict[str, int]:
    return staged_uploads_sweep()
