"""The reports pages in Debian's Chromium: axe (WCAG 2.1 A/AA) on the index, the report, its error state.

Screenshots are written when RATUSHA_SCREENSHOTS=<dir> is set (same convention as tests/office).
"""

import os
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, WCAG_TAGS

PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="uk-UA")
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.console_errors = errors
        try:
            yield page
        finally:
            context.close()
            browser.close()


def check_page(page, name: str) -> None:
    """axe finds no WCAG 2.1 A/AA violation; the page ran without script or CSP errors."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                       "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    assert page.console_errors == [], f"{name}: {page.console_errors}"
    shots = os.environ.get("RATUSHA_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"reports-{name}.png"), full_page=True)


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/office/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Увійти").click()
    page.wait_for_url(f"{base}/office/")


def test_execution_report_in_chromium(browser_page, live_server, scenario):
    page = browser_page
    base = live_server.url
    login(page, base, scenario.head.username)

    page.get_by_role("navigation", name="Головне меню").get_by_role("link", name="Звіти").click()
    page.wait_for_url("**/office/reports/")
    assert page.locator("h1").inner_text() == "Звіти"
    check_page(page, "index")

    page.get_by_role("link", name="Виконавська дисципліна").click()
    page.wait_for_url("**/office/reports/execution/")
    # The current month: the scenario's March assignments still open count as overdue now.
    assert page.locator("tfoot tr").inner_text().split()[1:4] == ["0", "0", "8"]
    check_page(page, "execution-current-month")

    page.select_option("#id_period", "custom")
    page.fill("#id_date_from", "01.03.2025")
    page.fill("#id_date_to", "31.03.2025")
    page.get_by_role("button", name="Сформувати").click()
    page.wait_for_load_state()
    table = page.get_by_role("table")
    assert "Виконавська дисципліна: Тестівська міська рада" in table.locator("caption").inner_text()
    total = page.locator("tfoot tr").inner_text().split()
    assert total[:7] == ["Разом", "6", "4", "5", "3", "18", "40,0"]
    chart = page.get_by_role("img", name="Виконавська дисципліна за підрозділами", exact=False)
    assert chart.count() == 1
    page.get_by_text("Як рахуються показники").click()
    assert page.get_by_text("Виконавська дисципліна = виконано вчасно").is_visible()
    check_page(page, "execution")

    with page.expect_download() as download:
        page.get_by_role("link", name="Завантажити XLSX").click()
    assert download.value.suggested_filename == "execution-testivka-20250301-20250331.xlsx"

    page.fill("#id_date_from", "31.02.2025")
    page.get_by_role("button", name="Сформувати").click()
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#id_date_from").input_value() == "31.02.2025"
    # The page answers a bad filter with HTTP 400, which Chromium logs; nothing else may be logged.
    assert page.console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    page.console_errors.clear()
    check_page(page, "execution-error")


def test_unit_head_view_on_a_narrow_screen(browser_page, live_server, scenario):
    page = browser_page
    page.set_viewport_size({"width": 420, "height": 900})
    login(page, live_server.url, scenario.head_a.username)
    page.goto(f"{live_server.url}/office/reports/execution/?period=custom&date_from=01.03.2025"
              "&date_to=31.03.2025&levels=all")
    assert "Відділ освіти" not in page.content()
    assert page.get_by_text("Ви бачите доручення підрозділів, якими керуєте").is_visible()
    check_page(page, "execution-unit-head-narrow")
