"""The outbox when the peer does not answer: the reason is kept, attempts back off, the message fails only
after the last attempt and an administrator can send it again; a peer down for an hour alerts the
administrators once. (Answers from a real peer: test_two_installations.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ratusha.core.errors import PermissionDeniedError, TransitionError
from ratusha.exchange.constants import OUTBOX_MAX_ATTEMPTS, DeliveryStatus, OutboxState
from ratusha.exchange.models import OutboxMessage
from ratusha.exchange.services import (
    delivery_send,
    outbox_resend,
    outbox_retry_now,
    outbox_send,
    outbox_sweep,
    participant_enable,
    peers_check,
)
from ratusha.exchange.services.outbound import backoff
from ratusha.notifications.models import Notification
from tests.factories import EmployeeFactory, grant_installation_role


@pytest.fixture
def queued(ca, council, council_clerk, letter, peer):
    council.edrpou = "04051234"
    council.save()
    participant_enable(actor=None, organisation=council)
    [delivery] = delivery_send(actor=council_clerk, document=letter, peers=[peer])
    return OutboxMessage.objects.get(delivery=delivery)


@pytest.fixture
def admin(council):
    """The council's administrator: may retry the council's messages, is not told about peers."""
    return EmployeeFactory(organisation=council, roles=["admin"]).user


@pytest.fixture
def installation_admin(council):
    return grant_installation_role(EmployeeFactory(organisation=council, roles=["executor"]).user,
                                   "installation_admin")


def test_unreachable_peer_keeps_the_message_with_the_reason(queued, peer):
    now = timezone.now()
    message = outbox_send(pk=queued.pk, now=now)
    assert (message.state, message.attempts, message.last_status) == (OutboxState.PENDING, 1, None)
    assert "не приймає з'єднань" in message.last_error
    assert message.next_attempt_at == now + dt.timedelta(seconds=backoff(1))
    assert outbox_send(pk=queued.pk, now=now) is None  # not due yet: nobody sends it twice
    peer.refresh_from_db()
    assert peer.failing_since == now and peer.last_error == message.last_error
    assert message.delivery.status == DeliveryStatus.QUEUED
    assert [backoff(n) for n in (1, 2, 3, 4, 5, 40)] == [30, 120, 600, 1800, 3600, 3600]


def test_after_the_last_attempt_it_fails_and_can_be_sent_again(queued, admin, council_clerk):
    OutboxMessage.objects.filter(pk=queued.pk).update(attempts=OUTBOX_MAX_ATTEMPTS - 1)
    message = outbox_send(pk=queued.pk)
    assert message.state == OutboxState.FAILED
    with pytest.raises(PermissionDeniedError):
        outbox_resend(actor=council_clerk, message=message)
    with pytest.raises(TransitionError):
        outbox_retry_now(actor=admin, message=message)
    again = outbox_resend(actor=admin, message=message)
    assert (again.state, again.attempts) == (OutboxState.PENDING, 0)
    assert again.next_attempt_at <= timezone.now()


def test_retry_now_makes_a_waiting_message_due(queued, admin):
    message = outbox_send(pk=queued.pk)
    assert message.next_attempt_at > timezone.now()
    assert outbox_retry_now(actor=admin, message=message).next_attempt_at <= timezone.now()
    assert outbox_sweep() == 1


def test_peer_down_for_an_hour_alerts_administrators_once(queued, peer, admin, installation_admin):
    start = timezone.now()
    outbox_send(pk=queued.pk, now=start)
    assert peers_check(now=start + dt.timedelta(minutes=59)) == []
    assert [p.pk for p in peers_check(now=start + dt.timedelta(minutes=61))] == [peer.pk]
    assert peers_check(now=start + dt.timedelta(minutes=90)) == []
    assert not Notification.objects.filter(recipient=admin, kind="exchange_peer_down").exists()  # not the directory's keeper
    [alert] = Notification.objects.filter(recipient=installation_admin, kind="exchange_peer_down")
    assert "Вишнева СР" in alert.title and "недоступний" in alert.title
    assert alert.url.endswith(f"#peer-{peer.pk}")
    peer.refresh_from_db()
    assert peer.alerted_at is not None


def test_sent_to_another_installation_it_can_still_go_to_our_organisations(queued, letter, enterprise, peer):
    from ratusha.exchange.selectors import possible_peers, possible_recipients

    assert enterprise in possible_recipients(document=letter)
    assert peer not in possible_peers(document=letter)
