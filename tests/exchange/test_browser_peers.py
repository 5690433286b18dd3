"""In Chromium: the council's clerk sends a letter to a participant of another installation from the card;
the peer is down, so the card says the package is queued and why; then the peer's signed receipts (sent
here as the other installation would) turn it into «Зареєстровано адресатом». axe on the card."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from ratusha.exchange import protocol
from ratusha.exchange.constants import DeliveryStatus
from ratusha.exchange.models import Delivery
from ratusha.exchange.services import participant_enable
from tests.browser import BROWSER_MARKS, check_page, chromium, flash, sign_in  # noqa: F401 (fixture)
from tests.exchange.fixtures import PEER_ID

pytestmark = BROWSER_MARKS


@pytest.mark.usefixtures("us")
def test_card_sends_to_another_installation(chromium, live_server, client, letter, council, council_clerk, peer,  # noqa: F811
                                           other_key):
    council.edrpou = "04051234"
    council.save()
    participant_enable(actor=None, organisation=council)
    base = live_server.url
    page = sign_in(chromium, base, council_clerk)
    page.goto(f"{base}/office/documents/{letter.pk}/")
    page.get_by_text("Надіслати організаціям громади").click()
    page.get_by_label("Вишнева СР", exact=True).check()
    check_page(page, "exchange-card-send-peer")
    page.get_by_role("button", name="Надіслати", exact=True).click()
    assert "Документ надіслано адресатам" in flash(page)
    panel = page.locator("#addressees").inner_text()
    assert "Вишнева СР" in panel and "Надсилається до іншої установки" in panel
    assert "Спроб: 1" in panel  # the worker tried at once; nobody listens on the peer's port
    check_page(page, "exchange-card-queued")

    delivery = Delivery.objects.get(document=letter)
    message = protocol.envelope(type="receipt", message_id=uuid.uuid4(), sender={"id": PEER_ID},
                                recipient={"id": "04051234"}, in_reply_to=str(delivery.message_id),
                                receipt={"kind": "registered", "at": "2026-11-26T11:00:00+00:00",
                                         "reg_index": "77/02-05", "reg_date": "2026-11-26"})
    # Signing runs asyncio; Playwright's loop owns this thread, so the peer's side runs in another one.
    with ThreadPoolExecutor(1) as pool:
        response = pool.submit(lambda: client.post(
            "/exchange/v1/messages", data=protocol.build(message, [], other_key),
            content_type="application/vnd.etsi.asic-e+zip")).result()
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.REGISTERED
    page.reload()
    panel = page.locator("#addressees").inner_text()
    assert "Зареєстровано адресатом" in panel and "77/02-05" in panel
    check_page(page, "exchange-card-peer-registered")
