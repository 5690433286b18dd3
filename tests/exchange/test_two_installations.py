"""Two real installations exchange documents on loopback while things go wrong (docs/exchange.md, «Протокол»).

A (Соснівська міська рада) sends letters to B (Вишнева сільська рада); B registers or rejects them and its
receipts go back to A. Each reaches the other through a proxy that can break a connection. Faults: B down
for a while (with the administrators' alert after an hour), a request cut mid-way, an answer lost after B
took the package, an answer cut inside its status line, the same package twice, packages out of order and
a receipt before the acknowledgement, a tampered package, a foreign seal, an unknown sender, a receipt
whose answer is lost, a package retried until the directory is fixed. At the end every document is
registered at B exactly once, every card at A holds its receipts with B's index, and every outbox message
was sent.

The phases run in order against one pair of installations (a module fixture); the harness is twoinst.py.
"""

from __future__ import annotations

import hashlib
import json
import uuid

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ratusha.exchange import protocol
from ratusha.signatures import engine
from tests.exchange.twoinst import Installation, Proxy, b64, post, prepare, tamper

A_ID, B_ID, STRANGER_ID = "04051234", "26350001", "39990001"
REJECT_REASON = "Надіслано не за адресою: питання належить до відання районної ради"


class Pair:
    def __init__(self, a: Installation, b: Installation, proxy: Proxy, back: Proxy) -> None:
        self.a, self.b, self.proxy, self.back = a, b, proxy, back
        self.sent: dict[str, str] = {}  # message id → summary of every letter A sent

    def send(self, summary: str) -> str:
        message_id = self.a.call("send", summary=summary, text=f"Текст: {summary}")
        self.sent[message_id] = summary
        return message_id

    def at_b(self) -> dict:
        return self.b.call("inbound")

    def b_certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.b.card["certificate"].encode())

    @staticmethod
    def unsigned(status: int, body: bytes) -> dict:
        """B's plain refusal of what it could not authenticate: JSON, no seal, nothing from the request."""
        refusal = json.loads(body)
        assert refusal["signed"] is False and refusal["result"] == "refused" and "in_reply_to" not in refusal
        assert not body.startswith(b"PK")
        return refusal

    def ack(self, body: bytes) -> dict:
        """B's answer, checked: sealed by B's organisation (the certificate of its card)."""
        protocol.check_seal(body, self.b_certificate())
        opened = protocol.open_container(body)
        assert opened.type == "ack" and opened.sender_id == B_ID
        return opened.message


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    root = tmp_path_factory.mktemp("twoinst")
    a = Installation("a", root, code="sosnivka", edrpou=A_ID, org_name="Соснівська міська рада")
    b = Installation("b", root, code="vyshneva", edrpou=B_ID, org_name="Вишнева сільська рада")
    proxies = []
    try:
        prepare(a, b)
        for inst in (a, b):
            inst.launch()
            inst.launch_agent()
        for inst in (a, b):
            inst.wait_agent()
            # Its own SQLite file, also when the suite itself runs on PostgreSQL.
            assert inst.call("database") == ["sqlite", str(inst.database)]
            inst.card = inst.call("setup", code=inst.code, edrpou=inst.edrpou, name=inst.org_name)
            inst.wait_ready()
        # Each reaches the other through a proxy that can break a connection.
        proxies = [Proxy(b.port), Proxy(a.port)]
        a.card = {**a.card, "endpoint": f"http://127.0.0.1:{proxies[1].port}/exchange/v1/"}
        a.call("peer_add", card={**b.card, "endpoint": f"http://127.0.0.1:{proxies[0].port}/exchange/v1/"})
        b.call("peer_add", card=a.card)
        yield Pair(a, b, *proxies)
    finally:
        for inst in (a, b):
            inst.close()
        for proxy in proxies:
            proxy.close()


def _once(pair: Pair, message_id: str, status: str = "delivered") -> dict:
    """B holds this message as exactly one inbound delivery."""
    deliveries = pair.at_b()["deliveries"].get(message_id, [])
    assert len(deliveries) == 1, (message_id, deliveries, pair.b.logs())
    assert deliveries[0]["status"] == status and deliveries[0]["summary"] == pair.sent[message_id]
    assert deliveries[0]["files"] == [["Лист.txt", f"Текст: {pair.sent[message_id]}"]]
    return deliveries[0]


def _a_delivery(pair: Pair, message_id: str) -> dict:
    [delivery] = [d for d in pair.a.call("status")["deliveries"] if d["message_id"] == message_id]
    return delivery


def test_peer_down_for_a_while(pair):
    pair.b.stop()
    first, second = pair.send("Про спільний автобусний маршрут"), pair.send("Про ремонт мосту через Вишневку")
    assert pair.a.call("sweep") == {"sent": 2}
    outbox = pair.a.call("outbox")
    for message_id in (first, second):
        row = outbox[message_id]
        assert (row["state"], row["attempts"], row["last_status"]) == ("pending", 1, 502), row
        assert "502" in row["last_error"], row  # the proxy's error page is no signed answer
        assert _a_delivery(pair, message_id)["status"] == "queued"
    peer = pair.a.call("peer")
    assert peer["failing_since"] and not peer["alerted_at"] and "502" in peer["last_error"]
    assert pair.a.call("notifications", kind="exchange_peer_down") == []

    # An hour later (moved back in the shell) the administrators hear of it, once.
    pair.a.call("peer_failing_since", hours_ago=2)
    pair.a.call("sweep")
    pair.a.call("sweep")
    peer = pair.a.call("peer")
    assert peer["alerted_at"] and peer["failing_since"]
    [[user, title]] = pair.a.call("notifications", kind="exchange_peer_down")
    assert user == "sosnivka-admin" and "Вишнева сільська рада" in title and "недоступний" in title
    assert {row["state"] for row in pair.a.call("outbox").values()} == {"pending"}

    pair.b.start()
    assert pair.a.call("sweep") == {"sent": 2}
    outbox = pair.a.call("outbox")
    for message_id in (first, second):
        row = outbox[message_id]
        assert (row["state"], row["attempts"], row["ack"]) == ("sent", 4, "delivered"), row
        _once(pair, message_id)
        delivery = _a_delivery(pair, message_id)
        assert (delivery["status"], delivery["receipts"]) == ("delivered", [["delivered", "", ""]])
    peer = pair.a.call("peer")
    assert not peer["failing_since"] and not peer["alerted_at"] and peer["last_success_at"]
    titles = [title for _user, title in pair.a.call("notifications", kind="exchange_peer_down")]
    assert len(titles) == 2 and "знову доступний" in titles[1]


def test_connection_cut_mid_transfer(pair):
    # (a) The request is cut in the middle of the package: B takes nothing, A tries again.
    cut = pair.send("Про графік вивезення відходів")
    size = len(b64(pair.a.call("container", message_id=cut)))
    log_before = pair.at_b()["log"]
    pair.proxy.fault("cut_request", n=400 + size // 2)
    pair.a.call("sweep")
    assert pair.proxy.done[-1] == ("cut_request", 400 + size // 2)
    row = pair.a.call("outbox")[cut]
    assert (row["state"], row["attempts"]) == ("pending", 1) and row["last_error"], row
    at_b = pair.at_b()
    assert cut not in at_b["deliveries"]
    # the half it got was no container: refused unsigned, nothing logged at B
    assert at_b["log"] == log_before
    pair.a.call("sweep")
    assert pair.a.call("outbox")[cut]["state"] == "sent"
    _once(pair, cut)

    # (b) B takes the package but its answer is lost: A sends again, B answers «duplicate».
    lost = pair.send("Про спільну тендерну закупівлю солі")
    pair.proxy.fault("cut_response")
    pair.a.call("sweep")
    row = pair.a.call("outbox")[lost]
    assert (row["state"], row["attempts"], row["last_status"]) == ("pending", 1, None), row
    assert row["last_error"], row
    assert _a_delivery(pair, lost)["status"] == "queued"
    _once(pair, lost)
    pair.a.call("sweep")
    row = pair.a.call("outbox")[lost]
    assert (row["state"], row["attempts"], row["ack"]) == ("sent", 2, "duplicate"), row
    _once(pair, lost)
    assert _a_delivery(pair, lost)["status"] == "delivered"
    log = [entry[2] for entry in pair.at_b()["log"] if entry[0] == lost]
    assert log == ["delivered", "duplicate"]

    # (c) The answer is cut after its first bytes ("HTTP/1.1 2"): a broken answer is a failed attempt
    # like any other (the sweep goes on), and the next attempt settles it.
    both = pair.send("Про зимове утримання доріг"), pair.send("Про зимове утримання доріг: графік")
    pair.proxy.fault("cut_response", n=10)
    assert pair.a.call("sweep") == {"sent": 2}
    outbox = pair.a.call("outbox")
    # Whichever went first met the fault; the sweep went on with the other.
    assert sorted((outbox[m]["state"], outbox[m]["ack"]) for m in both) == [
        ("pending", None),
        ("sent", "delivered"),
    ]
    [broken] = [m for m in both if outbox[m]["state"] == "pending"]
    assert outbox[broken]["attempts"] == 1 and "HTTP/1.1 2" in outbox[broken]["last_error"], outbox[broken]
    pair.a.call("sweep")
    row = pair.a.call("outbox")[broken]
    assert (row["state"], row["ack"]) == ("sent", "duplicate"), row
    for message_id in both:
        _once(pair, message_id)


def test_the_same_package_twice(pair):
    message_id = next(iter(pair.sent))
    status, body = post(pair.b.url, b64(pair.a.call("container", message_id=message_id)))
    ack = pair.ack(body)
    assert status == 200 and (ack["result"], ack["in_reply_to"]) == ("duplicate", message_id)
    _once(pair, message_id)


def test_out_of_order(pair):
    # The second letter arrives first (e.g. another worker sent it); the first follows; both once.
    earlier, later = pair.send("Про весняне прибирання"), pair.send("Про весняне прибирання: доповнення")
    status, body = post(pair.b.url, b64(pair.a.call("container", message_id=later)))
    assert status == 200 and pair.ack(body)["result"] == "delivered"
    pair.a.call("sweep")
    outbox = pair.a.call("outbox")
    assert (outbox[earlier]["state"], outbox[earlier]["ack"]) == ("sent", "delivered")
    assert (outbox[later]["state"], outbox[later]["ack"]) == ("sent", "duplicate")
    _once(pair, earlier)
    _once(pair, later)
    order = [
        entry[0] for entry in pair.at_b()["log"] if entry[0] in (earlier, later) and entry[2] == "delivered"
    ]
    assert order == [later, earlier]

    # The registration receipt comes before the acknowledgement of delivery.
    early = pair.send("Про межі земельних ділянок")
    pair.proxy.fault("cut_response")
    pair.a.call("sweep")
    assert pair.a.call("outbox")[early]["state"] == "pending"
    index = pair.b.call("register", message_id=early)
    _once(pair, early, status="registered")
    assert pair.b.call("sweep") == {"sent": 1}
    delivery = _a_delivery(pair, early)
    assert (delivery["status"], delivery["receipts"]) == ("registered", [["registered", index, ""]])
    pair.a.call("sweep")
    assert pair.a.call("outbox")[early]["state"] == "sent"
    delivery = _a_delivery(pair, early)
    assert delivery["status"] == "registered"
    assert delivery["receipts"] == [["delivered", "", ""], ["registered", index, ""]]


def _foreign_key(name: str) -> engine.SigningKey:
    ca_key, ca_cert = engine.ca_create(common_name=name + " ЦС", organisation=name)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = engine.certificate_issue(
        ca_key=ca_key,
        ca_cert=ca_cert,
        subject_name=name,
        organisation=name,
        public_key=key.public_key(),
        seal=True,
        valid_days=30,
        title=None,
        email=None,
        crl_url=None,
        ocsp_url=None,
    )
    return engine.SigningKey(private_key=key, certificate=cert)


def _package(key: engine.SigningKey, sender: str) -> tuple[str, bytes]:
    message_id = uuid.uuid4()
    content = "Підроблений лист".encode()
    message = protocol.envelope(
        type="package",
        message_id=message_id,
        sender={"id": sender, "name": "Самозванець"},
        recipient={"id": B_ID},
        document={
            "kind": "letter",
            "reg_index": "1/1",
            "reg_date": "2026-11-26",
            "summary": "Терміново сплатіть рахунок",
            "signed_by": "",
            "pages": 1,
        },
        files=[
            {
                "path": "files/001.txt",
                "name": "Лист.txt",
                "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content),
            }
        ],
    )
    return str(message_id), protocol.build(message, [("files/001.txt", content)], key)


def test_broken_signature_and_foreign_seal(pair):
    message_id = pair.send("Про тарифи на воду")  # waits in A's outbox
    container = b64(pair.a.call("container", message_id=message_id))
    status, body = post(pair.b.url, tamper(container))
    refusal = pair.unsigned(status, body)
    assert status == 403 and refusal["code"] == "bad_signature", refusal
    assert message_id not in pair.at_b()["deliveries"]

    # Signed with a seal that is not the one B's directory pins for A.
    forged_id, forged = _package(_foreign_key("Соснівська міська рада"), sender=A_ID)
    status, body = post(pair.b.url, forged)
    refusal = pair.unsigned(status, body)
    assert status == 403 and refusal["code"] == "bad_signature" and refusal["reason"]
    assert forged_id not in pair.at_b()["deliveries"]

    # The genuine package still goes through, once.
    pair.a.call("sweep")
    assert pair.a.call("outbox")[message_id]["state"] == "sent"
    _once(pair, message_id)
    log = [entry[2:4] for entry in pair.at_b()["log"] if entry[0] in (message_id, forged_id)]
    assert log == [["delivered", ""]]  # the refusals of unauthenticated messages are not stored


def test_unknown_sender(pair):
    message_id, data = _package(_foreign_key("Третя громада"), sender=STRANGER_ID)
    log_before = pair.at_b()["log"]
    status, body = post(pair.b.url, data)
    refusal = pair.unsigned(status, body)
    assert status == 403 and refusal["code"] == "unknown_sender" and message_id.encode() not in body
    at_b = pair.at_b()
    assert message_id not in at_b["deliveries"]
    assert at_b["log"] == log_before


def test_registrations_and_receipts_come_back(pair):
    at_b = pair.at_b()
    waiting = [m for m, [d] in at_b["deliveries"].items() if d["status"] == "delivered"]
    assert set(pair.sent) == set(at_b["deliveries"])  # everything A sent arrived, nothing else did
    rejected, *to_register = waiting
    assert pair.b.call("reject", message_id=rejected, reason=REJECT_REASON) == "rejected"
    for message_id in to_register:
        pair.b.call("register", message_id=message_id)
    # The first receipt's answer is lost on the way back: B sends it again, A takes it once.
    pair.back.fault("cut_response")
    assert pair.b.call("sweep") == {"sent": len(waiting)}
    assert sorted(m["state"] for m in pair.b.call("outbox").values() if m["delivery"] in waiting) == (
        ["pending"] + ["sent"] * (len(waiting) - 1)
    )
    assert pair.b.call("sweep") == {"sent": 1}

    at_b = pair.at_b()
    registered = {
        m: d["registered_as"] for m, [d] in at_b["deliveries"].items() if d["status"] == "registered"
    }
    assert len(registered) == len(pair.sent) - 1 and len(set(registered.values())) == len(registered)
    assert sorted(at_b["registered"]) == sorted([index, pair.sent[m]] for m, index in registered.items())

    # What A's administrator sees (the real command line).
    status = json.loads(pair.a.manage("exchange", "status"))
    outbound = {d["message_id"]: d for d in status["deliveries"] if d["route"] == "outbound"}
    assert set(outbound) == set(pair.sent)
    for message_id, delivery in outbound.items():
        if message_id == rejected:
            assert delivery["status"] == "rejected", delivery
            assert delivery["receipts"] == [["delivered", "", ""], ["rejected", "", REJECT_REASON]]
        else:
            assert delivery["status"] == "registered", delivery
            assert delivery["receipts"] == [["delivered", "", ""], ["registered", registered[message_id], ""]]
    assert {(m["type"], m["state"]) for m in status["outbox"]} == {("package", "sent")}
    assert len(status["outbox"]) == len(pair.sent)
    assert sorted((m["type"], m["result"]) for m in status["inbound"]) == (
        [("receipt", "delivered")] * len(pair.sent) + [("receipt", "duplicate")]
    )
    b_outbox = pair.b.call("outbox")
    assert {(m["type"], m["state"]) for m in b_outbox.values()} == {("receipt", "sent")}
    assert sorted(m["ack"] for m in b_outbox.values()) == ["delivered"] * (len(pair.sent) - 1) + ["duplicate"]
    assert len(b_outbox) == len(pair.sent)


def test_retried_until_the_directory_is_fixed(pair):
    """B's directory pins an old seal for A: to B the package is unauthenticated, so B refuses it unsigned
    and stores nothing; A takes that as a temporary error and keeps the package in its outbox. B's
    administrator fixes the card, A's next attempt goes through like any other."""
    stale = (
        _foreign_key("Соснівська міська рада").certificate.public_bytes(serialization.Encoding.PEM).decode()
    )
    pair.b.call("peer_add", card={**pair.a.card, "certificate": stale})
    log_before = pair.at_b()["log"]
    message_id = pair.send("Про співфінансування ремонту школи")
    pair.a.call("sweep")
    row = pair.a.call("outbox")[message_id]
    assert (row["state"], row["ack"], row["last_status"], row["attempts"]) == ("pending", None, 403, 1), row
    assert row["last_error"]
    delivery = _a_delivery(pair, message_id)
    assert delivery["status"] == "queued" and delivery["receipts"] == []
    assert message_id not in pair.at_b()["deliveries"] and pair.at_b()["log"] == log_before

    pair.b.call("peer_add", card=pair.a.card)
    pair.a.call("sweep")
    assert pair.a.call("outbox")[message_id]["state"] == "sent"
    _once(pair, message_id)
    delivery = _a_delivery(pair, message_id)
    assert (delivery["status"], delivery["receipts"]) == ("delivered", [["delivered", "", ""]]), delivery
    index = pair.b.call("register", message_id=message_id)
    assert pair.b.call("sweep") == {"sent": 1}
    delivery = _a_delivery(pair, message_id)
    assert delivery["status"] == "registered"
    assert delivery["receipts"] == [["delivered", "", ""], ["registered", index, ""]]
