"""Periodic work of the signatures app (``ratusha scheduler``; thin: the logic is in ``services``)."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from ratusha.signatures.services import credentials_expire


@cron("10 0 * * *")  # nightly, Europe/Kyiv: keys past their certificate's end become «expired»
@task
def credentials_expire_task() -> int:
    return credentials_expire()
