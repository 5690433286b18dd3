"""Fixtures of exchange between installations shared by the protocol and the operations tests: the
installation CA, our participant (the water utility), a peer of another installation whose key is made
here, and a sealed package from that peer.

    tests/exchange/conftest.py imports the fixtures for this folder; elsewhere import them by name.
"""

from __future__ import annotations

import hashlib
import uuid

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ratusha.exchange import protocol
from ratusha.exchange.models import OutboxMessage
from ratusha.exchange.services import delivery_send, participant_enable, peer_save
from ratusha.registry.services import document_register
from ratusha.signatures import engine
from tests.factories import EmployeeFactory, JournalFactory
from tests.registry.conftest import file_input, make_pdf

PEER_ID = "26350001"
OUR_ID = "03361234"


@pytest.fixture
def ca(db):
    from ratusha.signatures.services import installation_ca_create

    return installation_ca_create(actor=None, name="Соснівка ЦС", organisation_name="Соснівська МР")


@pytest.fixture
def us(ca, enterprise, enterprise_incoming):
    enterprise.edrpou = OUR_ID
    enterprise.save()
    return participant_enable(actor=None, organisation=enterprise)


def other_key_make(name: str = "Вишнева сільська рада") -> engine.SigningKey:
    ca_key, ca_cert = engine.ca_create(common_name="Вишнева ЦС", organisation=name)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = engine.certificate_issue(ca_key=ca_key, ca_cert=ca_cert, subject_name=name, organisation=name,
                                    public_key=key.public_key(), seal=True, valid_days=30,
                                    title=None, email=None, crl_url=None, ocsp_url=None)
    return engine.SigningKey(private_key=key, certificate=cert)


def certificate_pem(key: engine.SigningKey) -> str:
    return key.certificate.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture
def other_key():
    return other_key_make()


@pytest.fixture
def peer(us, other_key):
    return peer_save(actor=None, participant_id=PEER_ID, name="Вишнева сільська рада", short_name="Вишнева СР",
                     endpoint="http://127.0.0.1:9/exchange/v1/", certificate=certificate_pem(other_key))


def package(key, *, message_id=None, sender=PEER_ID, recipient=OUR_ID, pdf=None) -> tuple[uuid.UUID, bytes]:
    """A sealed package from the peer (``key``) to our participant, as another installation sends it."""
    message_id = message_id or uuid.uuid4()
    pdf = pdf or make_pdf("Лист сусідньої громади")
    message = protocol.envelope(
        type="package", message_id=message_id, sender={"id": sender, "name": "Вишнева сільська рада"},
        recipient={"id": recipient}, document={
            "kind": "letter", "reg_index": "02-05/77", "reg_date": "2026-11-20", "summary": "Про спільний маршрут",
            "signed_by": "Ірина КОВАЛЬ", "access": "internal", "pages": 1, "attachments_note": ""},
        files=[{"path": "files/001.pdf", "name": "Лист про маршрут.pdf",
                "sha256": hashlib.sha256(pdf).hexdigest(), "size": len(pdf)}])
    return message_id, protocol.build(message, [("files/001.pdf", pdf)], key)


@pytest.fixture
def ops_admin(enterprise):
    return EmployeeFactory(organisation=enterprise, roles=["admin", "registrar"]).user


@pytest.fixture
def package_out(us, peer, enterprise, enterprise_clerk):
    """Our (the water utility's) letter to the peer: one package waiting in the outbox."""
    journal = JournalFactory(organisation=enterprise, kind="outgoing", index_template="{case}/{seq}",
                             default_case_index="02-01")
    letter = document_register(actor=enterprise_clerk, journal=journal, kind="letter",
                               summary="Про графік відключень водопостачання", signed_by="Петро ШЕВЧУК",
                               access="internal", files=[file_input("лист.pdf", make_pdf("Лист"))])
    [delivery] = delivery_send(actor=enterprise_clerk, document=letter, peers=[peer])
    return OutboxMessage.objects.get(delivery=delivery)
