"""EXPERIMENT, not product code: what shorter lock hold times would give the registration benchmark.

``registrations.py --what-if`` calls :func:`apply` in every writer before it registers anything. It
swaps, inside the benchmark process only, the two steps ``document_register`` runs while it holds the
journal's counter row lock (which is held until COMMIT) for leaner equivalents:

* ``next_number``: one ``UPDATE registry_journalcounter SET last_number = last_number + 1 ... RETURNING``
  instead of SAVEPOINT + SELECT ... FOR UPDATE + RELEASE + UPDATE (the savepoint path is kept for the
  first number of a year, when the counter row does not exist yet);
* ``audit_log``: the same chain rows and HMAC, but without its SAVEPOINT/RELEASE pair (it already runs
  inside the service's transaction).

Semantics are unchanged (same rows, same locks, same order, gapless numbers, intact chain — the
benchmark verifies both). Round trips between taking the counter lock and COMMIT: 11 → 6.
"""

from __future__ import annotations

from typing import Any


def apply() -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from ratusha.core import audit
    from ratusha.core.models import AuditEvent, AuditHead
    from ratusha.registry.models import Journal
    from ratusha.registry.services import documents, numbering

    original_next_number = numbering.next_number
    original_audit_log = audit.audit_log

    def next_number(*, journal: Any, year: int, attempts: int = 5) -> int:
        journal_id = Journal._meta.pk.get_db_prep_value(journal.pk, connection)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE registry_journalcounter SET last_number = last_number + 1 "
                           "WHERE journal_id = %s AND year = %s RETURNING last_number", [journal_id, year])
            row = cursor.fetchone()
        if row is not None:
            return row[0]
        return original_next_number(journal=journal, year=year, attempts=attempts)

    def audit_log(*, actor: Any, action: str, obj: Any = None, object_type: str = "", object_id: str = "",
                  object_repr: str = "", params: dict | None = None) -> Any:
        if not connection.in_atomic_block:
            return original_audit_log(actor=actor, action=action, obj=obj, object_type=object_type,
                                      object_id=object_id, object_repr=object_repr, params=params)
        if obj is not None:
            object_type = object_type or obj._meta.label_lower
            object_id = object_id or str(obj.pk)
            object_repr = object_repr or str(obj)[:300]
        actor_obj = actor if getattr(actor, "is_authenticated", False) else None
        head = AuditHead.objects.select_for_update().filter(pk=1).values_list("seq", "hash").first()
        if head is None:
            return original_audit_log(actor=actor, action=action, obj=obj, object_type=object_type,
                                      object_id=object_id, object_repr=object_repr, params=params)
        with transaction.atomic(savepoint=False):
            event = AuditEvent(
                seq=head[0] + 1, at=timezone.now(), actor=actor_obj,
                actor_repr=(actor_obj.get_username() if actor_obj else (str(actor) if actor else "system"))[:200],
                action=action, object_type=object_type, object_id=object_id, object_repr=object_repr[:300],
                params=audit._jsonable(params or {}), prev_hash=head[1])
            event.hash = audit._digest(event)
            event.save(force_insert=True)
            AuditHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
        return event

    documents.next_number = next_number
    documents.audit_log = audit_log
