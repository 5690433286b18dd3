"""Periodic work of the core app, for ``ratusha scheduler`` (django-crontask loads ``<app>.tasks``)."""

from crontask import cron
from django.tasks import task

from ratusha.core.blobs import staged_uploads_sweep
from ratusha.core.ratelimit import rate_counters_sweep


@cron("*/15 * * * *")
@task
def rate_counters_sweep_task() -> int:
    return rate_counters_sweep()


@cron("17 * * * *")
@task
def staged_uploads_sweep_task() -> dict[str, int]:
    return staged_uploads_sweep()
