"""Shared helpers of the end-to-end browser tests: Debian's Chromium driven by Playwright, one browser
context per signed-in person (with the TOTP step for people who have a device), axe (WCAG 2.1 A/AA).

    from tests.browser import BROWSER_MARKS, check_page, chromium, sign_in  # noqa: F401 (fixture)

    pytestmark = BROWSER_MARKS          # or @browser_test on single tests

    def test_x(chromium, live_server):
        head = sign_in(chromium, live_server.url, head_user)
        head.goto(...)
        check_page(head, "name")       # axe + no console errors + a screenshot under SHOTS

Screenshots go to ``$RATUSHA_SCREENSHOTS`` (default ``/tmp/shots/e2e``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password
SHOTS = Path(os.environ.get("RATUSHA_SCREENSHOTS") or "/tmp/shots/e2e")

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),  # the live server's thread must see the test's data
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def browser_test(fn: Any) -> Any:
    """Decorator: ``BROWSER_MARKS`` on one test (when a module also has tests without a browser)."""
    for mark in reversed(BROWSER_MARKS):
        fn = mark(fn)
    return fn


@pytest.fixture
def chromium(monkeypatch):
    """One Chromium for the test; each person gets their own context (cookies) from ``sign_in``."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any) -> Any:
    """A fresh context and page that records console and script errors in ``page.console_errors``."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="uk-UA")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    return page


def totp_next(device: Any) -> str:
    """The code a TOTP device accepts now: the current 30-second step, or the next one when the current
    step was used already (django-otp refuses a step twice; a step ahead is within its tolerance)."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = totp.t()
    wanted = max(now, device.last_t + 1)
    totp.drift = device.drift + (wanted - now)
    return f"{totp.token():0{device.digits}d}"


def sign_in(browser: Any, base: str, user: Any, *, device: Any = None) -> Any:
    """A new browser context signed in as ``user``; with ``device`` the login's code step is answered."""
    page = new_page(browser)
    page.goto(f"{base}/office/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Увійти").click()
    if device is not None:
        page.wait_for_url("**/office/login/code/")
        page.fill("#id_token", totp_next(device))
        page.get_by_role("button", name="Підтвердити").click()
    page.wait_for_url(f"{base}/office/")
    return page


def expect_status(page: Any, status: int) -> None:
    """A form re-rendered with errors answers 400 (409 on a conflict); Chromium logs that response as a
    console error — exactly that one is expected, and nothing else."""
    reason = {400: "Bad Request", 409: "Conflict"}[status]
    expected = f"Failed to load resource: the server responded with a status of {status} ({reason})"
    assert page.console_errors == [expected], page.console_errors
    page.console_errors.clear()


def check_page(page: Any, name: str) -> None:
    """axe finds no WCAG 2.1 A/AA violation; the page ran without script or CSP errors; a screenshot.

    Run it on a freshly loaded page: axe's injected script followed by an htmx swap trips the CSP."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    assert page.console_errors == [], f"{name}: {page.console_errors}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def flash(page: Any) -> str:
    """The text of the page's messages (success/info alerts after a redirect)."""
    return page.locator(".messages").inner_text()


def card_field(page: Any, term: str) -> str:
    """The value (``dd``) of the field ``term`` (``dt``) in the page's first definition list, e.g. the
    registration-control card's «Виконано» or «Підписав»."""
    return page.locator(".dl").first.locator(f"dt:text-is('{term}') + dd").inner_text()
