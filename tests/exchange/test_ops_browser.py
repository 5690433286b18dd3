"""In Debian's Chromium: an administrator opens «Обмін: операції», retries a waiting package, sends a failed
one again, adds a peer from its pasted card (after a broken paste that keeps the text), edits it, and copies
our participant card. axe (WCAG 2.1 A/AA) on every state; screenshots of every section."""

from __future__ import annotations

import json
import uuid

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ratusha.exchange.constants import OutboxState
from ratusha.exchange.models import OutboxMessage, Peer
from ratusha.exchange.services.directory import participant_card
from tests.browser import BROWSER_MARKS, SHOTS, check_page, chromium, expect_status, flash, sign_in  # noqa: F401 (fixture)
from tests.exchange.fixtures import certificate_pem, other_key_make, package
from tests.factories import grant_installation_role

pytestmark = BROWSER_MARKS
REFUSED = "установка адресата не приймає з'єднань (вимкнена або недоступна) ([Errno 111] Connection refused)"


def _section_shot(page, section: str, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(f"#{section}").screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.fixture
def busy_exchange(client, us, peer, other_key, package_out):
    """A realistic day: one package waiting after a failed attempt, one failed for good, one delivered,
    a peer that is down, and what peers sent us (accepted, a repeat, a refusal)."""
    now = timezone.now()
    OutboxMessage.objects.filter(pk=package_out.pk).update(
        attempts=3, last_attempt_at=now, last_status=None, last_error=REFUSED)
    failed = OutboxMessage.objects.get(pk=package_out.pk)
    failed.pk = None
    failed.message_id = uuid.uuid4()
    failed.state, failed.attempts, failed.last_status, failed.last_error = OutboxState.FAILED, 76, 502, "HTTP 502"
    failed.save()
    Peer.objects.filter(pk=peer.pk).update(failing_since=now, alerted_at=now, last_error=REFUSED)
    _, good = package(other_key)
    _, elsewhere = package(other_key, recipient="11111111")  # a verified peer's refusal is logged
    _, stranger = package(other_key, sender="99999999")  # an unknown sender's is only counted
    for data in (good, good, elsewhere, stranger):
        client.post("/exchange/v1/messages", data=data, content_type="application/vnd.etsi.asic-e+zip")
    return failed


def test_operations_page(ops_admin, busy_exchange, us, peer, live_server, chromium):  # noqa: F811 — data first: signing runs asyncio
    base = live_server.url
    grant_installation_role(ops_admin, "installation_admin")  # the directory of peers is the installation's
    device = TOTPDevice.objects.create(user=ops_admin, name="Телефон", confirmed=True)
    admin = sign_in(chromium, base, ops_admin, device=device)
    admin.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)

    # The navigation and the exchange pages lead here.
    admin.goto(f"{base}/office/exchange/")
    check_page(admin, "ops-inbox-header")
    admin.get_by_role("link", name="Обмін: операції").first.click()
    admin.wait_for_url(f"{base}/office/exchange/ops/")
    check_page(admin, "ops-page")
    for section in ("outbox", "inbound", "peers", "participants"):
        _section_shot(admin, section, f"ops-{section}")
    assert "ops-row--refused" in admin.locator("#inbound").inner_html()
    assert "понад ліміт): 1." in admin.locator("#unauthenticated-today").inner_text()
    assert "Недоступний з" in admin.locator(f"#peer-{peer.pk}").inner_text()

    # «Надіслати знову» for the failed one, «Спробувати зараз» for the waiting one.
    admin.goto(f"{base}/office/exchange/ops/?state=failed#outbox")
    admin.get_by_role("button", name="Надіслати знову").click()
    assert "надсилається знову" in flash(admin)
    busy_exchange.refresh_from_db()
    assert busy_exchange.state == OutboxState.PENDING
    admin.goto(f"{base}/office/exchange/ops/?state=pending#outbox")
    admin.get_by_role("button", name="Спробувати зараз").first.click()
    assert "поставлено на надсилання зараз" in flash(admin)
    check_page(admin, "ops-after-retry")

    # A broken paste keeps the text and says what is wrong; then the whole card.
    admin.goto(f"{base}/office/exchange/ops/#peers")
    admin.get_by_text("Додати учасника", exact=True).click()
    admin.get_by_label("Картка учасника (JSON)").fill('{"id": "4455')
    admin.get_by_role("button", name="Додати до довідника").click()
    admin.locator("#peer-add .alert--error").wait_for()  # the re-rendered page (its 400 is logged by then)
    expect_status(admin, 400)
    assert admin.get_by_label("Картка учасника (JSON)").input_value() == '{"id": "4455'
    assert "Картка учасника має бути JSON-об'єктом." in admin.locator("#peer-add").inner_text()
    check_page(admin, "ops-peer-add-error")
    _section_shot(admin, "peer-add", "ops-peer-add-error-form")
    card = {"protocol": "ratusha-exchange/1", "id": "44556677", "name": "КП «Вишневе ЖКГ»",
            "short_name": "Вишневе ЖКГ", "endpoint": "https://vyshneve.example.ua/exchange/v1/",
            "certificate": certificate_pem(other_key_make("КП «Вишневе ЖКГ»"))}
    admin.get_by_label("Картка учасника (JSON)").fill(json.dumps(card, ensure_ascii=False))
    admin.get_by_role("button", name="Додати до довідника").click()
    assert "додано до довідника" in flash(admin)
    added = Peer.objects.get(participant_id="44556677")
    assert admin.url.endswith(f"#peer-{added.pk}")
    check_page(admin, "ops-peer-added")

    # Edit it.
    admin.get_by_role("link", name="Змінити Вишневе ЖКГ").click()
    check_page(admin, "ops-peer-edit")
    admin.get_by_label("Скорочена назва").fill("ЖКГ Вишневе")
    admin.get_by_role("button", name="Зберегти").click()
    assert "збережено" in flash(admin)
    added.refresh_from_db()
    assert added.short_name == "ЖКГ Вишневе"

    # Our card: shown, copied with one click.
    admin.goto(f"{base}/office/exchange/ops/#participants")
    admin.locator("#participants").get_by_text("Наша картка учасника для інших установок").click()
    admin.get_by_role("button", name="Копіювати").click()
    admin.get_by_text("Картку скопійовано.").wait_for()
    copied = admin.evaluate("navigator.clipboard.readText()")
    assert json.loads(copied) == participant_card(us)
    check_page(admin, "ops-card-copied")
    _section_shot(admin, "participants", "ops-participants-card")
