"""``/exchange/v1/`` in one installation: a peer's key made here plays the other installation's seal (the
two-instance test in test_two_installations.py runs the real thing end to end)."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile

import pytest
from cryptography import x509

from ratusha.core.storage import blob_read
from ratusha.exchange import protocol
from ratusha.exchange.constants import MAX_PACKAGE_BYTES, DeliveryStatus, OutboxState, Route
from ratusha.exchange.models import Delivery, InboundMessage, OutboxMessage
from ratusha.exchange.services import delivery_register, delivery_send, participant_enable
from ratusha.exchange.services.directory import participant_card
from tests.exchange.fixtures import PEER_ID, other_key_make, package

_other_key = other_key_make
_package = package


def _post(client, data: bytes):
    return client.post("/exchange/v1/messages", data=data, content_type="application/vnd.etsi.asic-e+zip")


def _ack(response, us) -> dict:
    protocol.check_seal(response.content, x509.load_der_x509_certificate(bytes(us.certificate_der)))
    return protocol.open_container(response.content).message


def test_directory_card_is_published(client, us):
    body = client.get("/exchange/v1/").json()
    assert body["protocol"] == "ratusha-exchange/1"
    [card] = body["participants"]
    assert card == participant_card(us) and card["id"] == "03361234"
    assert card["certificate"].startswith("-----BEGIN CERTIFICATE-----")


def test_package_is_taken_once_and_registered(client, us, peer, other_key, enterprise_clerk, enterprise_incoming):
    message_id, data = _package(other_key)
    first = _post(client, data)
    assert first.status_code == 200
    ack = _ack(first, us)
    assert (ack["type"], ack["result"], ack["in_reply_to"]) == ("ack", "delivered", str(message_id))
    again = _post(client, data)
    assert again.status_code == 200 and _ack(again, us)["result"] == "duplicate"
    delivery = Delivery.objects.get(message_id=message_id)
    assert (delivery.route, delivery.status, delivery.peer_id) == (Route.INBOUND, DeliveryStatus.DELIVERED, peer.pk)
    assert delivery.card.reg_index == "02-05/77" and delivery.sender_party.short_name == "Вишнева СР"
    assert Delivery.objects.filter(route=Route.INBOUND).count() == 1
    assert list(InboundMessage.objects.order_by("created_at").values_list("result", flat=True)) == [
        "delivered", "duplicate"]

    client.force_login(enterprise_clerk)
    page = client.get(f"/office/exchange/in/{delivery.pk}/")
    assert page.status_code == 200 and "Про спільний маршрут" in page.content.decode()
    assert "підпис і цілісність файлів перевірено" in page.content.decode()
    package = client.get(f"/office/exchange/in/{delivery.pk}/package.asice")
    assert package.status_code == 200 and package.content == data
    doc = delivery_register(actor=enterprise_clerk, delivery=delivery, journal=enterprise_incoming)
    assert doc.correspondent == "Вишнева сільська рада" and doc.correspondent_index == "02-05/77"
    assert doc.correspondent_date == dt.date(2026, 11, 20)
    [file] = doc.files.all()
    assert file.name == "Лист про маршрут.pdf"
    assert file.blob_id == delivery.card.files.get().blob_id
    receipt_msg = OutboxMessage.objects.get(delivery=delivery)
    assert (receipt_msg.type, receipt_msg.state, receipt_msg.peer_id) == ("receipt", OutboxState.PENDING, peer.pk)
    sent = protocol.open_container(blob_read(receipt_msg.container_id))
    assert sent.message["in_reply_to"] == str(message_id)
    assert sent.message["receipt"]["reg_index"] == doc.reg_index
    assert "Квитанція в черзі до установки відправника" in client.get(
        f"/office/exchange/in/{delivery.pk}/").content.decode()


def _tamper(data: bytes) -> bytes:
    """Rewrite the container with one byte of the document changed (the manifest no longer matches)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "files/001.pdf":
                content = content[:-10] + bytes([content[-10] ^ 1]) + content[-9:]
            dst.writestr(info, content)
    return out.getvalue()


def _bomb() -> bytes:
    """A small container that would unpack to 190 MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.etsi.asic-e+zip", zipfile.ZIP_STORED)
        archive.writestr("message.json", "{}")
        with archive.open("files/001.bin", "w") as big:
            chunk = bytes(1024 * 1024)
            for _ in range(190):
                big.write(chunk)
    return out.getvalue()


def _unauthenticated_today() -> int:
    from ratusha.exchange.services.inbound import unauthenticated_count_today

    return unauthenticated_count_today()


@pytest.mark.parametrize("case", ["tampered", "other_seal", "unknown_sender", "garbage", "bomb", "empty"])
def test_unauthenticated_messages_get_a_plain_unsigned_refusal(client, us, peer, other_key, case, caplog):
    """What cannot be read, comes from an unknown sender or whose seal does not verify costs us nothing:
    an unsigned refusal without any id from the request, no stored row, no audit event, only a counter."""
    from ratusha.core.models import AuditEvent

    expected = {"tampered": (403, "bad_signature"), "other_seal": (403, "bad_signature"),
                "unknown_sender": (403, "unknown_sender"), "garbage": (400, "malformed"),
                "bomb": (400, "malformed"), "empty": (400, "malformed")}[case]
    message_id = None
    if case == "garbage":
        data = b"PK\x03\x04 not really a zip"
    elif case == "empty":
        data = b""
    elif case == "bomb":
        data = _bomb()
        assert len(data) < 2 * 1024 * 1024
    elif case == "tampered":
        message_id, data = _package(other_key)
        data = _tamper(data)
    elif case == "other_seal":
        message_id, data = _package(_other_key("Самозванець"))
    else:
        message_id, data = _package(other_key, sender="99999999")
    audit_before, counted_before = AuditEvent.objects.count(), _unauthenticated_today()
    with caplog.at_level("WARNING", logger="ratusha.exchange.services.inbound"):
        response = _post(client, data)
    assert response.status_code == expected[0]
    assert response["Content-Type"] == "application/json" and not response.content.startswith(b"PK")  # no seal
    refusal = response.json()
    assert refusal == {"protocol": "ratusha-exchange/1", "type": "ack", "result": "refused", "code": expected[1],
                       "reason": refusal["reason"], "at": refusal["at"], "signed": False} and refusal["reason"]
    if message_id is not None:
        assert str(message_id).encode() not in response.content
    assert b"99999999" not in response.content
    assert not InboundMessage.objects.exists() and not Delivery.objects.filter(route=Route.INBOUND).exists()
    assert AuditEvent.objects.count() == audit_before
    assert _unauthenticated_today() == counted_before + 1
    assert any(expected[1] in r.getMessage() for r in caplog.records)


def test_a_verified_peer_still_gets_a_signed_refusal(client, us, peer, other_key):
    message_id, data = _package(other_key, recipient="11111111")
    response = _post(client, data)
    assert response.status_code == 404
    ack = _ack(response, us)
    assert (ack["result"], ack["code"], ack["in_reply_to"]) == ("refused", "unknown_recipient", str(message_id))
    logged = InboundMessage.objects.get()
    assert (logged.result, logged.code) == ("refused", "unknown_recipient")
    assert _unauthenticated_today() == 0


def test_too_many_requests_from_one_address_get_429(client, us, peer, other_key, settings):
    settings.EXCHANGE_RATE_LIMIT_IP = 3
    settings.EXCHANGE_RATE_WINDOW_SECONDS = 24 * 60 * 60
    statuses = [_post(client, b"garbage").status_code for _ in range(3)]
    assert statuses == [400, 400, 400]
    limited = _post(client, _package(other_key)[1])
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert limited.json()["code"] == "rate_limited" and limited.json()["signed"] is False
    assert not Delivery.objects.filter(route=Route.INBOUND).exists()  # not even read
    other = client.post("/exchange/v1/messages", data=b"garbage", content_type="application/vnd.etsi.asic-e+zip",
                        REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 400  # another address has its own count


def test_too_many_messages_from_one_peer_get_429(client, us, peer, other_key, settings):
    settings.EXCHANGE_RATE_LIMIT_PEER = 2
    settings.EXCHANGE_RATE_WINDOW_SECONDS = 24 * 60 * 60
    first, second, third = (_package(other_key) for _ in range(3))
    assert _ack(_post(client, first[1]), us)["result"] == "delivered"
    assert _ack(_post(client, second[1]), us)["result"] == "delivered"
    limited = _post(client, third[1])
    assert limited.status_code == 429 and limited["Retry-After"] and limited.json()["code"] == "rate_limited"
    assert not Delivery.objects.filter(message_id=third[0]).exists()
    assert InboundMessage.objects.count() == 2


def test_receipt_from_the_peer_lands_in_our_card(client, ca, council, council_clerk, letter, peer, other_key):
    council.edrpou = "04051234"
    council.save()
    ours = participant_enable(actor=None, organisation=council)
    [delivery] = delivery_send(actor=council_clerk, document=letter, peers=[peer])
    assert (delivery.route, delivery.status) == (Route.OUTBOUND, DeliveryStatus.QUEUED)
    package = OutboxMessage.objects.get(delivery=delivery)
    sent = blob_read(package.container_id)
    protocol.check_seal(sent, x509.load_der_x509_certificate(bytes(ours.certificate_der)))
    opened = protocol.open_container(sent)
    assert opened.message["document"]["reg_index"] == letter.reg_index
    assert [name for name, _data in protocol.package_files(opened)] == ["лист.pdf"]

    def receipt(kind, **extra):
        message = protocol.envelope(type="receipt", message_id=uuid.uuid4(), sender={"id": PEER_ID},
                                    recipient={"id": "04051234"}, in_reply_to=str(delivery.message_id),
                                    receipt={"kind": kind, "at": "2026-11-26T10:00:00+00:00", **extra})
        return protocol.build(message, [], other_key)

    registered = receipt("registered", reg_index="115/01-10", reg_date="2026-11-26", reason="")
    # Out of order: the registration comes before the acknowledgement of delivery.
    assert _ack(_post(client, registered), ours)["result"] == "delivered"
    assert _ack(_post(client, registered), ours)["result"] == "duplicate"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.REGISTERED
    assert list(delivery.receipts.values_list("kind", "reg_index")) == [("registered", "115/01-10")]
    unknown = protocol.envelope(type="receipt", message_id=uuid.uuid4(), sender={"id": PEER_ID},
                                recipient={"id": "04051234"}, in_reply_to=str(uuid.uuid4()),
                                receipt={"kind": "registered", "at": "2026-11-26T10:00:00+00:00",
                                         "reg_index": "1", "reg_date": "2026-11-26"})
    response = _post(client, protocol.build(unknown, [], other_key))
    assert response.status_code == 404 and _ack(response, ours)["code"] == "unknown_message"
    assert delivery.receipts.count() == 1


def test_a_body_over_the_limit_is_refused_unsigned_without_reading_it(client, us, peer):
    response = client.post("/exchange/v1/messages", data=b"x", content_type="application/vnd.etsi.asic-e+zip",
                           CONTENT_LENGTH=str(MAX_PACKAGE_BYTES + 1))
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and response.json()["signed"] is False
    assert not InboundMessage.objects.exists()
