"""The tamper-evident audit log (docs/architecture.md rule 3).

Each event is appended inside the caller's transaction. The chain head row is locked first, so
events are chained in commit order on PostgreSQL and SQLite alike. ``hash`` is
HMAC-SHA256(AUDIT_KEY, prev_hash + canonical JSON of the row); without the key a row cannot be
forged, and any UPDATE, DELETE or INSERT behind the application's back breaks the chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from ratusha.core.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_repr": event.actor_repr,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "params": event.params,
        "prev": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder).encode()


def _digest(event: AuditEvent) -> str:
    return hmac.new(settings.AUDIT_KEY.encode(), _canonical(event), hashlib.sha256).hexdigest()


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    # Round-trip so the stored JSON equals what was hashed (dates, UUIDs, Decimals as strings).
    return json.loads(json.dumps(params, cls=DjangoJSONEncoder, ensure_ascii=False))


def audit_log(
    *,
    actor: Any | None,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    params: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the service's ``transaction.atomic()``."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    # No savepoint of its own: the event belongs to the service's transaction (it fails with it), and
    # a SAVEPOINT/RELEASE pair per service write costs two round trips inside the numbering lock.
    with transaction.atomic(savepoint=False):
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=actor_obj,
            actor_repr=(actor_obj.get_username() if actor_obj else (str(actor) if actor else "system"))[:200],
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:300],
            params=_jsonable(params or {}),
            prev_hash=head.hash,
        )
        event.hash = _digest(event)
        event.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


@dataclass(frozen=True)
class AuditProblem:
    seq: int | None
    row_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"row id={self.row_id}, seq={self.seq}" if self.row_id else f"seq={self.seq}"
        return f"{where}: {self.reason}"


def audit_verify(batch: int = 5000) -> AuditProblem | None:
    """Walk the chain; return the first problem found, or None for an intact log."""
    expected_prev = GENESIS
    expected_seq = 1
    last_seq = 0
    for event in _iter_events(batch):
        if event.seq != expected_seq:
            if event.seq > expected_seq:
                return AuditProblem(expected_seq, event.pk,
                                    f"rows {expected_seq}..{event.seq - 1} are missing (deleted)")
            return AuditProblem(event.seq, event.pk, "duplicate or out-of-order sequence number")
        if event.prev_hash != expected_prev:
            return AuditProblem(event.seq, event.pk, "does not link to the previous row")
        if not hmac.compare_digest(event.hash, _digest(event)):
            return AuditProblem(event.seq, event.pk, "content does not match its hash (edited or forged)")
        expected_prev = event.hash
        expected_seq += 1
        last_seq = event.seq
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != last_seq or head_hash != expected_prev:
        return AuditProblem(last_seq + 1, None,
                            f"chain ends at seq {last_seq} but its head says {head_seq} (rows deleted at the end or the head altered)")
    return None


def _iter_events(batch: int) -> Iterator[AuditEvent]:
    """Keyset pagination over seq (unique), so memory stays flat on millions of rows."""
    after = 0
    while True:
        chunk = list(AuditEvent.objects.filter(seq__gt=after).order_by("seq")[:batch])
        if not chunk:
            return
        yield from chunk
        after = chunk[-1].seq
