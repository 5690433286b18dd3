"""In Debian's Chromium: the head writes a resolution on the card, the executor accepts and reports, the
controller accepts the report on the board; axe (WCAG 2.1 A/AA) on every workflow page on the way.

Screenshots of each page are written when RATUSHA_SCREENSHOTS=<dir> is set.
"""

import os
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, WCAG_TAGS
from tests.workflow.conftest import build_council

PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def signed_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="uk-UA")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    page.goto(f"{live_server.url}/office/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Увійти").click()
    page.wait_for_url(f"{live_server.url}/office/")
    return page


def check_page(page, name: str) -> None:
    """axe finds no WCAG 2.1 A/AA violation; the page ran without script or CSP errors."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    assert page.console_errors == [], f"{name}: {page.console_errors}"
    shots = os.environ.get("RATUSHA_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)


def test_resolution_assignment_report_and_board(browser, live_server):
    council = build_council()
    doc = council.register(
        summary="Про ремонт покрівлі школи № 5 після негоди", correspondent="Батьківський комітет школи № 5"
    )
    card_url = f"{live_server.url}/office/documents/{doc.pk}/"

    # The head writes a resolution.
    head = signed_in(browser, live_server, council.head.username)
    head.goto(card_url)
    check_page(head, "card-panel-empty")
    head.get_by_role("link", name="Накласти резолюцію").click()
    head.wait_for_url(f"**/office/work/resolve/{doc.pk}/")
    check_page(head, "resolve-form")
    head.get_by_role("button", name="Накласти резолюцію").click()
    head.wait_for_load_state()
    assert "Вкажіть текст резолюції." in head.locator("#error-summary").inner_text()
    assert [e for e in head.console_errors if "400" not in e] == []  # the form answers 400 Bad Request
    head.console_errors.clear()
    check_page(head, "resolve-form-errors")
    head.fill("#id_text", "Обстежити покрівлю та підготувати кошторис ремонту")
    head.select_option("#id_responsible", label="підрозділ: Відділ благоустрою (керівнику)")
    head.select_option("#id_co_executors", label=["Савчук О. — Начальник юридичного відділу"])
    head.get_by_label("Терміново (3 робочі дні)", exact=False).check()
    head.get_by_label("Поставити на контроль").check()
    head.select_option("#id_controller", label="Кравець Н.")
    head.get_by_role("button", name="Накласти резолюцію").click()
    head.wait_for_url(card_url)
    panel = head.locator("#resolutions")
    assert "Обстежити покрівлю" in panel.inner_text() and "Бондар П." in panel.inner_text()
    check_page(head, "card-panel")

    # The executor accepts and reports.
    chief = signed_in(browser, live_server, council.chief_a.username)
    chief.goto(f"{live_server.url}/office/work/")
    check_page(chief, "my-assignments")
    chief.locator("#new").get_by_role("link", name=doc.reg_index).click()
    chief.wait_for_url("**/office/work/assignments/*/")
    check_page(chief, "assignment-new")
    chief.get_by_role("button", name="Прийняти до виконання").click()
    chief.wait_for_load_state()
    chief.locator("#subassign-panel summary").click()
    chief.locator("#report-panel summary").click()
    chief.fill("#id_report_text", "Покрівлю обстежено, кошторис додано.")
    check_page(chief, "assignment-accepted")
    chief.get_by_role("button", name="Подати звіт").click()
    chief.wait_for_load_state()
    assert "Звіт подано." in chief.locator(".messages").inner_text()

    # The controller sees it on the board and accepts the report.
    controller = signed_in(browser, live_server, council.controller.username)
    controller.goto(f"{live_server.url}/office/work/control/")
    check_page(controller, "board")
    controller.select_option("#id_unit", label="Відділ благоустрою (Соснівська МР)")
    controller.get_by_role("button", name="Показати").click()
    controller.wait_for_load_state()
    controller.goto(chief.url)
    check_page(controller, "assignment-decide")
    controller.get_by_role("button", name="Прийняти звіт").click()
    controller.wait_for_load_state()
    assert "Звіт прийнято" in controller.locator(".messages").inner_text()
    controller.get_by_role("link", name="уся резолюція").click()
    controller.wait_for_url("**/office/work/resolutions/*/")
    check_page(controller, "resolution")
    controller.fill("#id_close_result", "Кошторис затверджено, ремонт заплановано")
    controller.get_by_role("button", name="Зняти з контролю").click()
    controller.wait_for_load_state()
    controller.goto(card_url)
    assert "Виконано" in controller.locator(".dl").inner_text()
    check_page(controller, "card-executed")


def test_overdue_tree_and_deadline_decision(browser, live_server):
    import datetime as dt

    from django.utils import timezone

    from ratusha.workflow.services import assignment_subassign, deadline_change_request, resolution_create

    council = build_council()
    today = timezone.localdate()
    doc = council.register(
        reg_date=today - dt.timedelta(days=12), summary="Про благоустрій скверу на вулиці Лесі"
    )
    res = resolution_create(
        actor=council.head,
        document=doc,
        text="Опрацювати та доповісти",
        responsible=council.chief_a,
        deadline_kind="date",
        deadline_date=today - dt.timedelta(days=1),
        co_executors=[council.worker_c],
    )
    top = res.assignments.get(assignee=council.chief_a)
    sector = assignment_subassign(
        actor=council.chief_a,
        assignment=top,
        expected_version=top.version,
        assignee=council.units["03"],
        text="Підготуйте дендроплан",
    )
    assignment_subassign(
        actor=council.sector_head,
        assignment=sector,
        expected_version=sector.version,
        assignee=council.worker_a1,
        text="Обстежте дерева",
    )
    deadline_change_request(
        actor=council.chief_a,
        assignment=top,
        proposed_deadline=today + dt.timedelta(days=5),
        reason="Чекаємо висновок дендролога",
    )

    head = signed_in(browser, live_server, council.head.username)
    head.goto(f"{live_server.url}/office/documents/{doc.pk}/")
    assert "прострочено" in head.locator("#resolutions").inner_text()
    check_page(head, "card-tree-overdue")
    head.goto(f"{live_server.url}/office/work/assignments/{top.pk}/")
    assert "Чекаємо висновок дендролога" in head.locator("#decision-panel").inner_text()
    check_page(head, "assignment-deadline-decision")
    head.get_by_label("Погодити новий строк").check()
    head.get_by_role("button", name="Зберегти рішення").click()
    head.wait_for_load_state()
    assert "Новий строк погоджено" in head.locator(".messages").inner_text()
    head.goto(f"{live_server.url}/office/work/control/")
    check_page(head, "board-overdue")
