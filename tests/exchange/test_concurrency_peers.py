"""Exchange between installations under concurrency: the same package arriving several times at once is
taken once; two sweeps at once make one attempt at a message (the claim is a row lock)."""

import pytest
from django.db import connection
from django.utils import timezone

from ratusha.exchange import protocol
from ratusha.exchange.constants import Route
from ratusha.exchange.models import Delivery, InboundMessage, OutboxMessage
from ratusha.exchange.services import inbound_receive, outbox_send
from tests.concurrency import run_concurrently
from tests.exchange.fixtures import package

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_package_at_once_is_taken_once(us, peer, other_key):
    message_id, data = package(other_key)
    threads = 4 if connection.vendor == "postgresql" else 3
    answers = run_concurrently(lambda: inbound_receive(data=data), [()] * threads)
    assert all(getattr(a, "status", None) == 200 for a in answers), answers
    results = sorted(protocol.open_container(a.body).message["result"] for a in answers)
    assert results == ["delivered"] + ["duplicate"] * (threads - 1)
    assert Delivery.objects.filter(message_id=message_id, route=Route.INBOUND).count() == 1
    assert InboundMessage.objects.filter(message_id=message_id).count() == threads


def test_two_sweeps_at_once_make_one_attempt(package_out):
    now = timezone.now()
    # (the worker already tried once after the send was committed; make the message due again)
    OutboxMessage.objects.filter(pk=package_out.pk).update(next_attempt_at=now)
    before = OutboxMessage.objects.get(pk=package_out.pk).attempts
    outcomes = run_concurrently(lambda: outbox_send(pk=package_out.pk, now=now), [(), ()])
    attempted = [o for o in outcomes if isinstance(o, OutboxMessage)]
    assert len(attempted) == 1 and outcomes.count(None) == 1, outcomes
    package_out.refresh_from_db()
    assert package_out.attempts == before + 1 and package_out.last_error  # the fixture's peer port is closed
