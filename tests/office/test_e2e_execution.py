"""Issue 3, «Done when», in Debian's Chromium: a registered letter is resolved by the head, assigned down
two levels (head → the unit's head → an executor), reported with a file, returned, reported again, accepted
at both levels, watched on the control board and taken off control by the controller; the card ends
«Виконано» with the execution mark. Then the daily digest goes through a real SMTP server.

Each person works in their own browser context; axe (WCAG 2.1 A/AA) on the resolution form, the
assignment pages, the board, the resolution and the card. Screenshots: /tmp/shots/e2e.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ratusha.calendar.selectors import add_working_days
from ratusha.core.models import AuditEvent
from ratusha.registry.services import document_register
from ratusha.workflow.constants import AssignmentStatus, DeadlineKind, ResolutionStatus
from ratusha.workflow.models import Assignment, Resolution
from ratusha.workflow.services import resolution_create
from ratusha.workflow.services.resolutions import rule_deadline
from tests.browser import browser_test, card_field, check_page, chromium, flash, sign_in  # noqa: F401 — fixture
from tests.factories import (
    CaseFileFactory,
    EmployeeFactory,
    JournalFactory,
    OrganisationFactory,
    PositionFactory,
    UnitFactory,
    UserFactory,
)
from tests.office.conftest import PDF_BYTES
from tests.smtp import SMTPServer, smtp_server  # noqa: F401 — fixture

BASE_URL = "http://127.0.0.1:8000"  # settings.BASE_URL in tests: links in e-mails


@dataclass
class Team:
    org: Any
    unit: Any
    head: Any
    controller: Any
    registrar: Any
    chief: Any
    worker: Any
    journal: Any
    case: Any

    def register(self, **kwargs: Any) -> Any:
        values = {
            "actor": self.registrar,
            "journal": self.journal,
            "kind": "letter",
            "case_file": self.case,
            "summary": "Про ремонт покрівлі школи № 5 після негоди",
            "correspondent": "Батьківський комітет школи № 5",
        }
        values.update(kwargs)
        return document_register(**values)


def _person(org, unit, username, last, first, *, roles=("executor",), title="", is_head=False):
    position = PositionFactory(organisation=org, unit=unit, title=title, is_head=is_head) if title else None
    user = UserFactory(
        username=username,
        last_name=last,
        first_name=first,
        middle_name="",
        email=f"{username}@rada.example.org",
    )
    EmployeeFactory(user=user, organisation=org, unit=unit, position=position, roles=list(roles))
    return user


def build_team() -> Team:
    """Керівництво (01): the mayor (head), the controller, the registrar; Відділ благоустрою (02): its head
    and an executor."""
    org = OrganisationFactory(name="Соснівська міська рада", short_name="Соснівська МР")
    lead = UnitFactory(organisation=org, code="01", name="Керівництво")
    unit = UnitFactory(organisation=org, code="02", name="Відділ благоустрою")
    head = _person(
        org, lead, "mayor", "Гнатюк", "Василь", roles=("head",), title="Міський голова", is_head=True
    )
    controller = _person(org, lead, "control", "Кравець", "Ніна", roles=("controller",))
    registrar = _person(org, lead, "clerk", "Мельник", "Оксана", roles=("registrar",))
    chief = _person(
        org, unit, "chief", "Бондар", "Петро", title="Начальник відділу благоустрою", is_head=True
    )
    worker = _person(org, unit, "worker", "Ткачук", "Марія", title="Головний спеціаліст")
    journal = JournalFactory(
        organisation=org,
        kind="incoming",
        name="Вхідна кореспонденція",
        index_template="{seq}/{case}",
        default_case_index="01-10",
    )
    case = CaseFileFactory(organisation=org, year=timezone.localdate().year, index="01-10")
    return Team(
        org=org,
        unit=unit,
        head=head,
        controller=controller,
        registrar=registrar,
        chief=chief,
        worker=worker,
        journal=journal,
        case=case,
    )


def state(page) -> str:
    """The assignment's status badge in the page header."""
    return page.locator(".page-header [class*='badge--wf-']").inner_text()


def submit(page, button) -> None:
    """Click a form's button and wait for the page it leads to (the redirect after POST)."""
    with page.expect_navigation():
        button.click()


def open_from_my_list(page, base: str, section: str, index: str) -> str:
    """«Мої доручення» → the row of ``section`` (by the document's registration index) → its page."""
    page.goto(f"{base}/office/work/")
    with page.expect_navigation():
        page.locator(f"#{section}").get_by_role("link", name=index, exact=True).click()
    assert "/office/work/assignments/" in page.url
    return page.url


@browser_test
def test_resolution_down_two_levels_to_executed_card(chromium, live_server, tmp_path):  # noqa: F811
    team = build_team()
    doc = team.register()
    base, index = live_server.url, doc.reg_index
    card_url = f"{base}/office/documents/{doc.pk}/"
    urgent = rule_deadline(DeadlineKind.URGENT, doc.reg_date)
    sub_deadline = add_working_days(doc.reg_date, 2)
    assert doc.reg_date <= sub_deadline < urgent
    pdf = tmp_path / "Акт обстеження покрівлі.pdf"
    pdf.write_bytes(PDF_BYTES)

    # 1. The head opens the card and writes the resolution: the unit, «Терміново», on control.
    head = sign_in(chromium, base, team.head)
    head.goto(card_url)
    assert "Резолюцій ще немає." in head.locator("#resolutions").inner_text()
    head.locator("#resolutions").get_by_role("link", name="Накласти резолюцію").click()
    head.wait_for_url(f"{base}/office/work/resolve/{doc.pk}/")
    check_page(head, "01-resolve-form")
    head.fill("#id_text", "Обстежити покрівлю та підготувати кошторис ремонту")
    head.select_option("#id_responsible", label="підрозділ: Відділ благоустрою (керівнику)")
    head.get_by_label(f"Терміново (3 робочі дні) — до {urgent:%d.%m.%Y}").check()
    head.get_by_label("Поставити на контроль").check()
    head.select_option("#id_controller", label="Кравець Н.")
    submit(head, head.get_by_role("button", name="Накласти резолюцію"))
    assert head.url == card_url
    panel = head.locator("#resolutions")
    text = panel.inner_text()
    assert f"Резолюція Гнатюк В. від {doc.reg_date:%d.%m.%Y}" in text
    assert "Обстежити покрівлю та підготувати кошторис ремонту" in text
    assert f"{urgent:%d.%m.%Y} (Терміново (3 робочі дні))" in text
    assert "контролер Кравець Н." in text
    node = panel.locator(".wf-node").first
    assert node.locator(".wf-node__who").inner_text() == "Бондар П."
    assert "Відділ благоустрою" in node.locator(".wf-node__role").inner_text()
    assert node.locator("[class*='badge--wf-']").inner_text() == "Видано"
    assert panel.locator(".badge--res-active").inner_text() == "Виконується"

    # 2. The unit's head accepts and gives the work to an executor of the unit (level 2).
    chief = sign_in(chromium, base, team.chief)
    top_url = open_from_my_list(chief, base, "new", index)
    assert state(chief) == "Видано"
    assert "На контролі" in chief.locator(".page-header").inner_text()
    submit(chief, chief.get_by_role("button", name="Прийняти до виконання"))
    assert "Доручення прийнято до виконання." in flash(chief)
    assert state(chief) == "Прийнято до виконання"
    chief.locator("#subassign-panel summary").click()
    chief.select_option("#id_sub_assignee", label="Ткачук М. — Головний спеціаліст")
    chief.fill("#id_sub_text", "Скласти акт обстеження покрівлі з фотофіксацією")
    chief.fill("#id_sub_deadline", f"{sub_deadline:%d.%m.%Y}")
    submit(chief, chief.get_by_role("button", name="Видати доручення"))
    assert "Доручення нижчого рівня видано." in flash(chief)
    child = chief.locator("#chain .wf-node")
    assert child.locator(".wf-node__who").inner_text() == "Ткачук М."
    assert child.locator("[class*='badge--wf-']").inner_text() == "Видано"
    assert f"{sub_deadline:%d.%m.%Y}" in child.locator(".wf-node__due").inner_text()
    check_page(chief, "02-assignment-level1-subassigned")

    # 3. The executor accepts, starts and reports with a PDF.
    worker = sign_in(chromium, base, team.worker)
    sub_url = open_from_my_list(worker, base, "new", index)
    assert state(worker) == "Видано"
    assert "Скласти акт обстеження покрівлі з фотофіксацією" in worker.locator(".dl").first.inner_text()
    assert "Бондар П." in worker.locator("#chain").inner_text()  # the chain up to the unit's head
    submit(worker, worker.get_by_role("button", name="Прийняти до виконання"))
    assert state(worker) == "Прийнято до виконання"
    submit(worker, worker.get_by_role("button", name="Розпочати виконання"))
    assert "Виконання розпочато." in flash(worker)
    assert state(worker) == "Виконується"
    check_page(worker, "03-assignment-level2-in-progress")
    worker.fill("#id_report_text", "Покрівлю обстежено, акт додано.")
    worker.set_input_files("#id_report_file", str(pdf))
    submit(worker, worker.locator("#report-panel").get_by_role("button", name="Подати звіт"))
    assert "Звіт подано." in flash(worker)
    assert state(worker) == "Звіт подано"
    report = worker.locator("#report").inner_text()
    assert "Покрівлю обстежено, акт додано." in report and "Акт обстеження покрівлі.pdf" in report

    # 4. The unit's head returns the report with a reason.
    assert open_from_my_list(chief, base, "decide", index) == sub_url
    assert "Акт обстеження покрівлі.pdf" in chief.locator("#report").inner_text()
    check_page(chief, "04-assignment-level2-to-decide")
    chief.locator("#return-panel summary").click()
    chief.fill("#id_return_reason", "Додайте кошторис і фото пошкоджень.")
    submit(chief, chief.locator("#return-panel").get_by_role("button", name="Повернути на доопрацювання"))
    assert "Звіт повернуто на доопрацювання." in flash(chief)
    assert state(chief) == "Повернуто на доопрацювання"

    # 5. The executor sees the reason and reports again.
    assert open_from_my_list(worker, base, "returned", index) == sub_url
    assert state(worker) == "Повернуто на доопрацювання"
    returned = worker.locator("#report .alert--warning").inner_text()
    assert "Повернуто на доопрацювання" in returned and "Додайте кошторис і фото пошкоджень." in returned
    worker.fill("#id_report_text", "Додано кошторис на 184 200 грн і фото пошкоджень.")
    submit(worker, worker.locator("#report-panel").get_by_role("button", name="Подати звіт"))
    assert state(worker) == "Звіт подано"
    assert "Повертали" in worker.locator(".dl").first.inner_text()

    # 6. The unit's head accepts it (level 2 done) and reports up.
    open_from_my_list(chief, base, "decide", index)
    assert "Додано кошторис на 184 200 грн" in chief.locator("#report").inner_text()
    chief.fill("#id_accept_note", "Прийнято.")
    submit(chief, chief.locator("#accept-panel").get_by_role("button", name="Прийняти звіт"))
    assert "Звіт прийнято, доручення виконано." in flash(chief)
    assert state(chief) == "Виконано"
    chief.goto(top_url)
    assert chief.locator("#chain .wf-node [class*='badge--wf-']").inner_text() == "Виконано"
    chief.locator("#report-panel summary").click()
    chief.fill("#id_report_text", "Покрівлю обстежено, кошторис ремонту на 184 200 грн підготовлено.")
    submit(chief, chief.locator("#report-panel").get_by_role("button", name="Подати звіт"))
    assert "Звіт подано." in flash(chief)
    assert state(chief) == "Звіт подано"

    # 7. The controller watches the board: the report waits for a decision.
    controller = sign_in(chromium, base, team.controller)
    controller.goto(f"{base}/office/work/control/")
    assert controller.locator("h1").inner_text() == "Контроль виконання"
    row = controller.locator("[id^=bucket-] tbody tr", has_text=index)  # due in 3 working days: «найближчими»
    assert row.count() == 1
    row_text = row.inner_text()
    assert index in row_text and "Бондар П." in row_text and "Звіт подано" in row_text
    assert "на контролі" in row_text
    check_page(controller, "05-board")

    # 8. The head accepts the report of the top-level assignment.
    open_from_my_list(head, base, "decide", index)
    assert head.url == top_url
    submit(head, head.locator("#accept-panel").get_by_role("button", name="Прийняти звіт"))
    assert state(head) == "Виконано"

    # 9. Nothing is open any more: the board lists the resolution as done and waiting to be taken off
    # control, and the controller goes from there to the resolution.
    controller.reload()
    waiting = controller.locator("#to-close")
    assert index in waiting.inner_text()
    for key in ("overdue", "today", "soon", "later"):
        assert index not in controller.locator(f"#bucket-{key}").inner_text()
    waiting.get_by_role("link", name="Зняти з контролю").click()
    controller.wait_for_url(f"{base}/office/work/resolutions/*/#close-panel")
    assert controller.locator("#id_close_executed_on").input_value() == f"{timezone.localdate():%d.%m.%Y}"
    check_page(controller, "06-resolution-close")
    controller.fill("#id_close_result", "Кошторис затверджено, ремонт покрівлі заплановано")
    controller.fill("#id_close_answer_index", "245/01-10")
    submit(controller, controller.locator("#close-panel").get_by_role("button", name="Зняти з контролю"))
    assert "Резолюцію знято з контролю" in flash(controller)
    assert controller.locator(".page-header .badge--res-closed").inner_text() == "Знято з контролю / виконано"
    controller.goto(card_url)
    assert controller.locator(".page-header .badge--executed").inner_text() == "Виконано"
    today = f"{timezone.localdate():%d.%m.%Y}"
    mark = f"{today} — Кошторис затверджено, ремонт покрівлі заплановано (відповідь № 245/01-10)"
    assert card_field(controller, "Виконано") == mark
    assert card_field(controller, "Контроль") == "Ні"
    tree = controller.locator("#resolutions .wf-tree--root").inner_text()
    assert "Бондар П." in tree and "Ткачук М." in tree
    check_page(controller, "07-card-executed")

    # The database agrees.
    doc.refresh_from_db()
    assert doc.status == "executed"
    assert doc.executed_on == timezone.localdate()
    assert doc.execution_result == "Кошторис затверджено, ремонт покрівлі заплановано"
    assert doc.answer_index == "245/01-10"
    assert not doc.on_control  # off control once its last resolution on control is closed
    assert doc.execution_deadline == urgent and doc.urgency == "urgent"
    assert doc.resolution == "Обстежити покрівлю та підготувати кошторис ремонту"
    res = Resolution.objects.get(document=doc)
    assert (res.status, res.author, res.controller, res.closed_by) == (
        ResolutionStatus.CLOSED,
        team.head,
        team.controller,
        team.controller,
    )
    assert res.deadline_kind == DeadlineKind.URGENT and res.deadline == urgent and res.on_control
    top = Assignment.objects.get(resolution=res, parent=None)
    sub = Assignment.objects.get(resolution=res, parent=top)
    assert (top.assignee, top.unit, top.issued_by, top.status) == (
        team.chief,
        team.unit,
        team.head,
        AssignmentStatus.DONE,
    )
    assert (sub.assignee, sub.issued_by, sub.status, sub.deadline, sub.depth) == (
        team.worker,
        team.chief,
        AssignmentStatus.DONE,
        sub_deadline,
        1,
    )
    assert sub.times_returned == 1 and sub.return_reason == "Додайте кошторис і фото пошкоджень."
    assert sub.report == "Додано кошторис на 184 200 грн і фото пошкоджень."
    assert sub.report_file_name == "Акт обстеження покрівлі.pdf" and sub.report_blob.sha256
    who = {
        team.head.pk: "head",
        team.chief.pk: "chief",
        team.worker.pk: "worker",
        team.controller.pk: "controller",
    }
    events = [
        (e.action, who[e.actor_id])
        for e in AuditEvent.objects.filter(object_id__in=[str(res.pk), str(top.pk), str(sub.pk)]).order_by(
            "seq"
        )
    ]
    assert events == [
        ("resolution.create", "head"),
        ("assignment.issue", "head"),
        ("assignment.accept", "chief"),
        ("assignment.issue", "chief"),  # the level-2 assignment …
        ("assignment.subassign", "chief"),  # … recorded on its parent too
        ("assignment.accept", "worker"),
        ("assignment.start", "worker"),
        ("assignment.report", "worker"),
        ("assignment.return", "chief"),
        ("assignment.report", "worker"),
        ("assignment.done", "chief"),
        ("assignment.report", "chief"),
        ("assignment.done", "head"),
        ("resolution.close", "controller"),
    ]


# --- The daily digest through a real SMTP server --------------------------------------------------------

ON = dt.date(2026, 11, 18)  # a Wednesday


@pytest.mark.django_db
def test_digest_one_email_per_person_through_smtp(smtp_server):  # noqa: F811
    from ratusha.notifications.digest import digest_send_all

    team = build_team()

    def resolve(summary: str, deadline: dt.date) -> Any:
        doc = team.register(summary=summary, reg_date=dt.date(2026, 11, 2), case_file=None)
        resolution_create(
            actor=team.head,
            document=doc,
            text="Підготувати відповідь",
            responsible=team.worker,
            deadline_kind=DeadlineKind.DATE,
            deadline_date=deadline,
        )
        return Assignment.objects.get(document=doc)

    late = resolve("Про ремонт тротуару на вулиці Лесі Українки", dt.date(2026, 11, 13))
    due = resolve("Про вивезення гілля після обрізки дерев", ON)
    resolve("Про освітлення парку", dt.date(2026, 12, 30))  # far away: not in the digest
    smtp_server.clear()

    assert digest_send_all(on=ON) == 3
    by_to = {m["To"]: m for m in smtp_server.messages}
    assert sorted(by_to) == ["chief@rada.example.org", "mayor@rada.example.org", "worker@rada.example.org"]
    assert len(smtp_server.messages) == 3  # exactly one each

    worker = by_to["worker@rada.example.org"]
    assert worker["Subject"] == "Ратуша: зведення на 18.11.2026 — 2 пункти"
    assert SMTPServer.text(worker) == (
        "Добрий день!\n\n"
        "Зведення на 18.11.2026.\n\n"
        "Строк сьогодні\n"
        "• № 2/01-10 — Про вивезення гілля після обрізки дерев — строк 18.11.2026 (Відповідальний виконавець)\n"
        f"  {BASE_URL}/office/work/assignments/{due.pk}/\n\n"
        "Прострочені\n"
        "• № 1/01-10 — Про ремонт тротуару на вулиці Лесі Українки — строк 13.11.2026 "
        "(прострочено 3 робочі дні)\n"
        f"  {BASE_URL}/office/work/assignments/{late.pk}/\n\n"
        "—\nРатуша\n"
        f"Усі сповіщення: {BASE_URL}/office/notifications/\n"
        f"Налаштувати сповіщення: {BASE_URL}/office/notifications/settings/\n"
    )

    subordinates = (
        "Прострочені доручення підлеглих\n"
        "• Ткачук М.: № 1/01-10 — Про ремонт тротуару на вулиці Лесі Українки — строк 13.11.2026 "
        "(прострочено 3 робочі дні)\n"
        f"  {BASE_URL}/office/work/assignments/{late.pk}/\n\n"
    )
    for to in (
        "chief@rada.example.org",
        "mayor@rada.example.org",
    ):  # the unit's head, the resolution's author
        message = by_to[to]
        assert message["Subject"] == "Ратуша: зведення на 18.11.2026 — 1 пункт"
        body = SMTPServer.text(message)
        assert subordinates in body
        assert "Строк сьогодні" not in body and "освітлення" not in body

    # The same day again: nothing twice.
    assert digest_send_all(on=ON) == 0
    assert len(smtp_server.messages) == 3
