"""Webhooks to a real HTTP server on loopback: signed with HMAC-SHA256, retried with backoff, given up."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from ratusha.api.constants import WEBHOOK_MAX_ATTEMPTS
from ratusha.api.models import WebhookDelivery
from ratusha.api.services import webhook_create
from ratusha.api.webhooks import webhook_sweep
from ratusha.exchange.services import delivery_register, delivery_send
from tests.factories import EmployeeFactory
from tests.smtp import free_port

pytestmark = pytest.mark.django_db


class Receiver:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.fail_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                status = 500 if receiver.fail_next > 0 else 204
                receiver.fail_next = max(0, receiver.fail_next - 1)
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


@pytest.fixture
def council_admin(council):
    return EmployeeFactory(organisation=council, roles=["admin"]).user


def _verify(secret: str, request: dict) -> dict:
    header = request["headers"]["X-Ratusha-Signature"]
    parts = dict(p.split("=", 1) for p in header.split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + request["body"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    return json.loads(request["body"])


def test_delivered_and_receipt_events_are_signed(receiver, letter, council, council_clerk, council_admin, enterprise,
                                                 enterprise_admin, enterprise_clerk, enterprise_incoming,
                                                 django_capture_on_commit_callbacks):
    to_enterprise = webhook_create(actor=enterprise_admin, organisation=enterprise, url=receiver.url,
                                   events=["document.delivered"])
    to_council = webhook_create(actor=council_admin, organisation=council, url=receiver.url,
                                events=["delivery.receipt"])
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    event = _verify(to_enterprise.secret, receiver.requests[0])
    assert event["event"] == "document.delivered" and event["data"]["delivery_id"] == str(delivery.pk)
    assert receiver.requests[0]["headers"]["X-Ratusha-Event-Id"] == event["id"]
    with django_capture_on_commit_callbacks(execute=True):
        incoming = delivery_register(actor=enterprise_clerk, delivery=delivery, journal=enterprise_incoming)
    receipt = _verify(to_council.secret, receiver.requests[1])
    assert receipt["event"] == "delivery.receipt"
    assert receipt["data"]["receipt"]["kind"] == "registered"
    assert receipt["data"]["receipt"]["reg_index"] == incoming.reg_index
    assert WebhookDelivery.objects.filter(state="sent").count() == 2


def test_failed_posts_are_retried_by_the_sweep_then_given_up(receiver, letter, council_clerk, enterprise,
                                                             enterprise_admin, django_capture_on_commit_callbacks):
    webhook_create(actor=enterprise_admin, organisation=enterprise, url=receiver.url, events=["document.delivered"])
    receiver.fail_next = 1
    with django_capture_on_commit_callbacks(execute=True):
        delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    row = WebhookDelivery.objects.get()
    assert (row.state, row.attempts, row.last_status) == ("pending", 1, 500)
    assert row.next_attempt_at > timezone.now()
    assert webhook_sweep() == 0  # not due yet: backoff
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert webhook_sweep() == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 2)
    assert len(receiver.requests) == 2
    assert receiver.requests[0]["headers"]["X-Ratusha-Event-Id"] == receiver.requests[1]["headers"]["X-Ratusha-Event-Id"]


def test_unreachable_receiver_is_given_up_after_the_last_attempt(letter, council_clerk, enterprise, enterprise_admin,
                                                                django_capture_on_commit_callbacks):
    webhook_create(actor=enterprise_admin, organisation=enterprise, url=f"http://127.0.0.1:{free_port()}/down",
                   events=["document.delivered"])
    with django_capture_on_commit_callbacks(execute=True):
        delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    row = WebhookDelivery.objects.get()
    assert row.state == "pending" and row.last_status is None and row.last_error
    for _ in range(WEBHOOK_MAX_ATTEMPTS):
        WebhookDelivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
        webhook_sweep()
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("failed", WEBHOOK_MAX_ATTEMPTS)
