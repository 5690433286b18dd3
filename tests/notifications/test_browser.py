"""The notification pages in Debian's Chromium: the header bell, the list with htmx mark-read, the
preferences form (also with errors); axe (WCAG 2.1 A/AA) on each. Screenshots go to /tmp/shots/notif
(or RATUSHA_SCREENSHOTS)."""

import os
import re
from pathlib import Path

import pytest

from ratusha.notifications.constants import NotificationKind
from ratusha.notifications.models import NotificationPreference
from ratusha.notifications.selectors import unread_count
from ratusha.notifications.services import notifications_mark_read, notify
from tests.browser import CHROMIUM, CHROMIUM_ARGS, WCAG_TAGS
from tests.factories import EmployeeFactory, OrganisationFactory

PASSWORD = "correct horse battery staple"
SHOTS = Path(os.environ.get("RATUSHA_SCREENSHOTS") or "/tmp/shots/notif")

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


def check_page(page, name: str, *, status: int = 200) -> None:
    """axe finds no WCAG 2.1 A/AA violation; the page ran without script or CSP errors."""
    if status != 200:  # Chromium logs a re-rendered form's 400 as a console error; that one is expected
        page.console_errors[:] = [e for e in page.console_errors if f"status of {status}" not in e]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                       "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    assert page.console_errors == [], f"{name}: {page.console_errors}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_bell_list_and_settings(browser_page, live_server):
    from playwright.sync_api import expect

    page = browser_page
    org = OrganisationFactory(name="Зеленодольська міська рада")
    me = EmployeeFactory(organisation=org, roles=["executor"], user__username="olena", user__first_name="Олена",
                         user__last_name="Коваленко", user__email="olena@rada.example.org").user
    head = EmployeeFactory(organisation=org, roles=["head"], user__first_name="Петро",
                           user__last_name="Шевчук").user
    old = notify(recipient=me, kind=NotificationKind.ASSIGNMENT_DONE, actor=head, email=False,
                 title="Доручення № 3/01-05 виконано", body="Звіт прийнято без зауважень.")
    notifications_mark_read(user=me, ids=[old.pk])
    notify(recipient=me, kind=NotificationKind.DUE_REMINDER, email=False,
           title="Строк виконання доручення № 7/01-05 спливає завтра",
           body="Відповідь на звернення Іваненка І. І. щодо ремонту дороги на вул. Шевченка.")
    notify(recipient=me, kind=NotificationKind.ASSIGNMENT_RETURNED, actor=head, email=False,
           title="Звіт про виконання доручення № 5/01-05 повернуто на доопрацювання",
           body="Додайте копію акта виконаних робіт.", url="/office/notifications/settings/")
    first = notify(recipient=me, kind=NotificationKind.ASSIGNMENT_ISSUED, actor=head, email=False,
                   title="Нове доручення № 12/01-05: підготувати відповідь ТОВ «Дахбуд»",
                   body="Строк — 01.12.2026.", url="/office/notifications/")

    page.goto(f"{live_server.url}/office/login/")
    page.fill("#id_username", "olena")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Увійти").click()
    page.wait_for_url(f"{live_server.url}/office/")
    bell = page.locator("#notif-bell")
    assert bell.locator(".bell__label").inner_text() == "Сповіщення"
    assert bell.locator(".bell__count").inner_text() == "3"
    assert bell.locator(".visually-hidden").inner_text() == ": 3 непрочитані"

    bell.click()
    page.wait_for_url(f"{live_server.url}/office/notifications/")
    assert page.locator("h1").inner_text() == "Сповіщення"
    titles = page.locator(".notif__title").all_inner_texts()
    assert titles[-1] == "Доручення № 3/01-05 виконано"  # read ones after unread
    assert titles[0].endswith("ТОВ «Дахбуд»")
    check_page(page, "list")

    # htmx: mark one read; the item and the header badge update in place
    page.locator(f"#notif-{first.pk}").get_by_role("button").click()
    expect(page.locator("#notif-bell .bell__count")).to_have_text("2")
    expect(page.locator(f"#notif-{first.pk}")).not_to_have_class(re.compile(r"notif--unread"))
    expect(page.locator("#notif-summary")).to_have_text("2 непрочитані")
    assert unread_count(me) == 2

    # following a notification marks it read and goes to its page
    page.get_by_role("link", name="Звіт про виконання доручення № 5/01-05 повернуто на доопрацювання").click()
    page.wait_for_url(f"{live_server.url}/office/notifications/settings/")
    assert unread_count(me) == 1
    assert page.locator("#notif-bell .bell__count").inner_text() == "1"
    check_page(page, "settings")

    page.get_by_role("group", name="Нове доручення").get_by_label("У щоденному зведенні").check()
    page.get_by_role("button", name="Зберегти").click()
    page.wait_for_url(f"{live_server.url}/office/notifications/settings/")
    assert "Налаштування сповіщень збережено." in page.locator(".messages").inner_text()
    assert NotificationPreference.objects.get(user=me, kind="assignment_issued").delivery == "digest"

    # a group left empty (only possible by tampering) shows a per-field error and keeps the rest
    page.locator("input[name=sign_requested]").evaluate_all("radios => radios.forEach(r => { r.checked = false; })")
    page.get_by_role("button", name="Зберегти").click()
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    assert "Документ на підпис" in page.locator("#error-summary").inner_text()
    assert page.get_by_role("group", name="Нове доручення").get_by_label("У щоденному зведенні").is_checked()
    check_page(page, "settings-error", status=400)

    page.goto(f"{live_server.url}/office/notifications/")
    page.get_by_role("button", name="Позначити всі прочитаними").click()
    expect(page.locator("#notif-results .alert--success")).to_have_text("1 сповіщення позначено прочитаним.")
    assert page.locator("#notif-bell .bell__count").count() == 0
    assert page.locator("#notif-summary").inner_text() == "Непрочитаних немає"
    check_page(page, "list-all-read")

    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(f"{live_server.url}/office/notifications/settings/")
    check_page(page, "settings-narrow")
