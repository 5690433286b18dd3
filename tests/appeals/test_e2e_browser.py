"""Issue 4, «done when», entirely in Debian's Chromium with a real SMTP server: a citizen submits an e-appeal
and gets the tracking-code e-mail; an appeals officer registers it from «Нові з сайту» and codes it; the head
routes it to an executor; the executor prepares the answer draft (a PDF) «у відповідь на» the appeal and
sends it on approval; the head signs it with a TOTP code; the executor reports the assignment with the answer
card and the head takes it off control; the officer records the answer (роз'яснено, e-mail); the citizen gets
the answer with the PDF and sees «Надано відповідь» and the download on the tracking page — within the term
``calendar.deadline("appeal", received_date)``.

Each person has their own browser context; axe (WCAG 2.1 A/AA) on the pages of each step. Screenshots:
/tmp/shots/glue (or RATUSHA_SCREENSHOTS).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.utils import timezone

from ratusha.appeals import services as appeals
from ratusha.appeals.constants import AnswerChannel, AppealStatus, Outcome
from ratusha.appeals.models import Appeal
from ratusha.calendar.selectors import deadline
from ratusha.registry.constants import LinkKind
from ratusha.registry.models import DocumentLink
from ratusha.workflow import services as workflow
from ratusha.workflow.approvals import services as approvals
from ratusha.workflow.approvals.constants import StepKind
from ratusha.workflow.approvals.models import Draft
from ratusha.workflow.constants import AssignmentStatus, ResolutionStatus
from tests import browser
from tests.appeals.office_helpers import SAMPLE_CSV, pdf_bytes
from tests.appeals.test_intake_support import TEXT
from tests.browser import BROWSER_MARKS, chromium, flash, new_page, sign_in, totp_next  # noqa: F401 — fixture
from tests.factories import EmployeeFactory, JournalFactory, UnitFactory
from tests.smtp import SMTPServer

pytest_plugins = ["tests.appeals.test_intake_support"]
pytestmark = [*BROWSER_MARKS, pytest.mark.usefixtures("fresh_rate_limits")]

SHOTS = Path(os.environ.get("RATUSHA_SCREENSHOTS") or "/tmp/shots/glue")
ANSWER = pdf_bytes("Відповідь: освітлення у дворі відновлять до 1 грудня")
ANSWER_NAME = "Відповідь Петренку.pdf"


def check_page(page, name: str) -> None:
    browser.check_page(page, name)  # screenshots under SHOTS (the ``office`` fixture points it there)


def submit(page, button) -> None:
    with page.expect_navigation():
        button.click()


def wait_for_mail(server: SMTPServer, subject: str, timeout: float = 10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = [m for m in server.messages if m["Subject"] == subject]
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"no e-mail «{subject}»: {[m['Subject'] for m in server.messages]}")


@pytest.fixture
def office(council, settings, tmp_path, monkeypatch):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    monkeypatch.setattr(browser, "SHOTS", SHOTS)
    settings.BLOB_DIR = tmp_path / "blobs"
    settings.APPEALS = {"FORM_MIN_SECONDS": 0}  # a script fills the public form faster than a person
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    unit = UnitFactory(organisation=council, name="Відділ роботи зі зверненнями громадян", code="13")
    JournalFactory(organisation=council, kind="appeals", name="Журнал звернень громадян",
                   index_template="{prefix}-{seq}", prefix="ЗГ")
    JournalFactory(organisation=council, kind="outgoing", name="Вихідна кореспонденція",
                   index_template="{seq}/13")

    def person(roles, username, first, last):
        return EmployeeFactory(organisation=council, unit=unit, roles=roles, user__username=username,
                               user__first_name=first, user__last_name=last, user__middle_name="").user

    people = {
        "officer": person(["reception"], "officer", "Оксана", "Мельник"),
        "head": person(["head"], "mayor", "Марія", "Ткачук"),
        "executor": person(["executor"], "worker", "Петро", "Коваль"),
    }
    people["device"] = TOTPDevice.objects.create(user=people["head"], name="Телефон", confirmed=True)
    template = approvals.route_template_create(actor=people["head"], organisation=council,
                                               name="Відповідь на звернення", kind="letter")
    approvals.route_template_step_add(actor=people["head"], template=template, stage=1, kind=StepKind.SIGN,
                                      user=people["head"])
    people["topics"] = appeals.classifier_load(actor=None, data=SAMPLE_CSV.read_bytes(),
                                               source_name="classifier_sample.csv")
    return people


def test_citizen_to_answer_end_to_end(chromium, live_server, council, office, smtp_server, tmp_path):  # noqa: F811
    base = live_server.url
    officer, head, executor, device = office["officer"], office["head"], office["executor"], office["device"]

    # 1. The citizen submits the e-appeal; the confirmation page shows the tracking code; the e-mail comes.
    citizen = new_page(chromium)
    citizen.goto(f"{base}/appeals/new/")
    citizen.fill("#id_last_name", "Петренко")
    citizen.fill("#id_first_name", "Іван")
    citizen.fill("#id_middle_name", "Васильович")
    citizen.get_by_label("Населений пункт").fill("м. Луцьк")
    citizen.get_by_label("Вулиця, будинок, квартира").fill("вул. Лесі Українки, 5, кв. 12")
    citizen.get_by_label("Електронна пошта").fill("ivan.petrenko@example.com")
    citizen.get_by_label("Суть звернення").fill(TEXT)
    citizen.get_by_label("Я ознайомився(-лася)").check()
    submit(citizen, citizen.get_by_role("button", name="Надіслати звернення"))
    appeal = Appeal.objects.get()
    code = appeal.tracking_code
    assert citizen.locator(".tracking-code").inner_text() == code
    [confirmation] = wait_for_mail(smtp_server, f"Ратуша: ваше звернення отримано — код {code}")
    assert confirmation["To"] == "ivan.petrenko@example.com"
    assert f"Код відстеження: {code}" in SMTPServer.text(confirmation)

    # 2. The officer registers it from «Нові з сайту» and codes it (topic of Classifier 858).
    clerk = sign_in(chromium, base, officer)
    clerk.goto(f"{base}/office/appeals/submitted/")
    check_page(clerk, "e1-submitted-queue")
    submit(clerk, clerk.locator(f'a[href="/office/appeals/{appeal.pk}/"]').first)
    submit(clerk, clerk.get_by_role("button", name="Зареєструвати звернення"))
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REGISTERED
    index = appeal.document.reg_index
    term = deadline("appeal", appeal.received_date)
    assert appeal.deadline == term
    assert f"№ {index}" in clerk.locator("h1").inner_text()
    clerk.locator("#code summary").click()
    topic = office["topics"].topics.get(code="008.007")
    clerk.select_option("#id_code_topic", str(topic.pk))
    submit(clerk, clerk.get_by_role("button", name="Зберегти кодування"))
    assert "Кодування звернення збережено." in flash(clerk)
    appeal.refresh_from_db()
    assert appeal.topic == topic

    # The citizen's tracking page shows the registration and the term.
    citizen.goto(f"{base}/appeals/track/?code={code}")
    facts = citizen.locator(".track-result").inner_text()
    assert f"до {term:%d.%m.%Y}" in facts and index in facts

    # 3. The head routes it to the executor; the resolution's deadline is the appeal's.
    mayor = sign_in(chromium, base, head, device=device)
    mayor.goto(f"{base}/office/appeals/{appeal.pk}/")
    routing = mayor.locator("#routing")
    assert f"до {term:%d.%m.%Y}" in routing.inner_text()
    check_page(mayor, "e2-appeal-to-route")
    mayor.select_option("#id_route_responsible", f"u:{executor.pk}")
    assert mayor.is_checked("#id_route_on_control")
    mayor.select_option("#id_route_controller", str(head.pk))
    submit(mayor, routing.get_by_role("button", name="Направити"))
    assert f"Звернення направлено виконавцям (доручень: 1), термін — до {term:%d.%m.%Y}." in flash(mayor)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.IN_WORK
    resolution = appeal.document.resolutions.get()
    assert resolution.deadline == term and resolution.controller == head
    assert "Коваль П." in mayor.locator("#routing").inner_text()
    check_page(mayor, "e3-appeal-routed")

    # 4. The executor opens the appeal, prepares the answer draft and sends it on approval.
    worker = sign_in(chromium, base, executor)
    worker.goto(f"{base}/office/appeals/{appeal.pk}/")
    assert "Петренко Іван Васильович" in worker.locator("#applicant").inner_text()
    submit(worker, worker.get_by_role("link", name="Підготувати відповідь"))
    assert worker.url == f"{base}/office/approvals/new/?answer_to={appeal.document_id}"
    assert worker.input_value("#id_summary") == f"Відповідь на № {index} від {appeal.document.reg_date:%d.%m.%Y}"
    assert worker.input_value("#id_addressee") == "Петренко Іван Васильович, м. Луцьк, вул. Лесі Українки, 5, кв. 12"
    assert worker.locator("#id_journal option:checked").inner_text() == "Вихідна кореспонденція"
    check_page(worker, "e4-answer-draft-new")
    letter = tmp_path / ANSWER_NAME
    letter.write_bytes(ANSWER)
    worker.set_input_files("#id_file", str(letter))
    submit(worker, worker.get_by_role("button", name="Створити проєкт"))
    draft = Draft.objects.get()
    assert draft.answer_to == appeal.document
    assert f"У відповідь на № {index}" in worker.locator("#answer-to").inner_text()
    submit(worker, worker.locator("#start").get_by_role("button", name="Надіслати на погодження"))
    assert "Проєкт надіслано на погодження." in flash(worker)
    check_page(worker, "e5-answer-draft-on-approval")

    # 5. The head signs it with the TOTP code: registered in the outgoing journal, linked to the appeal.
    mayor.goto(f"{base}/office/approvals/")
    submit(mayor, mayor.locator("#to-decide").get_by_role("link", name=draft.summary))
    mayor.fill("#id_sign_token", totp_next(device))
    submit(mayor, mayor.get_by_role("button", name="Підписати"))
    draft.refresh_from_db()
    answer = draft.document
    assert answer is not None and "Документ підписано й зареєстровано" in flash(mayor)
    assert DocumentLink.objects.filter(source=answer, target=appeal.document, kind=LinkKind.ANSWER_TO).exists()

    # The executor reports the assignment with the answer card; the controller takes it off control.
    [assignment] = resolution.assignments.all()
    assignment = workflow.assignment_accept(actor=executor, assignment=assignment, expected_version=assignment.version)
    assignment = workflow.assignment_report(actor=executor, assignment=assignment,
                                            expected_version=assignment.version,
                                            text="Підготовлено відповідь заявникові.", report_document=answer)
    workflow.assignment_accept_report(actor=head, assignment=assignment, expected_version=assignment.version)
    resolution.refresh_from_db()
    workflow.resolution_close(actor=head, resolution=resolution, expected_version=resolution.version,
                              result="Надано відповідь заявникові.", answer_index=answer.reg_index)
    resolution.refresh_from_db()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE and assignment.report_document == answer
    assert resolution.status != ResolutionStatus.ACTIVE

    # 6. The officer records the answer: «роз'яснено», by e-mail.
    clerk.goto(f"{base}/office/appeals/{appeal.pk}/")
    form = clerk.locator("#answer")
    assert answer.reg_index in clerk.locator("#id_ans_answer_document option:checked").inner_text()
    check_page(clerk, "e6-appeal-answer-form")
    clerk.select_option("#id_ans_outcome", "explained")
    clerk.check("#id_ans_channel_0")
    submit(clerk, form.get_by_role("button", name="Надіслати відповідь"))
    assert "Відповідь надіслано заявникові електронною поштою." in flash(clerk)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ANSWERED and appeal.outcome == Outcome.EXPLAINED
    assert appeal.answer_document == answer and appeal.answer_channel == AnswerChannel.EMAIL
    assert timezone.localdate(appeal.answered_at) <= appeal.deadline == term  # answered within its term
    check_page(clerk, "e7-appeal-answered")

    [mail] = wait_for_mail(smtp_server, f"Відповідь на ваше звернення № {index}")
    assert mail["To"] == "ivan.petrenko@example.com"
    assert "Результат розгляду: Роз'яснено." in SMTPServer.text(mail)
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == ANSWER_NAME and attachment.get_content() == ANSWER

    # 7. The citizen sees the answer and downloads it from the tracking page.
    citizen.goto(f"{base}/appeals/track/?code={code}")
    assert citizen.locator(".status-pill").inner_text().endswith("Надано відповідь")
    assert "Роз'яснено" in citizen.locator(".track-result").inner_text()
    check_page(citizen, "e8-track-answered")
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name=f"Завантажити «{ANSWER_NAME}»").click()
    assert Path(download.value.path()).read_bytes() == ANSWER
