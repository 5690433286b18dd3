"""The CSRF failure page in Debian's Chromium: a citizen whose cookies were lost while typing an appeal gets the
Ukrainian page with their text, axe (WCAG 2.1 A/AA) finds nothing, and «Надіслати ще раз» gets past the check."""

from __future__ import annotations

import pytest

from tests.appeals.test_intake_support import TEXT
from tests.browser import BROWSER_MARKS, check_page, chromium, new_page  # noqa: F401 (fixture)

pytest_plugins = ["tests.appeals.test_intake_support"]
pytestmark = [*BROWSER_MARKS, pytest.mark.usefixtures("fresh_rate_limits")]

FORBIDDEN = "Failed to load resource: the server responded with a status of 403 (Forbidden)"


def test_lost_cookie_keeps_the_appeal_text_and_the_page_is_accessible(
    chromium,  # noqa: F811 (the fixture)
    live_server,
    council,
    exec_body,
):
    page = new_page(chromium)
    page.goto(f"{live_server.url}/appeals/new/")
    page.fill("#id_last_name", "Петренко")
    page.get_by_label("Суть звернення").fill(TEXT)
    page.context.clear_cookies()  # the CSRF cookie is gone (blocked, cleared, expired)
    page.get_by_role("button", name="Надіслати звернення").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "Форму не надіслано"
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.get_by_label("Текст").input_value() == TEXT
    assert page.get_by_label("Прізвище").input_value() == "Петренко"
    assert page.console_errors == [FORBIDDEN], page.console_errors
    page.console_errors.clear()
    check_page(page, "csrf-failure")

    page.get_by_role("button", name="Надіслати ще раз").click()  # the page set a fresh cookie
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() != "Форму не надіслано"
    assert page.get_by_label("Суть звернення").input_value() == TEXT  # the form, with the text, went through
