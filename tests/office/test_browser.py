"""End-to-end in Debian's Chromium: log in → register an incoming letter with a PDF → find it by an
inflected word → open its card; axe (WCAG 2.1 A/AA) on every office page on the way.

Screenshots of each page are written when RATUSHA_SCREENSHOTS=<dir> is set.
"""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser import CHROMIUM, CHROMIUM_ARGS, WCAG_TAGS
from tests.factories import CaseFileFactory, EmployeeFactory, JournalFactory, OrganisationFactory, UnitFactory
from tests.office.conftest import PDF_BYTES

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
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)


def test_register_find_and_open(browser_page, live_server, tmp_path):
    page = browser_page
    org = OrganisationFactory(name="Зеленодольська міська рада")
    unit = UnitFactory(organisation=org, name="Загальний відділ", code="01")
    clerk = EmployeeFactory(organisation=org, unit=unit, roles=["registrar"],
                            user__username="clerk", user__first_name="Оксана", user__last_name="Мельник").user
    EmployeeFactory(organisation=org, unit=unit, roles=["executor"], user__username="exec")
    CaseFileFactory(organisation=org, year=timezone.localdate().year, index="01-10")
    journal = JournalFactory(organisation=org, kind="incoming", name="Вхідна кореспонденція",
                             index_template="{seq}/{case}", default_case_index="01-10")
    pdf = tmp_path / "Лист щодо дороги.pdf"
    pdf.write_bytes(PDF_BYTES)

    page.goto(f"{live_server.url}/office/login/")
    check_page(page, "login")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Увійти").click()
    page.wait_for_url(f"{live_server.url}/office/")
    assert page.locator("h1").inner_text() == "Мої документи"
    check_page(page, "home")

    page.get_by_role("navigation", name="Головне меню").get_by_role("link", name="Вхідний").click()
    page.wait_for_url("**/office/register/incoming/")
    check_page(page, "register")
    page.fill("#id_summary", "Про ремонт дороги та освітлення на вулиці Шевченка")
    page.fill("#id_correspondent", "Служба автомобільних доріг у Волинській області")
    page.fill("#id_correspondent_index", "231/05")
    page.fill("#id_correspondent_date", "02032026")
    page.set_input_files("#id_files", str(pdf))
    assert "Лист щодо дороги.pdf" in page.locator("[data-filelist]").inner_text()  # upload.js listed it
    page.get_by_role("button", name="Зареєструвати").click()
    page.wait_for_url("**/office/documents/*/")
    assert page.locator(".alert--success").count() == 1
    heading = page.locator("h1").inner_text()
    assert heading.startswith("№ 1/01-10")
    assert "Лист щодо дороги.pdf" in page.locator("#files").inner_text()
    assert "02.03.2026" in page.locator(".dl").inner_text()  # typed 02032026, normalised by app.js
    check_page(page, "card")
    card_url = page.url

    page.goto(f"{live_server.url}/office/journals/{journal.pk}/")
    check_page(page, "journal")

    page.goto(f"{live_server.url}/office/search/")
    page.fill("input[name=q]", "дорогою")
    page.get_by_role("button", name="Шукати").click()
    page.wait_for_load_state()
    check_page(page, "search")
    page.get_by_role("link", name="№ 1/01-10", exact=False).first.click()
    page.wait_for_load_state()
    assert page.url == card_url
    assert page.locator("h1").inner_text() == heading
