"""The API sends to participants of other installations too: ``GET /peers`` and ``send_to_peers``."""

import base64

from ratusha.exchange.constants import DeliveryStatus, OutboxState, Route
from ratusha.exchange.models import Delivery, OutboxMessage
from tests.api.conftest import ALL_SCOPES  # noqa: F401
from tests.exchange.fixtures import ca, other_key, peer, us  # noqa: F401 (fixtures)
from tests.registry.conftest import make_pdf


def test_peers_listed_and_sent_to(api, us, peer, enterprise_outgoing):  # noqa: F811
    [listed] = api.get("/peers").json()
    assert (listed["id"], listed["edrpou"], listed["short_name"]) == (str(peer.pk), "26350001", "Вишнева СР")
    response = api.post("/outgoing", {
        "journal_id": str(enterprise_outgoing.pk), "summary": "Про спільний тариф", "signed_by": "Петро ОЛІЙНИК",
        "files": [{"name": "лист.pdf", "content_base64": base64.b64encode(make_pdf("Лист")).decode()}],
        "send_to_peers": [str(peer.pk)]})
    assert response.status_code == 201, response.content
    [out] = response.json()["deliveries"]
    assert (out["route"], out["status"], out["recipient"]["edrpou"]) == ("outbound", "queued", "26350001")
    delivery = Delivery.objects.get(pk=out["id"])
    assert (delivery.route, delivery.status) == (Route.OUTBOUND, DeliveryStatus.QUEUED)
    assert OutboxMessage.objects.get(delivery=delivery).state == OutboxState.PENDING
    receipts = api.get(f"/outgoing/{response.json()['document']['id']}/receipts").json()
    assert receipts[0]["status"] == "queued" and receipts[0]["receipts"] == []


def test_unknown_peer_is_refused(api, us, enterprise_outgoing):  # noqa: F811
    response = api.post("/outgoing", {
        "journal_id": str(enterprise_outgoing.pk), "summary": "X",
        "files": [{"name": "a.pdf", "content_base64": base64.b64encode(make_pdf("X")).decode()}],
        "send_to_peers": ["2b1f6c55-3a53-4c4c-9f53-5a4f36f7f5a1"]})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_recipient"


def test_no_peers_for_an_organisation_outside_the_exchange(api, peer):  # noqa: F811
    from ratusha.exchange.models import Participant

    Participant.objects.update(is_active=False)
    assert api.get("/peers").json() == []
