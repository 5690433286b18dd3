"""In Debian's Chromium: an author creates a draft and sends it on approval, an approver visas it, the
signer signs with a TOTP code and lands on the registered card; axe (WCAG 2.1 A/AA) on every page.

Screenshots are written when RATUSHA_SCREENSHOTS=<dir> is set.
"""

import pytest

from ratusha.workflow.approvals import services as svc
from ratusha.workflow.approvals.constants import Decision
from ratusha.workflow.approvals.models import Draft, RouteTask
from tests.approvals.conftest import make_pdf, totp_code
from tests.office.test_browser import CHROMIUM, PASSWORD, browser_page, check_page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def expect_400(page):
    """A form with errors answers 400 (as the registry's do); Chromium logs that as a console error."""
    assert page.console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    page.console_errors.clear()


def sign_in(page, base, user, device=None, offset=0):
    page.context.clear_cookies()
    page.goto(f"{base}/office/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Увійти").click()
    if device is not None:
        page.wait_for_url("**/office/login/code/")
        page.fill("#id_token", totp_code(device, offset))
        page.get_by_role("button", name="Підтвердити").click()
    page.wait_for_url(f"{base}/office/")


def test_draft_to_registered_card(browser_page, live_server, world, device, tmp_path, settings):  # noqa: F811
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    page, base = browser_page, live_server.url
    pdf = tmp_path / "Лист щодо тротуару.pdf"
    pdf.write_bytes(make_pdf("browser"))

    # The author: the list, a new draft (first with a mistake), the route.
    sign_in(page, base, world.author)
    page.goto(f"{base}/office/approvals/")
    assert page.locator("h1").inner_text() == "Погодження"
    check_page(page, "approvals-index-empty")
    page.get_by_role("link", name="Новий проєкт").click()
    page.wait_for_url("**/office/approvals/new/")
    check_page(page, "approvals-new")
    page.fill("#id_summary", "Про ремонт тротуару на вулиці Лесі Українки")
    page.set_input_files("#id_file", str(pdf))
    page.get_by_role("button", name="Створити проєкт").click()
    page.wait_for_load_state()
    assert "Вкажіть адресата листа." in page.locator("#error-summary").inner_text()
    assert page.locator("#id_summary").input_value() == "Про ремонт тротуару на вулиці Лесі Українки"
    expect_400(page)
    check_page(page, "approvals-new-errors")
    page.fill("#id_addressee", "ТОВ «Шляхбуд»")
    page.get_by_role("button", name="Створити проєкт").click()
    page.wait_for_url("**/office/approvals/drafts/*/**")
    draft = Draft.objects.get()
    check_page(page, "approvals-draft-new")
    page.get_by_role("button", name="Надіслати на погодження").click()
    page.wait_for_load_state()
    assert page.locator(".alert--success").count() == 1
    check_page(page, "approvals-draft-on-approval")

    # The unit head: the task list, a rejection without a reason (error), then a visa.
    sign_in(page, base, world.unit_head)
    page.goto(f"{base}/office/approvals/")
    check_page(page, "approvals-index-tasks")
    page.get_by_role("link", name="Про ремонт тротуару", exact=False).first.click()
    page.wait_for_url(f"**/office/approvals/drafts/{draft.pk}/")
    page.get_by_label("Не погоджувати й повернути автору").check()
    page.get_by_role("button", name="Записати рішення").click()
    page.wait_for_load_state()
    assert "Вкажіть причину" in page.locator("#decide").inner_text()
    expect_400(page)
    check_page(page, "approvals-draft-decide-error")
    page.get_by_label("Погодити із зауваженнями").check()
    page.fill("#id_decide_comment", "Додати дату початку робіт")
    page.get_by_role("button", name="Записати рішення").click()
    page.wait_for_url(f"{base}/office/approvals/")

    draft.refresh_from_db()
    for user in (world.lawyer, world.finance):
        task = RouteTask.objects.get(route__draft=draft, approver=user)
        svc.route_task_decide(actor=user, task=task, decision=Decision.APPROVED, sha256=draft.current_sha256)

    # The signer: templates, then the sign form with a fresh code → the registered card with the visas.
    sign_in(page, base, world.signer, device)
    page.goto(f"{base}/office/approvals/templates/")
    check_page(page, "approvals-templates")
    page.get_by_role("link", name="Лист: стандартний").click()
    page.wait_for_load_state()
    check_page(page, "approvals-template")
    page.goto(f"{base}/office/approvals/drafts/{draft.pk}/")
    check_page(page, "approvals-draft-sign")
    page.fill("#id_sign_token", totp_code(device, 1))
    page.get_by_role("button", name="Підписати").click()
    page.wait_for_url("**/office/documents/*/")
    assert page.locator("h1").inner_text().startswith("№ 05-12/1")
    panel = page.locator("#approvals")
    assert "Додати дату початку робіт" in panel.inner_text()
    assert world.signer.full_name in panel.inner_text()
    check_page(page, "approvals-registered-card")
    page.goto(f"{base}/office/approvals/drafts/{draft.pk}/")
    check_page(page, "approvals-draft-registered")


def test_returned_draft_gets_a_new_version(browser_page, live_server, world, started, tmp_path):  # noqa: F811
    page, base = browser_page, live_server.url
    for user, decision, comment in ((world.unit_head, Decision.APPROVED, ""),
                                    (world.lawyer, Decision.REJECTED, "Немає посилання на рішення сесії")):
        started.refresh_from_db()
        task = RouteTask.objects.get(route__draft=started, approver=user)
        svc.route_task_decide(actor=user, task=task, decision=decision, comment=comment,
                              sha256=started.current_sha256)
    pdf = tmp_path / "Лист v2.pdf"
    pdf.write_bytes(make_pdf("v2"))

    sign_in(page, base, world.author)
    page.goto(f"{base}/office/approvals/drafts/{started.pk}/")
    assert "Немає посилання на рішення сесії" in page.locator(".alert--error").inner_text()
    check_page(page, "approvals-draft-returned")
    page.get_by_text("Завантажити нову версію").click()
    page.set_input_files("#id_version_file", str(pdf))
    page.fill("#id_version_comment", "Додано посилання на рішення")
    page.get_by_role("button", name="Завантажити версію").click()
    page.wait_for_load_state()
    assert "погодження почато спочатку" in page.locator(".alert--success").inner_text()
    assert page.locator("#route > .route .approver--void").count() == 0  # the current round is fresh
    page.get_by_text("Попереднє коло").click()
    assert page.locator("#route details .approver--void").count() == 1
    check_page(page, "approvals-draft-restarted")
