"""Issue 3, approvals, entirely in Debian's Chromium: the author creates a draft with a PDF and sends it
along a three-stage route (one visa; two parallel visas; the head's signature); the second approver
rejects it; the author uploads a new version, which voids the visas and restarts the route; the visas
come again (one with remarks); the head signs with a TOTP code (a wrong one first) and the draft becomes
a registered card with the number, the signed file, «Підписав» and the visas.

Each person works in their own browser context; axe (WCAG 2.1 A/AA) on the approvals list and the draft
page at each stage. Screenshots: /tmp/shots/e2e.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from ratusha.core.models import AuditEvent
from ratusha.registry.models import Document
from ratusha.workflow.approvals import services as svc
from ratusha.workflow.approvals.constants import ApproverKind, Decision, DraftStatus, RouteStatus, StepKind
from ratusha.workflow.approvals.models import Draft, Route, RouteTask
from tests.approvals.conftest import make_pdf
from tests.browser import (  # noqa: F401 — chromium is a fixture
    BROWSER_MARKS,
    card_field,
    check_page,
    chromium,
    expect_status,
    flash,
    sign_in,
    totp_next,
)
from tests.factories import EmployeeFactory, JournalFactory, OrganisationFactory, PositionFactory, UnitFactory

pytestmark = BROWSER_MARKS

SUMMARY = "Про ремонт тротуару на вулиці Лесі Українки"


@dataclass
class Office:
    org: Any
    author: Any
    unit_head: Any
    lawyer: Any
    finance: Any
    mayor: Any
    device: Any


def _user(org, username, last, first, middle, *, unit=None, position=None, roles=("executor",)):
    return EmployeeFactory(
        organisation=org,
        unit=unit,
        position=position,
        roles=list(roles),
        user__username=username,
        user__last_name=last,
        user__first_name=first,
        user__middle_name=middle,
    ).user


def build_office() -> Office:
    """A department (author + its head), a lawyer and a financier, the mayor who signs with a TOTP device;
    the outgoing journal; the route template «Лист: стандартний» (1: the unit's head; 2: lawyer ∥ finance;
    3: the mayor signs)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    org = OrganisationFactory(name="Зеленодольська міська рада")
    unit = UnitFactory(organisation=org, name="Відділ благоустрою", code="05")
    head_position = PositionFactory(organisation=org, unit=unit, title="Начальник відділу", is_head=True)
    author = _user(org, "author", "Коваленко", "Олена", "Іванівна", unit=unit)
    unit_head = _user(org, "unithead", "Шевчук", "Петро", "Степанович", unit=unit, position=head_position)
    lawyer = _user(org, "lawyer", "Мельник", "Ірина", "Олегівна")
    finance = _user(org, "finance", "Бондар", "Богдан", "Петрович")
    mayor = _user(org, "mayor", "Ткачук", "Марія", "Андріївна", roles=("head",))
    JournalFactory(
        organisation=org,
        kind="outgoing",
        name="Вихідна кореспонденція",
        index_template="{case}/{seq}",
        default_case_index="05-12",
    )
    template = svc.route_template_create(
        actor=mayor, organisation=org, name="Лист: стандартний", kind="letter"
    )
    svc.route_template_step_add(actor=mayor, template=template, stage=1, approver_kind=ApproverKind.UNIT_HEAD)
    svc.route_template_step_add(actor=mayor, template=template, stage=2, user=lawyer)
    svc.route_template_step_add(actor=mayor, template=template, stage=2, user=finance)
    svc.route_template_step_add(actor=mayor, template=template, stage=3, kind=StepKind.SIGN, user=mayor)
    device = TOTPDevice.objects.create(user=mayor, name="Телефон", confirmed=True)
    return Office(
        org=org,
        author=author,
        unit_head=unit_head,
        lawyer=lawyer,
        finance=finance,
        mayor=mayor,
        device=device,
    )


def submit(page, button) -> None:
    with page.expect_navigation():
        button.click()


def draft_status(page) -> str:
    return page.locator(".page-header .badge").first.inner_text()


def decide(page, base: str, draft: Draft, decision: str, comment: str = "") -> None:
    """From «Погодження» open the draft waiting for me, choose the decision, optionally comment, record it."""
    page.goto(f"{base}/office/approvals/")
    with page.expect_navigation():
        page.locator("#to-decide").get_by_role("link", name=SUMMARY).click()
    assert page.url.endswith(f"/office/approvals/drafts/{draft.pk}/")
    page.locator("#decide").get_by_label(decision, exact=True).check()
    if comment:
        page.fill("#id_decide_comment", comment)
    submit(page, page.get_by_role("button", name="Записати рішення"))
    assert page.url == f"{base}/office/approvals/"
    assert "Ваше рішення записано." in flash(page)


def approvers(page, scope: str = "#route > .route") -> dict[str, str]:
    """{approver's full name: decision badge text} of the round shown in ``scope``."""
    out = {}
    for item in page.locator(f"{scope} .approver").all():
        out[item.locator(".approver__name").inner_text()] = item.locator(".approver__decision").inner_text()
    return out


def test_draft_rejected_revised_visaed_signed_and_registered(chromium, live_server, tmp_path, settings):  # noqa: F811
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code must not make the right one wait
    office = build_office()
    base = live_server.url
    v1 = tmp_path / "Лист Шляхбуду.pdf"
    v1.write_bytes(make_pdf("v1"))
    v2 = tmp_path / "Лист Шляхбуду (виправлений).pdf"
    v2.write_bytes(make_pdf("v2"))

    # The author creates the draft with a PDF and sends it along the template's route.
    author = sign_in(chromium, base, office.author)
    author.goto(f"{base}/office/approvals/")
    author.get_by_role("link", name="Новий проєкт").click()
    author.wait_for_url(f"{base}/office/approvals/new/")
    author.fill("#id_summary", SUMMARY)
    author.fill("#id_addressee", "ТОВ «Шляхбуд»")
    author.set_input_files("#id_file", str(v1))
    submit(author, author.get_by_role("button", name="Створити проєкт"))
    draft = Draft.objects.get()
    assert author.url.startswith(f"{base}/office/approvals/drafts/{draft.pk}/")
    assert draft_status(author) == "Чернетка"
    assert "Лист Шляхбуду.pdf" in author.locator("#version").inner_text()
    start = author.locator("#start").inner_text()
    assert "Лист: стандартний" in start and "Підписує: Ткачук Марія Андріївна" in start
    assert "Етап 2: Мельник Ірина Олегівна" in start and "Етап 2: Бондар Богдан Петрович" in start
    check_page(author, "a1-draft-new")
    submit(author, author.locator("#start").get_by_role("button", name="Надіслати на погодження"))
    assert "Проєкт надіслано на погодження." in flash(author)
    assert draft_status(author) == "На погодженні"
    assert approvers(author) == {
        "Шевчук Петро Степанович": "Очікує",
        "Мельник Ірина Олегівна": "Очікує",
        "Бондар Богдан Петрович": "Очікує",
        "Ткачук Марія Андріївна": "Очікує",
    }

    # Stage 1: the unit's head visas. Stage 2: the lawyer rejects with a reason.
    unit_head = sign_in(chromium, base, office.unit_head)
    unit_head.goto(f"{base}/office/approvals/")
    assert unit_head.locator("#to-decide tbody tr").count() == 1
    check_page(unit_head, "a2-approvals-list-task")
    decide(unit_head, base, draft, "Погодити")
    lawyer = sign_in(chromium, base, office.lawyer)
    decide(lawyer, base, draft, "Не погоджувати й повернути автору", "Немає посилання на рішення сесії")

    # The author sees the return, uploads a new version; the route restarts, the old visas are void.
    author.goto(f"{base}/office/approvals/drafts/{draft.pk}/")
    assert draft_status(author) == "Повернуто на доопрацювання"
    returned = author.locator(".alert--error").inner_text()
    assert "Проєкт повернуто на доопрацювання" in returned and "Немає посилання на рішення сесії" in returned
    assert "Мельник Ірина Олегівна" in returned
    check_page(author, "a3-draft-returned")
    author.locator("#new-version summary").click()
    author.set_input_files("#id_version_file", str(v2))
    author.fill("#id_version_comment", "Додано посилання на рішення сесії № 12/3")
    submit(author, author.get_by_role("button", name="Завантажити версію"))
    assert "Додано версію 2. Попередні візи втратили чинність; погодження почато спочатку." in flash(author)
    assert draft_status(author) == "На погодженні"
    assert "версія 2" in author.locator("#version").inner_text()
    assert author.locator("#route > .route .approver--void").count() == 0  # the new round is fresh
    author.locator("#route details summary").click()
    old = author.locator("#route details")
    assert old.locator(".approver--void").count() == 1  # the unit head's visa on version 1
    void = old.locator(".approver--void")
    assert void.locator(".approver__name").inner_text() == "Шевчук Петро Степанович"
    assert "Віза недійсна: документ змінено" in void.inner_text()
    assert approvers(author, "#route details")["Мельник Ірина Олегівна"] == "Не погоджено"

    # The visas again on version 2: plain, with remarks, plain.
    decide(unit_head, base, draft, "Погодити")
    decide(lawyer, base, draft, "Погодити із зауваженнями", "Уточнити дату початку робіт")
    finance = sign_in(chromium, base, office.finance)
    decide(finance, base, draft, "Погодити")

    # The mayor signs: a code at login, a wrong code (clear message), then the right one.
    mayor = sign_in(chromium, base, office.mayor, device=office.device)
    mayor.goto(f"{base}/office/approvals/")
    assert mayor.locator("#to-decide tbody tr").inner_text().count("Підпис") == 1
    mayor.locator("#to-decide").get_by_role("link", name=SUMMARY).click()
    mayor.wait_for_url(f"{base}/office/approvals/drafts/{draft.pk}/")
    assert draft_status(mayor) == "Погоджено, на підписі"
    assert (
        "Ви підписуєте версію 2 «Лист Шляхбуду (виправлений).pdf»." in mayor.locator("#decide").inner_text()
    )
    check_page(mayor, "a4-draft-to-sign")
    right = totp_next(office.device)
    mayor.fill("#id_sign_token", "000000" if right != "000000" else "111111")
    submit(mayor, mayor.get_by_role("button", name="Підписати"))
    expect_status(mayor, 400)
    assert "Код не підходить." in mayor.locator("#decide").inner_text()
    assert mayor.locator("#id_sign_token").input_value() == ""  # a one-time code is never shown back
    assert Draft.objects.get(pk=draft.pk).status == DraftStatus.APPROVED
    mayor.fill("#id_sign_token", totp_next(office.device))
    submit(mayor, mayor.get_by_role("button", name="Підписати"))

    # The registered card: the number, the signed file, «Підписав», the visas.
    document = Document.objects.get()
    today = timezone.localdate()
    assert mayor.url == f"{base}/office/documents/{document.pk}/"
    assert f"Документ підписано й зареєстровано: № 05-12/1 від {today:%d.%m.%Y}." in flash(mayor)
    assert mayor.locator("h1").inner_text() == f"№ 05-12/1 від {today:%d.%m.%Y}"
    assert "Лист Шляхбуду (виправлений).pdf" in mayor.locator("#files").inner_text()
    panel = mayor.locator("#approvals")
    signed = panel.locator(".dl").inner_text()
    assert "Підписав" in signed and "Ткачук Марія Андріївна" in signed and "версія 2" in signed
    assert card_field(mayor, "Підписав") == "Ткачук М. А."
    assert card_field(mayor, "Кореспондент / адресат") == "ТОВ «Шляхбуд»"
    assert approvers(mayor, "#approvals > .route") == {
        "Шевчук Петро Степанович": "Погоджено",
        "Мельник Ірина Олегівна": "Погоджено із зауваженнями",
        "Бондар Богдан Петрович": "Погоджено",
        "Ткачук Марія Андріївна": "Підписано",
    }
    assert "Уточнити дату початку робіт" in panel.inner_text()
    check_page(mayor, "a5-registered-card")
    mayor.goto(f"{base}/office/approvals/drafts/{draft.pk}/")
    assert draft_status(mayor) == "Зареєстровано"
    assert "Документ підписано й зареєстровано" in mayor.locator(".alert--success").inner_text()
    check_page(mayor, "a6-draft-registered")

    # The database agrees.
    draft.refresh_from_db()
    assert draft.status == DraftStatus.REGISTERED and draft.document_id == document.pk
    assert document.reg_index == "05-12/1" and document.summary == SUMMARY
    assert document.correspondent == "ТОВ «Шляхбуд»"
    [file] = document.files.all()
    assert file.blob_id == draft.current_version.blob_id and draft.current_version.number == 2
    assert draft.signature.signer == office.mayor and draft.signature.sha256 == file.blob_id
    rounds = list(Route.objects.filter(draft=draft).order_by("round"))
    assert [r.status for r in rounds] == [RouteStatus.SUPERSEDED, RouteStatus.COMPLETED]
    decisions = {
        (t.approver.username, t.decision, t.is_void)
        for t in RouteTask.objects.filter(route=rounds[0]).select_related("approver")
    }
    assert ("unithead", Decision.APPROVED, True) in decisions
    assert ("lawyer", Decision.REJECTED, False) in decisions
    assert {t.sha256 for t in RouteTask.objects.filter(route=rounds[1])} == {file.blob_id}
    actions = list(AuditEvent.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True))
    assert actions.count("signature.code_failed") == 1
    assert actions[-2:] == ["signature.sign", "draft.register"]
