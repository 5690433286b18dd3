"""Exchange between installations for the worker: one outbox attempt, and the sweep every minute that
retries due messages and alerts administrators about peers unreachable for an hour."""

from crontask import cron
from django.tasks import task

from ratusha.exchange.services.outbound import outbox_send, outbox_sweep


@task
def exchange_send_task(message_pk: str) -> str:
    message = outbox_send(pk=message_pk)
    return message.state if message is not None else "skipped"


@cron("* * * * *")
@task
def exchange_sweep_task() -> int:
    return outbox_sweep()
