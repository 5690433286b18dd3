"""The training neighbour installation (``ratusha neighbour``) and the demo's exchange participants.

The neighbour's set-up runs against the test database and data dir; the main installation is played by a
card made here (its seal from another CA) and by a stand-in for ``GET <main>/exchange/v1/`` and for
``ratusha manage`` in the main data dir. The real two-process run is described in docs/training/exchange.md.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ratusha.cli import build_parser
from ratusha.core.storage import blob_read
from ratusha.exchange import protocol
from ratusha.exchange.constants import DeliveryStatus, OutboxState, Route
from ratusha.exchange.models import Delivery, OutboxMessage, Participant, Peer
from ratusha.orgs.models import Organisation
from ratusha.registry.constants import JournalKind
from ratusha.registry.models import Document, Journal
from ratusha.signatures import engine
from ratusha.training import neighbour

pytestmark = pytest.mark.django_db

MAIN = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def _own_blob_dir(settings, tmp_path):
    settings.BLOB_DIR = tmp_path / "blobs"


def _main_card(participant_id: str = neighbour.MAIN_RECIPIENT,
               name: str = "Виконавчий комітет Соснівської міської ради", short_name: str = "Виконком") -> dict:
    """A participant of the main installation, sealed by that installation's own CA (not ours)."""
    ca_key, ca_cert = engine.ca_create(common_name="Соснівка: ЦС установи", organisation="Соснівська МР")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = engine.certificate_issue(ca_key=ca_key, ca_cert=ca_cert, subject_name=short_name, organisation=short_name,
                                    public_key=key.public_key(), seal=True, valid_days=30, title=None, email=None,
                                    crl_url=None, ocsp_url=None)
    return {"protocol": "ratusha-exchange/1", "id": participant_id, "name": name, "short_name": short_name,
            "endpoint": MAIN + "/exchange/v1/", "fingerprint": protocol.fingerprint(cert),
            "certificate": cert.public_bytes(serialization.Encoding.PEM).decode()}


class _Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def main_online(monkeypatch):
    """``GET <main>/exchange/v1/`` answers with the committee's and the water utility's cards."""
    cards = [_main_card(), _main_card("03361520", "КП «Соснівкаводоканал»", "КП «Соснівкаводоканал»")]
    asked = []

    def urlopen(url, timeout=None):
        asked.append(url)
        return _Response(json.dumps({"participants": cards}, ensure_ascii=False).encode())

    monkeypatch.setattr(neighbour.urllib.request, "urlopen", urlopen)
    return asked


@pytest.fixture
def main_manage(monkeypatch):
    """``ratusha manage …`` run in the main installation's data dir: the calls, as the command sees them."""
    calls = []

    def run(argv, env, **kwargs):
        calls.append({"argv": argv, "env": env})
        return subprocess.CompletedProcess(argv, 0, stdout="{}", stderr="")

    monkeypatch.setattr(neighbour.subprocess, "run", run)
    return calls


def test_setup_creates_the_council_its_journals_clerk_and_seal_once(client):
    lines = []
    org = neighbour.neighbour_setup(log=lines.append)
    assert (org.name, org.edrpou, org.code) == ("Вишнева сільська рада", "26350001", "vyshneva")
    assert set(Journal.objects.filter(organisation=org).values_list("kind", flat=True)) == {
        JournalKind.INCOMING, JournalKind.OUTGOING}
    participant = Participant.objects.get(organisation=org, is_active=True)
    card = neighbour.own_card(org)
    assert card["id"] == "26350001" and card["name"] == "Вишнева сільська рада"
    assert card["fingerprint"] == participant.fingerprint and card["endpoint"].endswith("/exchange/v1/")
    # The clerk signs in with the published training password and sees the exchange queue.
    assert client.login(username="vyshneva", password="sosnivka-demo")
    page = client.get("/office/exchange/")
    assert page.status_code == 200
    # Idempotent: a second start keeps the same organisation, seal and accounts.
    again = neighbour.neighbour_setup(log=lines.append)
    assert again.pk == org.pk and Organisation.objects.count() == 1
    assert Participant.objects.get(organisation=org).fingerprint == participant.fingerprint
    assert Journal.objects.filter(organisation=org).count() == 2


def test_start_exchanges_cards_and_sends_one_letter_to_the_committee(tmp_path, settings, main_online, main_manage):
    settings.DATA_DIR = tmp_path
    lines = []
    org = neighbour.start(main=MAIN, port=8001, main_data_dir=tmp_path / "main", main_env={"PATH": "/usr/bin"},
                          log=lines.append)
    # The main installation's participants are in our directory…
    assert main_online == [MAIN + "/exchange/v1/"]
    assert set(Peer.objects.values_list("participant_id", flat=True)) == {"04051240", "03361520"}
    # …and our card went to the main installation's directory, with its data dir and http allowed.
    [call] = main_manage
    card_path = tmp_path / neighbour.CARD_FILE
    assert call["argv"][-3:] == ["exchange", "peer-add", str(card_path)]
    assert call["env"]["RATUSHA_DATA_DIR"] == str(tmp_path / "main")
    assert call["env"]["RATUSHA_EXCHANGE_ALLOW_HTTP"] == "1"
    assert json.loads(card_path.read_text(encoding="utf-8"))["id"] == "26350001"
    # One letter to the committee, sealed into a package in the outbox (the worker sends it).
    delivery = Delivery.objects.get(route=Route.OUTBOUND, sender=org)
    assert delivery.peer.participant_id == "04051240" and delivery.status == DeliveryStatus.QUEUED
    assert delivery.document.summary == neighbour.LETTER_SUMMARY
    assert delivery.document.journal.kind == JournalKind.OUTGOING
    outbox = OutboxMessage.objects.get(delivery=delivery)
    assert outbox.state == OutboxState.PENDING
    package = blob_read(outbox.container_id)
    opened = protocol.open_container(package)
    protocol.check_seal(package, engine_cert(org))
    assert opened.sender_id == "26350001" and opened.recipient_id == "04051240"
    [(name, pdf)] = protocol.package_files(opened)
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
    assert delivery.document.reg_index in _pdf_text(pdf)
    assert any("Надіслано лист" in line for line in lines)
    # A second start refreshes the directory but sends nothing new.
    neighbour.start(main=MAIN, port=8001, main_data_dir=tmp_path / "main", main_env={}, log=lines.append)
    assert Delivery.objects.filter(route=Route.OUTBOUND).count() == 1
    assert Document.objects.filter(organisation=org).count() == 1
    assert Peer.objects.count() == 2


def engine_cert(org):
    from ratusha.exchange.services.directory import participant_key

    return participant_key(org.exchange_participant).certificate


def _pdf_text(pdf: bytes) -> str:
    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_without_registering_it_prints_the_instruction_and_sends_nothing(tmp_path, settings, main_online,
                                                                          main_manage):
    settings.DATA_DIR = tmp_path
    lines = []
    neighbour.start(main=MAIN, port=8001, main_data_dir=Path("/srv/ratusha"), main_env={}, register=False,
                    log=lines.append)
    assert main_manage == []
    text = "\n".join(lines)
    assert f"RATUSHA_DATA_DIR=/srv/ratusha ratusha manage exchange peer-add {tmp_path / neighbour.CARD_FILE}" in text
    # A package from a sender the main installation does not know would be refused for good: none is sent.
    assert not Delivery.objects.exists()
    assert Peer.objects.count() == 2


def test_a_main_installation_without_participants_gets_them_enabled(tmp_path, settings, monkeypatch, main_manage):
    settings.DATA_DIR = tmp_path
    answers = iter([[], [_main_card()]])
    monkeypatch.setattr(neighbour, "main_cards", lambda main, **kwargs: next(answers))
    neighbour.start(main=MAIN, port=8001, main_data_dir=tmp_path, main_env={}, log=lambda _msg: None)
    assert [c["argv"][-4:] for c in main_manage] == [
        ["exchange", "enable", "--org", "demo-vykonkom"], ["exchange", "enable", "--org", "demo-vodokanal"],
        ["manage", "exchange", "peer-add", str(tmp_path / neighbour.CARD_FILE)]]
    assert Delivery.objects.filter(peer__participant_id="04051240").exists()


def test_main_not_running_is_a_clear_error(monkeypatch):
    def refuse(url, timeout=None):
        raise neighbour.urllib.error.URLError("Connection refused")

    monkeypatch.setattr(neighbour.urllib.request, "urlopen", refuse)
    with pytest.raises(ConnectionError, match="make run"):
        neighbour.main_cards(MAIN, wait_seconds=0)


def test_the_neighbour_never_uses_the_main_database_and_has_its_own_address(tmp_path):
    env = neighbour.neighbour_env(base={"PATH": "/usr/bin", "DATABASE_URL": "postgres://x/main",
                                        "RATUSHA_DATABASE_URL": "postgres://x/main", "RATUSHA_DEMO": "1",
                                        "RATUSHA_DATA_DIR": "/srv/main"}, data_dir=tmp_path, port=8001)
    assert "DATABASE_URL" not in env and "RATUSHA_DATABASE_URL" not in env and "RATUSHA_DEMO" not in env
    assert env["RATUSHA_DATA_DIR"] == str(tmp_path)
    assert env["RATUSHA_BASE_URL"] == "http://localhost:8001"  # another host name: its own cookies
    assert env["RATUSHA_EXCHANGE_ALLOW_HTTP"] == "1" and env["PATH"] == "/usr/bin"
    args = build_parser().parse_args(["neighbour"])
    assert (args.port, args.main, args.no_register) == (8001, "http://127.0.0.1:8000", False)


# --- the main demo ------------------------------------------------------------------------------------

def test_demo_committee_and_water_utility_become_participants_once(client):
    """``load_installations`` (called by the demo loader after ``load_exchange``; the full load is checked in
    test_demo.py) on the demo's organisations: both publish their cards at ``GET /exchange/v1/``."""
    from ratusha.signatures.services import installation_ca_create
    from ratusha.training.demo_exchange import load_installations
    from tests.factories import OrganisationFactory

    lines = []
    assert load_installations(log=lines.append) == [] and "ЦС установи немає" in lines[0]
    installation_ca_create(actor=None, name="Соснівка: ЦС установи", organisation_name="Соснівська МР")
    OrganisationFactory(code="demo-vykonkom", short_name="Виконком", edrpou="04051240")
    OrganisationFactory(code="demo-vodokanal", short_name="КП «Соснівкаводоканал»", edrpou="03361520")
    OrganisationFactory(code="demo-elektrotrans", edrpou="05541234")  # not a participant
    assert sorted(load_installations(log=lines.append)) == ["Виконком", "КП «Соснівкаводоканал»"]
    participants = Participant.objects.filter(is_active=True).select_related("organisation")
    assert {p.organisation.code for p in participants} == {"demo-vykonkom", "demo-vodokanal"}
    listed = client.get("/exchange/v1/").json()["participants"]
    assert {c["id"] for c in listed} == {"04051240", "03361520"}
    # Idempotent: a second call keeps the seals.
    before = {p.pk: p.fingerprint for p in participants}
    load_installations(log=lines.append)
    assert {p.pk: p.fingerprint for p in Participant.objects.all()} == before
