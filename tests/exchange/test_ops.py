"""«Обмін: операції» (``/office/exchange/ops/``): administrators only; the outbox with «Спробувати зараз» and
«Надіслати знову», the log of what peers sent us, the directory of peers (a pasted card or fields, errors
that keep what was typed), and our organisations' participation with their card.

An organisation's administrator (here the water utility's) sees and retries its own organisation's messages
and manages its participation; the directory of peers and the refusals that reached no organisation are
the installation administrator's (docs/architecture.md rule 5)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ratusha.core.models import AuditEvent
from ratusha.exchange.constants import OutboxState
from ratusha.exchange.models import OutboxMessage, Participant, Peer
from ratusha.exchange.services.directory import participant_card
from ratusha.signatures import engine
from tests.exchange.fixtures import PEER_ID, certificate_pem, other_key_make, package
from tests.factories import EmployeeFactory, grant_installation_role
from tests.orgs.conftest import login_verified

OPS = "/office/exchange/ops/"


@pytest.fixture
def council_admin(council):
    return EmployeeFactory(organisation=council, roles=["admin"]).user


@pytest.fixture
def admin_client(client, ops_admin):
    return login_verified(client, ops_admin)


@pytest.fixture
def installation_client(client, council):
    user = grant_installation_role(EmployeeFactory(organisation=council, roles=["executor"]).user,
                                   "installation_admin")
    return login_verified(client, user)


def _flash(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _follow(client, response):
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"])


# --- who may open it ------------------------------------------------------------------------------------

def test_only_administrators_open_the_page(client, us, peer, enterprise_clerk, ops_admin, package_out):
    assert client.get(OPS).status_code == 302  # to the login page
    client.force_login(enterprise_clerk)
    assert client.get(OPS).status_code == 403
    assert client.post(f"{OPS}outbox/{package_out.pk}/retry/").status_code == 403
    assert client.post(f"{OPS}peers/add/", {"participant_id": "12345678"}).status_code == 403
    assert client.post(f"{OPS}peers/{peer.pk}/active/", {"active": "0"}).status_code == 403
    assert client.get(f"{OPS}card/{us.pk}.json").status_code == 403
    inbox = client.get("/office/exchange/").content.decode()
    assert OPS not in inbox  # neither the header link nor the navigation offer it
    peer.refresh_from_db()
    assert peer.is_active and Peer.objects.count() == 1

    login_verified(client, ops_admin)
    page = client.get(OPS)
    assert page.status_code == 200
    html = page.content.decode()
    for heading in ("Черга надсилання", "Отримані повідомлення", "Організації цієї установки в обміні"):
        assert heading in html
    assert f'href="{OPS}"' in client.get("/office/exchange/").content.decode()
    assert f'href="{OPS}"' in client.get("/office/exchange/sent/").content.decode()
    # The enterprise's administrator: no directory of peers (the installation's), neither shown nor changed.
    assert "Учасники інших установок" not in html and f'id="peer-{peer.pk}"' not in html
    assert client.post(f"{OPS}peers/add/", {"participant_id": "12345678"}).status_code == 403
    assert client.get(f"{OPS}peers/{peer.pk}/").status_code == 403
    assert client.post(f"{OPS}peers/{peer.pk}/active/", {"active": "0"}).status_code == 403
    peer.refresh_from_db()
    assert peer.is_active

    # Granted the installation administrator's role explicitly, the same person sees and keeps it.
    grant_installation_role(ops_admin, "installation_admin")
    html = client.get(OPS).content.decode()
    assert "Учасники інших установок" in html and f'id="peer-{peer.pk}"' in html


def test_an_administrator_of_another_organisation_sees_no_foreign_messages(client, council_admin, package_out, us):
    login_verified(client, council_admin)
    page = client.get(OPS)
    assert page.status_code == 200
    assert "Про графік відключень водопостачання" not in page.content.decode()
    assert client.post(f"{OPS}outbox/{package_out.pk}/retry/").status_code == 404
    assert client.get(f"{OPS}card/{us.pk}.json").status_code == 404
    assert client.post(f"{OPS}participants/{us.pk}/disable/").status_code == 404
    us.refresh_from_db()
    assert us.is_active


# --- the outbox -------------------------------------------------------------------------------------------

def test_outbox_row_and_retry_now(admin_client, package_out, django_capture_on_commit_callbacks):
    html = admin_client.get(OPS).content.decode()
    assert "Вишнева СР" in html and "Про графік відключень водопостачання" in html
    assert f"/office/documents/{package_out.delivery.document_id}/" in html
    assert f"{OPS}outbox/{package_out.pk}/retry/" in html and f"{OPS}outbox/{package_out.pk}/resend/" not in html

    # The peer's installation (port 9 of this machine) does not answer: the attempt is made now and fails.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{OPS}outbox/{package_out.pk}/retry/", {"state": "pending"})
    assert response["Location"] == f"{OPS}?state=pending#outbox"
    page = _follow(admin_client, response)
    assert "поставлено на надсилання зараз" in _flash(page)
    package_out.refresh_from_db()
    assert package_out.state == OutboxState.PENDING and package_out.attempts == 1 and package_out.last_error
    assert package_out.next_attempt_at > package_out.last_attempt_at
    html = page.content.decode()
    # The reason in words (the outbox names the network failure), with its detail.
    assert "Спроб: 1" in html and "Установка адресата не приймає з&#x27;єднань" in html
    assert AuditEvent.objects.filter(action="exchange.message_retry").count() == 1


def test_failed_message_is_sent_again(admin_client, package_out):
    OutboxMessage.objects.filter(pk=package_out.pk).update(
        state=OutboxState.FAILED, attempts=76, last_status=502, last_error="HTTP 502",
        last_attempt_at=timezone.now())
    page = admin_client.get(OPS + "?state=failed")
    html = page.content.decode()
    assert f"{OPS}outbox/{package_out.pk}/resend/" in html and "Сервер адресата повернув помилку (HTTP 502)" in html
    assert [s for s in page.context["filters"] if s[0] == "failed"][0][2] == 1
    assert admin_client.get(OPS + "?state=sent").context["page_obj"].object_list == []

    # A pending message cannot be «sent again», a failed one cannot be «retried now»: a clear message.
    refused = _follow(admin_client, admin_client.post(f"{OPS}outbox/{package_out.pk}/retry/"))
    assert "Повідомлення вже опрацьовано: Не вдалося надіслати" in _flash(refused)

    response = admin_client.post(f"{OPS}outbox/{package_out.pk}/resend/", {"state": "failed"})
    assert "надсилається знову" in _flash(_follow(admin_client, response))
    package_out.refresh_from_db()
    assert (package_out.state, package_out.attempts) == (OutboxState.PENDING, 0)
    again = _follow(admin_client, admin_client.post(f"{OPS}outbox/{package_out.pk}/resend/"))
    assert "Повідомлення вже опрацьовано" in _flash(again)


# --- what peers sent us ------------------------------------------------------------------------------------

def test_inbound_log_shows_accepted_and_refused(installation_client, client, us, peer, other_key):
    _, good = package(other_key)
    _, elsewhere = package(other_key, recipient="11111111")
    _, stranger = package(other_key, sender="99999999")
    for data in (good, good, elsewhere, stranger, b"garbage"):
        client.post("/exchange/v1/messages", data=data, content_type="application/vnd.etsi.asic-e+zip")
    page = installation_client.get(OPS)
    log = page.context["inbound"]
    assert [m.result for m in log] == ["refused", "duplicate", "delivered"]  # unauthenticated ones: not stored
    html = page.content.decode()
    assert "ops-row--refused" in html and "Адресата немає в цій установці" in html
    assert "99999999" not in html
    assert page.context["unauthenticated_today"] == 2 and "понад ліміт): 2." in html
    delivery = log[2].delivery
    assert f"/office/exchange/in/{delivery.pk}/" in html
    refused_only = installation_client.get(OPS + "?log=refused").context["inbound"]
    assert [m.code for m in refused_only] == ["unknown_recipient"]


def test_an_organisation_administrator_sees_only_its_own_inbound(client, ops_admin, us, peer, other_key):
    _, good = package(other_key)
    _, stranger = package(other_key, sender="99999999")
    for data in (good, stranger):
        client.post("/exchange/v1/messages", data=data, content_type="application/vnd.etsi.asic-e+zip")
    login_verified(client, ops_admin)
    page = client.get(OPS)
    assert [m.result for m in page.context["inbound"]] == ["delivered"]  # the unknown sender is not theirs
    assert page.context["refused_count"] == 0 and "99999999" not in page.content.decode()


# --- the directory of peers ---------------------------------------------------------------------------------

def _card(key, **over) -> str:
    card = {"protocol": "ratusha-exchange/1", "id": "44556677", "name": "КП «Вишневе ЖКГ»", "short_name": "Вишневе ЖКГ",
            "endpoint": "https://vyshneve.example.ua/exchange/v1/", "certificate": certificate_pem(key)}
    card.update(over)
    return json.dumps(card, ensure_ascii=False)


def test_add_a_peer_from_its_card(installation_client, us):
    key = other_key_make("КП «Вишневе ЖКГ»")
    response = installation_client.post(f"{OPS}peers/add/", {"card": _card(key)})
    added = Peer.objects.get(participant_id="44556677")
    assert response["Location"] == f"{OPS}#peer-{added.pk}"
    assert (added.name, added.short_name, added.endpoint) == (
        "КП «Вишневе ЖКГ»", "Вишневе ЖКГ", "https://vyshneve.example.ua/exchange/v1/")
    page = _follow(installation_client, response)
    html = page.content.decode()
    assert f'id="peer-{added.pk}"' in html
    grouped = " ".join(added.fingerprint.upper()[i:i + 4] for i in range(0, 64, 4))
    assert grouped in html  # read aloud by phone in groups of four
    assert AuditEvent.objects.filter(action="exchange.peer_saved").exists()


def test_bad_peer_input_keeps_what_was_typed(installation_client, us, peer, other_key):
    broken = installation_client.post(f"{OPS}peers/add/", {"card": '{"id": "4455'})
    assert broken.status_code == 400
    form = broken.context["peer_form"]
    assert form.errors["card"] == ["Картка учасника має бути JSON-об'єктом."]
    assert '{&quot;id&quot;: &quot;4455' in broken.content.decode()

    typed = {"participant_id": "44556677", "name": "КП «Вишневе ЖКГ»", "short_name": "", "endpoint": "ftp://x",
             "certificate": certificate_pem(other_key_make())}
    wrong_url = installation_client.post(f"{OPS}peers/add/", typed)
    assert wrong_url.status_code == 400
    assert wrong_url.context["peer_form"].errors["endpoint"]
    html = wrong_url.content.decode()
    assert 'value="ftp://x"' in html and "КП «Вишневе ЖКГ»" in html

    not_a_cert = installation_client.post(f"{OPS}peers/add/", {**typed, "endpoint": "https://v.example.ua/exchange/v1/",
                                                        "certificate": "not a certificate"})
    assert not_a_cert.context["peer_form"].errors["certificate"]

    # A card with a taken id: the fields show what the card held, the error sits at the id.
    duplicate = installation_client.post(f"{OPS}peers/add/", {"card": _card(other_key, id=PEER_ID)})
    assert duplicate.status_code == 400
    form = duplicate.context["peer_form"]
    assert form.errors["participant_id"] == ["Учасник з таким ідентифікатором уже є в довіднику."]
    assert form["endpoint"].value() == "https://vyshneve.example.ua/exchange/v1/"
    assert Peer.objects.count() == 1


def test_edit_disable_and_enable_a_peer(installation_client, peer):
    page = installation_client.get(f"{OPS}peers/{peer.pk}/")
    assert page.status_code == 200
    form = page.context["form"]
    assert form["participant_id"].value() == PEER_ID and "BEGIN CERTIFICATE" in form["certificate"].value()
    data = {name: form[name].value() for name in ("participant_id", "name", "short_name", "certificate")}
    bad = installation_client.post(f"{OPS}peers/{peer.pk}/", {**data, "endpoint": ""})
    assert bad.status_code == 400 and bad.context["form"].errors["endpoint"]
    saved = installation_client.post(f"{OPS}peers/{peer.pk}/", {**data, "endpoint": "https://vyshneva.example.ua/exchange/v1"})
    assert saved["Location"] == f"{OPS}#peer-{peer.pk}"
    peer.refresh_from_db()
    assert peer.endpoint == "https://vyshneva.example.ua/exchange/v1/"

    off = _follow(installation_client, installation_client.post(f"{OPS}peers/{peer.pk}/active/", {"active": "0"}))
    assert "вимкнено" in _flash(off)
    peer.refresh_from_db()
    assert not peer.is_active
    installation_client.post(f"{OPS}peers/{peer.pk}/active/", {"active": "1"})
    peer.refresh_from_db()
    assert peer.is_active
    assert installation_client.get(f"{OPS}peers/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_down_peer_is_shown_with_its_error(installation_client, peer):
    now = timezone.now()
    Peer.objects.filter(pk=peer.pk).update(failing_since=now, alerted_at=now, last_error="установка адресата не відповіла вчасно (timed out)")
    page = installation_client.get(OPS)
    html = page.content.decode()
    assert page.context["peers_down"] == 1
    assert "Недоступний з" in html and "Установка адресата не відповіла вчасно (timed out)" in html and "Адміністраторів сповіщено" in html


# --- our organisations ---------------------------------------------------------------------------------------

def test_connect_and_disconnect_our_organisation(admin_client, ca, enterprise, enterprise_incoming):
    page = admin_client.get(OPS)
    assert "Не підключено" in page.content.decode()
    no_code = _follow(admin_client, admin_client.post(f"{OPS}participants/enable/",
                                                      {"organisation": enterprise.pk, "quick": "1"}))
    assert "Спершу вкажіть код ЄДРПОУ" in _flash(no_code)
    assert not Participant.objects.exists()

    enterprise.edrpou = "03361234"
    enterprise.save()
    done = admin_client.post(f"{OPS}participants/enable/", {"organisation": enterprise.pk, "quick": "1"})
    assert done["Location"] == f"{OPS}#participants"
    participant = Participant.objects.get(organisation=enterprise)
    html = _follow(admin_client, done).content.decode()
    assert "Підключено" in html and "Копіювати" in html and f"{OPS}card/{participant.pk}.json" in html
    assert "03361234" in html and "/exchange/v1/" in html

    card = admin_client.get(f"{OPS}card/{participant.pk}.json")
    assert card["Content-Disposition"] == 'attachment; filename="ratusha-participant-03361234.json"'
    assert json.loads(card.content) == participant_card(participant)

    admin_client.post(f"{OPS}participants/{participant.pk}/disable/")
    participant.refresh_from_db()
    assert not participant.is_active


def test_connect_with_an_imported_seal(admin_client, ca, enterprise, enterprise_incoming):
    enterprise.edrpou = "03361234"
    enterprise.save()
    key = other_key_make("КП «Соснівкаводоканал»")
    p12 = engine.pkcs12_encrypt(key, "правильний пароль")
    wrong = admin_client.post(f"{OPS}participants/enable/", {
        "organisation": enterprise.pk, "pkcs12": SimpleUploadedFile("seal.p12", p12), "passphrase": "інший"})
    assert wrong.status_code == 400
    assert wrong.context["enable_form"].errors["pkcs12"] == ["Неправильний пароль до ключа."]
    assert 'id="seal-import" open' in wrong.content.decode()
    assert not Participant.objects.exists()

    ok = admin_client.post(f"{OPS}participants/enable/", {
        "organisation": enterprise.pk, "pkcs12": SimpleUploadedFile("seal.p12", p12), "passphrase": "правильний пароль"})
    assert ok.status_code == 302
    participant = Participant.objects.get(organisation=enterprise)
    from ratusha.signatures.services._common import fingerprint

    assert participant.fingerprint == fingerprint(key.certificate)
