"""Webhook sending for the worker, and the sweep that retries due deliveries (``ratusha scheduler``)."""

from crontask import cron
from django.tasks import task

from ratusha.api.webhooks import webhook_send, webhook_sweep


@task
def webhook_send_task(delivery_id: str) -> str:
    delivery = webhook_send(delivery_id=delivery_id)
    return delivery.state if delivery is not None else "skipped"


@cron("* * * * *")
@task
def webhook_sweep_task() -> int:
    return webhook_sweep()
