"""The public appeal pages in Debian's Chromium: the e-services page, the e-appeal form (also with errors,
the upload kept), the confirmation with the e-mail through a real SMTP server, the tracking page with the
answer; axe (WCAG 2.1 A/AA) on each, desktop and mobile. Screenshots: /tmp/shots/intake (or
RATUSHA_SCREENSHOTS)."""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from ratusha.appeals.constants import AppealStatus, Outcome
from ratusha.appeals.models import Appeal
from ratusha.appeals.services.timeline import appeal_event_add
from ratusha.registry import services as registry_services
from ratusha.registry.constants import JournalKind
from tests.appeals.test_intake_support import PDF, TEXT
from tests.browser import CHROMIUM, CHROMIUM_ARGS, WCAG_TAGS
from tests.factories import EmployeeFactory, JournalFactory
from tests.smtp import SMTPServer

SHOTS = Path(os.environ.get("RATUSHA_SCREENSHOTS") or "/tmp/shots/intake")

pytest_plugins = ["tests.appeals.test_intake_support"]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_rate_limits"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
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


def check_page(page, name: str, *, status: int = 200) -> None:
    """axe finds no WCAG 2.1 A/AA violation; no script or CSP errors; a full-page screenshot is saved."""
    if status != 200:
        page.console_errors[:] = [e for e in page.console_errors if f"status of {status}" not in e]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                       "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    assert page.console_errors == [], f"{name}: {page.console_errors}"
    assert page.locator("html").get_attribute("lang") == "uk"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_citizen_submits_an_appeal_and_tracks_it(browser_page, live_server, council, exec_body, smtp_server,
                                                 settings, tmp_path):
    settings.APPEALS = {"FORM_MIN_SECONDS": 0}  # a script fills the form faster than a person could
    page = browser_page
    page.goto(f"{live_server.url}/")
    check_page(page, "home")
    page.get_by_role("navigation", name="Основне меню").get_by_role("link", name="Електронні послуги").click()
    page.wait_for_url(f"{live_server.url}/appeals/")
    assert page.locator("h1").inner_text() == "Електронні послуги"
    check_page(page, "services")

    page.get_by_role("link", name="Подати електронне звернення").click()
    page.wait_for_url(f"{live_server.url}/appeals/new/")
    check_page(page, "form")
    # the skip link is the first stop of the keyboard and leads to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"

    scan = tmp_path / "скан-довідки.pdf"
    scan.write_bytes(PDF)
    page.fill("#id_first_name", "Іван")
    page.fill("#id_middle_name", "Васильович")
    page.get_by_label("Населений пункт").fill("м. Луцьк")
    page.get_by_label("Вулиця, будинок, квартира").fill("вул. Лесі Українки, 5, кв. 12")
    page.get_by_label("Електронна пошта").fill("ivan.petrenko@example.com")
    page.get_by_label("Скарга").check()
    page.get_by_label("Суть звернення").fill(TEXT)
    page.set_input_files("#id_files", str(scan))
    page.get_by_label("Я ознайомився(-лася)").check()
    page.get_by_role("button", name="Надіслати звернення").click()
    page.wait_for_load_state()
    # forgotten surname: a per-field message, everything typed and the file kept
    summary = page.locator("#error-summary")
    assert summary.is_visible() and "Прізвище: Вкажіть прізвище." in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.get_by_label("Суть звернення").input_value() == TEXT
    assert page.get_by_label("Скарга").is_checked()
    assert "скан-довідки.pdf" in page.locator(".staged").inner_text()
    check_page(page, "form-errors", status=400)

    page.fill("#id_last_name", "Петренко")
    page.get_by_role("button", name="Надіслати звернення").click()
    page.wait_for_url(f"{live_server.url}/appeals/sent/**")
    appeal = Appeal.objects.get()
    assert page.locator(".tracking-code").inner_text() == appeal.tracking_code
    assert appeal.appeal_type == "complaint" and [a.name for a in appeal.attachments.all()] == ["скан-довідки.pdf"]
    check_page(page, "sent")
    [message] = smtp_server.messages
    assert message["Subject"] == f"Ратуша: ваше звернення отримано — код {appeal.tracking_code}"
    assert f"Код відстеження: {appeal.tracking_code}" in SMTPServer.text(message)

    # the council registers and answers it (the office side is another helper's; here straight through services)
    registrar = EmployeeFactory(organisation=council, roles=["registrar"]).user
    journal = JournalFactory(organisation=council, kind=JournalKind.APPEALS, index_template="{seq}")
    outgoing = JournalFactory(organisation=council, kind=JournalKind.OUTGOING, index_template="{seq}")
    appeal.document = registry_services.document_register(actor=registrar, journal=journal, kind="appeal",
                                                          summary="Про освітлення двору")
    appeal.status = AppealStatus.REGISTERED
    appeal.save()
    appeal_event_add(appeal=appeal)
    appeal.answer_document = registry_services.document_register(
        actor=registrar, journal=outgoing, kind="letter", summary="Відповідь",
        files=[registry_services.FileInput(name="Відповідь на звернення.pdf", content=PDF)])
    appeal.status, appeal.outcome, appeal.answered_at = AppealStatus.ANSWERED, Outcome.SATISFIED, timezone.now()
    appeal.save()
    appeal_event_add(appeal=appeal, message="Освітлення у дворі відновлено 12.06.2026.")

    page.get_by_role("link", name="Переглянути стан звернення").click()
    page.wait_for_url(f"{live_server.url}/appeals/track/?code=*")
    assert page.locator(".status-pill").inner_text().endswith("Надано відповідь")
    assert "Іван П." in page.locator(".track-result").inner_text()
    assert "Петренко" not in page.locator("main").inner_text()
    check_page(page, "track-answered")
    with page.expect_download() as download:
        page.get_by_role("link", name="Завантажити «Відповідь на звернення.pdf»").click()
    assert Path(download.value.path()).read_bytes() == PDF

    page.goto(f"{live_server.url}/appeals/track/?code=AAAA-BBBB-CCCC-DDDD")
    assert "Звернення з таким кодом не знайдено" in page.locator("main").inner_text()
    check_page(page, "track-not-found")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/appeals/new/")
    check_page(page, "form-mobile")
    page.goto(f"{live_server.url}/appeals/track/?code={appeal.tracking_code}")
    check_page(page, "track-mobile")
