"""The personal reception in Debian's Chromium: published schedules, the booking form (also with errors),
the confirmation, the cancel page, and the office day list; axe (WCAG 2.1 A/AA) on each. Screenshots:
/tmp/shots/intake (or RATUSHA_SCREENSHOTS), prefixed «reception-»."""

import datetime as dt
import os
from pathlib import Path

import pytest

from ratusha.appeals.reception import selectors
from ratusha.appeals.reception.emails import cancel_token
from ratusha.appeals.reception.models import ReceptionBooking
from tests.browser import CHROMIUM, CHROMIUM_ARGS, WCAG_TAGS
from tests.reception.conftest import make_schedule

SHOTS = Path(os.environ.get("RATUSHA_SCREENSHOTS") or "/tmp/shots/intake")
PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
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
    if status != 200:
        page.console_errors[:] = [e for e in page.console_errors if f"status of {status}" not in e]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                       "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    assert page.console_errors == [], f"{name}: {page.console_errors}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"reception-{name}.png"), full_page=True)


def test_citizen_books_and_cancels_officer_sees_the_day(browser_page, live_server, council, official, officer,
                                                        settings):
    settings.APPEALS = {"FORM_MIN_SECONDS": 0}  # a script fills the form faster than a person could
    schedule = make_schedule(council, official, weekdays=[0, 1, 2, 3, 4], note="Вхід з боку вул. Коперника.")
    make_schedule(council, official, official_name="Ткачук Олена Степанівна", position="Секретар міської ради",
                  weekdays=[1], weeks_of_month=[1, 3], start_time=dt.time(14, 0), end_time=dt.time(16, 0),
                  place="каб. 203")
    page = browser_page
    page.goto(f"{live_server.url}/reception/")
    assert page.locator("h1").inner_text() == "Особистий прийом громадян"
    assert "вівторок (перший, третій у місяці)" in page.locator("main").inner_text()
    check_page(page, "schedules")

    page.get_by_role("link", name="Записатися — Поліщук Ігор Ігорович").click()
    page.wait_for_url(f"{live_server.url}/reception/book/{schedule.pk}/")
    check_page(page, "book")
    first = next(d for d in selectors.free_slots(schedule) if d.free)
    page.get_by_label("Дата і час прийому").select_option(index=1)
    page.fill("#id_last_name", "Коваль")
    page.fill("#id_address", "м. Луцьк, вул. Ковельська, 10")
    page.fill("#id_email", "maria.koval@example.com")
    page.get_by_label("З яким питанням ви звертаєтеся").fill("Ремонт під'їзду будинку, протікає дах.")
    page.get_by_label("Пільгова категорія").select_option("03")
    page.get_by_label("Я ознайомився(-лася)").check()
    page.get_by_role("button", name="Записатися на прийом").click()
    page.wait_for_load_state()
    assert "Ім'я: Вкажіть ім'я." in page.locator("#error-summary").inner_text()
    assert page.locator("#id_last_name").input_value() == "Коваль"
    check_page(page, "book-errors", status=400)

    page.fill("#id_first_name", "Марія")
    page.get_by_role("button", name="Записатися на прийом").click()
    page.wait_for_url(f"{live_server.url}/reception/booked/**")
    booking = ReceptionBooking.objects.get()
    assert booking.date == first.date and booking.time == first.free[0] and booking.priority
    assert booking.confirmation_code in page.locator("main").inner_text()
    check_page(page, "booked")

    page.goto(f"{live_server.url}/reception/cancel/{cancel_token(booking)}/")
    check_page(page, "cancel")

    page.goto(f"{live_server.url}/office/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Увійти").click()
    page.wait_for_url(f"{live_server.url}/office/")
    page.goto(f"{live_server.url}/reception/office/?date={booking.date:%d.%m.%Y}")
    assert "Коваль Марія" in page.locator("main").inner_text()
    check_page(page, "office-day")
    page.goto(f"{live_server.url}/reception/office/schedules/")
    check_page(page, "office-schedules")
    page.goto(f"{live_server.url}/reception/office/schedules/{schedule.pk}/")
    check_page(page, "office-schedule-form")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/reception/")
    check_page(page, "schedules-mobile")
