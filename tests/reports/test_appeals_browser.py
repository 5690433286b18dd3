"""The appeals statistics in Debian's Chromium: axe (WCAG 2.1 A/AA) on the report, a narrow screen and the
error state; the XLSX download. Screenshots with RATUSHA_SCREENSHOTS=<dir> (as tests/reports/test_browser.py)."""

from pathlib import Path

import pytest

from tests.reports.test_appeals_report import scenario_build
from tests.reports.test_browser import CHROMIUM, browser_page, check_page, login  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def test_appeals_statistics_in_chromium(browser_page, live_server):  # noqa: F811
    scenario = scenario_build()
    page = browser_page
    base = live_server.url
    login(page, base, scenario.people.reception.username)

    page.goto(f"{base}/office/reports/")
    page.get_by_role("link", name="Статистика звернень громадян").click()
    page.wait_for_url("**/office/reports/appeals/")
    assert page.locator("h1").inner_text() == "Статистика звернень громадян"
    check_page(page, "appeals-current-quarter")

    page.select_option("#id_period", "custom")
    page.fill("#id_date_from", "01.01.2025")
    page.fill("#id_date_to", "31.03.2025")
    page.get_by_role("button", name="Сформувати").click()
    page.wait_for_load_state()
    stats = page.get_by_label("Підсумки").inner_text().split()
    assert stats[:2] == ["10", "Надійшло"]
    assert page.get_by_role("img", name="Звернення за тематикою", exact=False).count() == 1
    assert page.get_by_role("heading", name="Прострочені звернення").is_visible()
    page.get_by_text("Як рахуються показники").click()
    assert page.get_by_text("Зареєстровані звернення, дата надходження яких").is_visible()
    check_page(page, "appeals")

    with page.expect_download() as download:
        page.get_by_role("link", name="Завантажити XLSX").click()
    assert download.value.suggested_filename == "appeals-testivka-20250101-20250331.xlsx"

    page.fill("#id_horizon", "99")
    page.get_by_role("button", name="Сформувати").click()
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#id_horizon").input_value() == "99"
    assert page.console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    page.console_errors.clear()
    check_page(page, "appeals-error")


def test_appeals_statistics_on_a_narrow_screen(browser_page, live_server):  # noqa: F811
    scenario = scenario_build()
    page = browser_page
    page.set_viewport_size({"width": 420, "height": 900})
    login(page, live_server.url, scenario.people.head.username)
    page.goto(f"{live_server.url}/office/reports/appeals/?period=custom&date_from=01.01.2025&date_to=31.03.2025")
    assert page.get_by_role("heading", name="Результат розгляду").is_visible()
    check_page(page, "appeals-narrow")
