"""Background work of the search app (thin: the logic is in ``services``). Tasks take ids and are
idempotent, so a retried or duplicated task does no harm."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from ratusha.search import services


@task
def index_document_task(document_id: str) -> None:
    services.index_document(document_id=document_id)


@cron("20 3 * * *")  # nightly, Europe/Kyiv (``ratusha scheduler``)
@task
def reindex_stale_task() -> int:
    """Periodic sweep: index cards whose indexing was lost (crashed worker, restored backup)."""
    return services.reindex_all(stale_only=True)
