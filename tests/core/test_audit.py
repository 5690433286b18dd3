
import pytest
from django.db import connection, transaction

from ratusha.core.audit import GENESIS, audit_log, audit_verify
from ratusha.core.models import AuditEvent, AuditHead
from ratusha.orgs.models import User
from tests.concurrency import run_concurrently
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def chain(db):
    """Five chained events by a user."""
    user = UserFactory()
    org = OrganisationFactory()
    events = []
    for n in range(5):
        with transaction.atomic():
            events.append(audit_log(actor=user, action="test.event", obj=org, params={"n": n, "слово": "так"}))
    return events


def _sql(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)


def test_empty_log_is_intact(db):
    assert audit_verify() is None


def test_intact_chain_verifies(chain):
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(chain, chain[1:], strict=False))
    assert audit_verify() is None
    head = AuditHead.objects.get()
    assert (head.seq, head.hash) == (5, chain[-1].hash)


def test_event_records_actor_object_and_params(chain):
    event = AuditEvent.objects.get(seq=3)
    assert event.action == "test.event"
    assert event.actor_repr == event.actor.username
    assert event.object_type == "orgs.organisation"
    assert event.params == {"n": 2, "слово": "так"}


def test_system_actor(db):
    with transaction.atomic():
        event = audit_log(actor=None, action="system.event")
    assert (event.actor, event.actor_repr) == (None, "system")
    assert audit_verify() is None


def test_raw_update_is_found(chain):
    _sql("UPDATE core_auditevent SET action = %s WHERE seq = %s", ["test.forged", 3])
    problem = audit_verify()
    assert problem is not None
    assert problem.seq == 3
    assert problem.row_id == chain[2].pk
    assert "hash" in problem.reason


def test_raw_update_of_params_is_found(chain):
    _sql("UPDATE core_auditevent SET actor_repr = %s WHERE seq = %s", ["someone-else", 2])
    assert audit_verify().seq == 2


def test_rehashing_a_row_without_the_key_breaks_the_link(chain):
    # An attacker who edits row 2 and recomputes a plain SHA-256 still fails: the next row's prev differs.
    _sql("UPDATE core_auditevent SET hash = %s WHERE seq = %s", ["f" * 64, 2])
    problem = audit_verify()
    assert problem.seq == 2


def test_raw_delete_of_a_middle_row_is_found(chain):
    _sql("DELETE FROM core_auditevent WHERE seq = %s", [3])
    problem = audit_verify()
    assert problem is not None
    assert problem.seq == 3
    assert problem.row_id == chain[3].pk  # the first row after the hole
    assert "missing" in problem.reason


def test_raw_delete_of_the_last_row_is_found(chain):
    _sql("DELETE FROM core_auditevent WHERE seq = %s", [5])
    problem = audit_verify()
    assert problem is not None
    assert problem.seq == 5
    assert "head" in problem.reason


def test_raw_delete_of_the_first_row_is_found(chain):
    _sql("DELETE FROM core_auditevent WHERE seq = %s", [1])
    assert audit_verify().seq == 1


def test_raw_insert_at_the_end_is_found(chain):
    # A copy of row 2 appended as row 6, linked to row 5's hash: its own hash cannot match.
    _sql("INSERT INTO core_auditevent (seq, at, actor_id, actor_repr, action, object_type, object_id, object_repr,"
         " params, prev_hash, hash) SELECT %s, at, actor_id, actor_repr, action, object_type, object_id,"
         " object_repr, params, %s, hash FROM core_auditevent WHERE seq = %s", [6, chain[-1].hash, 2])
    problem = audit_verify()
    assert problem is not None
    assert problem.seq == 6
    assert problem.row_id == AuditEvent.objects.get(seq=6).pk


def test_raw_insert_with_the_head_moved_too_is_found(chain):
    _sql("INSERT INTO core_auditevent (seq, at, actor_id, actor_repr, action, object_type, object_id, object_repr,"
         " params, prev_hash, hash) SELECT %s, at, actor_id, actor_repr, %s, object_type, object_id,"
         " object_repr, params, %s, %s FROM core_auditevent WHERE seq = %s",
         [6, "test.forged", chain[-1].hash, "a" * 64, 1])
    _sql("UPDATE core_audithead SET seq = %s, hash = %s", [6, "a" * 64])
    assert audit_verify().seq == 6


def test_raw_insert_in_the_middle_is_found(chain):
    # Shift rows 4..5 up and slip a forged row in as 4.
    _sql("UPDATE core_auditevent SET seq = seq + 100 WHERE seq >= %s", [4])
    _sql("UPDATE core_auditevent SET seq = seq - 99 WHERE seq >= %s", [104])
    _sql("INSERT INTO core_auditevent (seq, at, actor_id, actor_repr, action, object_type, object_id, object_repr,"
         " params, prev_hash, hash) SELECT %s, at, actor_id, actor_repr, %s, object_type, object_id,"
         " object_repr, params, %s, %s FROM core_auditevent WHERE seq = %s",
         [4, "test.forged", chain[2].hash, "b" * 64, 1])
    assert audit_verify().seq == 4


def test_tampered_head_is_found(chain):
    _sql("UPDATE core_audithead SET seq = %s", [4])
    problem = audit_verify()
    assert problem is not None
    assert "head" in problem.reason


def test_verify_walks_in_batches(chain):
    assert audit_verify(batch=2) is None
    _sql("UPDATE core_auditevent SET action = %s WHERE seq = %s", ["x", 5])
    assert audit_verify(batch=2).seq == 5


def _write_events(user_pk, count):
    user = User.objects.get(pk=user_pk)
    for n in range(count):
        with transaction.atomic():
            audit_log(actor=user, action="test.concurrent", object_type="test", object_id=str(n),
                      params={"n": n})


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_chain_intact():
    threads_count, per_thread = 16, 15
    users = [UserFactory() for _ in range(threads_count)]
    outcomes = run_concurrently(_write_events, [(u.pk, per_thread) for u in users])
    assert outcomes == [None] * threads_count
    total = threads_count * per_thread
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, total + 1))
    assert audit_verify() is None
