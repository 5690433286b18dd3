"""Browser: axe (WCAG 2.1 A/AA + 2.2 AA) on the decisions list, an adopted act, a draft, a withdrawn act,
the office drafts page (with the late warning), the open-data register and a passport; screenshots in
/tmp/shots/acts/. One browser session for the module's one test."""

import datetime as dt
from pathlib import Path

from django.utils import timezone

from ratusha.calendar.selectors import add_working_days
from ratusha.registry.constants import AccessMark, JournalKind
from ratusha.registry.services import FileInput, document_cancel, document_register
from ratusha.website.acts.models import PublishedAct
from ratusha.website.acts.services import act_draft_create, act_sweep
from tests.browser import BROWSER_MARKS, WCAG_TAGS, chromium, new_page, sign_in  # noqa: F401 (fixture)
from tests.website.acts.conftest import make_pdf

pytestmark = BROWSER_MARKS
SHOTS = Path("/tmp/shots/acts")
TAGS = [*WCAG_TAGS, "wcag22aa"]


def check(page, name, *, status=None):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    errors = [e for e in page.console_errors if not (status and f"status of {status}" in e)]
    assert errors == [], f"{name}: {errors}"
    page.console_errors.clear()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _world(clerk, editor, council, journals):
    today = timezone.localdate()
    titles = [
        ("Про затвердження бюджету Тестової міської територіальної громади на 2027 рік", JournalKind.COUNCIL_DECISIONS),
        ("Про надання дозволу на розроблення проєкту землеустрою щодо відведення земельної ділянки",
         JournalKind.COUNCIL_DECISIONS),
        ("Про організацію харчування учнів у закладах загальної середньої освіти", JournalKind.EXECUTIVE_DECISIONS),
        ("Про встановлення тарифів на послуги з централізованого водопостачання", JournalKind.EXECUTIVE_DECISIONS),
        ("Про скликання чергової сесії міської ради", JournalKind.ORDERS),
    ]
    docs = [document_register(actor=clerk, journal=journals[kind], kind="decision", summary=title,
                              access=AccessMark.PUBLIC, files=[FileInput(name="r.pdf", content=make_pdf(title))])
            for title, kind in titles]
    act_sweep()
    document_cancel(actor=clerk, document=docs[-1], reason="Помилкова реєстрація")
    act_sweep()
    in_time = act_draft_create(actor=editor, organisation=council, kind="council",
                               title="Про внесення змін до Програми розвитку освіти на 2027–2029 роки",
                               session_date=add_working_days(today, 25), file=FileInput(name="p.pdf", content=make_pdf()))
    act_draft_create(actor=editor, organisation=council, kind="executive", title="Про благоустрій парку Шевченка",
                     session_date=add_working_days(today, 5), file=FileInput(name="p.pdf", content=make_pdf()),
                     confirm_late=True)
    act_draft_create(actor=editor, organisation=council, kind="council", title="Про детальний план території",
                     session_date=add_working_days(today, 11), file=FileInput(name="p.pdf", content=make_pdf()),
                     publish=False)
    return {"adopted": PublishedAct.objects.get(document=docs[0]), "draft": in_time,
            "withdrawn": PublishedAct.objects.get(document=docs[-1])}


def test_pages_are_accessible_and_look_right(chromium, live_server, clerk, editor, council, journals):  # noqa: F811
    acts = _world(clerk, editor, council, journals)
    base = live_server.url
    page = new_page(chromium)

    page.goto(f"{base}/decisions/")
    assert page.locator(".act-row").count() == 6  # 4 adopted + 2 published drafts; withdrawn and prepared hidden
    check(page, "decisions-list")
    # Two clicks: the list → the decision.
    page.get_by_role("link", name=acts["adopted"].title).click()
    page.wait_for_url(f"**{acts['adopted'].get_absolute_url()}")
    assert page.get_by_role("link", name="Завантажити PDF").is_visible()
    check(page, "decision-adopted")

    page.goto(f"{base}/decisions/?q=бюджетом")
    assert page.locator(".act-row").count() == 1
    check(page, "decisions-search")

    page.goto(f"{base}{acts['draft'].get_absolute_url()}")
    assert page.get_by_text("проєкт рішення для громадського обговорення").is_visible()
    check(page, "decision-draft")

    response = page.goto(f"{base}{acts['withdrawn'].get_absolute_url()}")
    assert response.status == 410
    check(page, "decision-withdrawn", status=410)

    response = page.goto(f"{base}/decisions/rishennia-rady/2020/777/")
    assert response.status == 404
    check(page, "decision-not-found", status=404)

    page.goto(f"{base}/open-data/")
    check(page, "opendata-register")
    page.get_by_role("link", name="Рішення та проєкти рішень", exact=True).click()
    page.wait_for_url("**/open-data/all-009/")
    check(page, "opendata-passport")

    office = sign_in(chromium, base, editor)
    office.goto(f"{base}/decisions/office/")
    assert office.get_by_text("Потребують уваги").is_visible()
    check(office, "office-drafts")
    office.goto(f"{base}/decisions/office/new/")
    office.fill("#id_title", "Про затвердження Положення про громадський бюджет")
    office.fill("#id_session_date", (timezone.localdate() + dt.timedelta(days=3)).strftime("%d.%m.%Y"))
    office.set_input_files("#id_file", files=[{"name": "проєкт.pdf", "mimeType": "application/pdf",
                                               "buffer": make_pdf()}])
    office.get_by_role("button", name="Зберегти").click()
    assert office.locator("#late-warning").is_visible()  # warned before confirming
    check(office, "office-draft-late-warning", status=409)
    office.get_by_label("Я розумію, що проєкт буде позначено «оприлюднено із запізненням»").check()
    office.get_by_role("button", name="Оприлюднити із запізненням").click()
    office.wait_for_url(f"{base}/decisions/office/")
    assert PublishedAct.objects.filter(title__startswith="Про затвердження Положення", published_late=True).exists()
