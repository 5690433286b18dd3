"""Webhooks: events are written to an outbox in the transaction that caused them, then POSTed with an
HMAC-SHA256 signature, retried with backoff by a sweep until delivered or given up.

Signature header (verify it on the receiving side): ``X-Ratusha-Signature: t=<unix time>,v1=<hex>``
where ``hex = HMAC_SHA256(secret, f"{t}.{body}")``. ``X-Ratusha-Event`` names the event and
``X-Ratusha-Event-Id`` is unique per event (receivers use it to ignore repeats).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ratusha.api.constants import (
    WEBHOOK_BACKOFF_SECONDS,
    WEBHOOK_MAX_ATTEMPTS,
    WEBHOOK_TIMEOUT_SECONDS,
    WebhookState,
)
from ratusha.api.models import Webhook, WebhookDelivery


def sign(secret: str, body: bytes, timestamp: int) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def emit(*, organisation_id: Any, event: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    """Queue ``event`` for every active webhook of the organisation that wants it (call inside the
    transaction of the change; sending starts after commit)."""
    hooks = [h for h in Webhook.objects.filter(organisation_id=organisation_id, is_active=True) if event in h.events]
    now = timezone.now()
    rows = [WebhookDelivery.objects.create(webhook=h, event=event, payload=payload, next_attempt_at=now)
            for h in hooks]
    if rows:
        ids = [r.pk for r in rows]
        transaction.on_commit(lambda: _enqueue(ids))
    return rows


def _enqueue(ids: list[Any]) -> None:
    from ratusha.api.tasks import webhook_send_task

    for pk in ids:
        webhook_send_task.enqueue(str(pk))


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    body = json.dumps({"id": str(delivery.event_id), "event": delivery.event, "created": delivery.created_at.isoformat(),
                       "data": delivery.payload}, ensure_ascii=False, separators=(",", ":")).encode()
    stamp = int(time.time())
    request = urllib.request.Request(delivery.webhook.url, data=body, method="POST", headers={  # noqa: S310
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "Ratusha-Webhooks/1",
        "X-Ratusha-Event": delivery.event, "X-Ratusha-Event-Id": str(delivery.event_id),
        "X-Ratusha-Signature": f"t={stamp},v1={sign(delivery.webhook.secret, body, stamp)}"})
    try:
        # The URL is set by the organisation's administrator (http/https only, checked on creation).
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        return None, str(getattr(exc, "reason", exc))[:500]


def webhook_send(*, delivery_id: Any) -> WebhookDelivery | None:
    """Try one pending delivery now (claimed under a row lock, so two workers never both send it)."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update().select_related("webhook")
                    .filter(pk=delivery_id, state=WebhookState.PENDING, next_attempt_at__lte=now).first())
        if delivery is None:
            return None
        # Claim: push the next attempt out first, so a crash mid-send is retried later, not lost.
        delivery.attempts += 1
        delivery.next_attempt_at = now + dt.timedelta(seconds=_backoff(delivery.attempts))
        delivery.save(update_fields=["attempts", "next_attempt_at", "updated_at"])
    status, error = _post(delivery)
    ok = status is not None and 200 <= status < 300
    delivery.last_status, delivery.last_error = status, ("" if ok else error or f"HTTP {status}")
    if ok:
        delivery.state, delivery.sent_at = WebhookState.SENT, timezone.now()
    elif delivery.attempts >= WEBHOOK_MAX_ATTEMPTS:
        delivery.state = WebhookState.FAILED
    delivery.save(update_fields=["last_status", "last_error", "state", "sent_at", "updated_at"])
    return delivery


def _backoff(attempts: int) -> int:
    return WEBHOOK_BACKOFF_SECONDS[min(attempts, len(WEBHOOK_BACKOFF_SECONDS)) - 1]


def webhook_sweep(*, limit: int = 200) -> int:
    """Send every delivery that is due (the periodic re-finding of lost or failed work)."""
    due = list(WebhookDelivery.objects.filter(Q(state=WebhookState.PENDING), next_attempt_at__lte=timezone.now())
               .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    for pk in due:
        webhook_send(delivery_id=pk)
    return len(due)
