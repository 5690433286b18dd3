"""In Debian's Chromium: the council's clerk sends a letter to a municipal enterprise from the card, the
enterprise's clerk registers it from the queue, and the council's card shows the registration receipt.
axe (WCAG 2.1 A/AA) on every page."""

import pytest

from tests.browser import BROWSER_MARKS, check_page, chromium, flash, sign_in  # noqa: F401 (fixture)

pytestmark = BROWSER_MARKS


@pytest.mark.usefixtures("enterprise_incoming")
def test_send_register_and_receipt(chromium, live_server, letter, council_clerk, enterprise_clerk, transport):  # noqa: F811
    base = live_server.url
    council = sign_in(chromium, base, council_clerk)
    council.goto(f"{base}/office/documents/{letter.pk}/")
    council.get_by_text("Надіслати організаціям громади").click()
    check_page(council, "exchange-card-send")
    council.get_by_label("Водоканал", exact=True).check()
    council.get_by_role("button", name="Надіслати", exact=True).click()
    assert "Документ надіслано адресатам" in flash(council)

    clerk = sign_in(chromium, base, enterprise_clerk)
    clerk.goto(f"{base}/office/exchange/")
    check_page(clerk, "exchange-inbox")
    clerk.get_by_role("link", name=letter.summary).click()
    check_page(clerk, "exchange-item")
    clerk.get_by_role("button", name="Зареєструвати у вхідних").click()
    assert "Відправник отримав квитанцію" in flash(clerk)

    council.goto(f"{base}/office/documents/{letter.pk}/")
    panel = council.locator("#addressees").inner_text()
    assert "Квитанція про реєстрацію" in panel and "Зареєстровано адресатом" in panel
    check_page(council, "exchange-card-receipts")
    council.goto(f"{base}/office/exchange/sent/")
    check_page(council, "exchange-sent")
