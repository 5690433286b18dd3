"""The office pages of generation in Chromium: axe (WCAG 2.1 AA), a real download, the form round trip."""

from __future__ import annotations

from pathlib import Path

from ratusha.workflow.approvals.models import Draft
from tests.browser import BROWSER_MARKS, check_page, chromium, expect_status, sign_in  # noqa: F401 (fixture)

pytestmark = BROWSER_MARKS


def test_generation_pages(chromium, live_server, council, monkeypatch):  # noqa: F811
    monkeypatch.setattr("tests.browser.SHOTS", Path("/tmp/shots/docgen"))
    from ratusha.registry.services import document_register

    card = document_register(actor=council.registrar, journal=council.outgoing, kind="letter",
                             summary="Про ремонт тротуару", correspondent="ТОВ «Шляхбуд»")
    base = live_server.url

    clerk = sign_in(chromium, base, council.registrar)
    clerk.goto(f"{base}/office/documents/{card.pk}/")
    clerk.screenshot(path="/tmp/shots/docgen/docgen-card.png")  # the «Сформувати документ» button
    clerk.get_by_role("link", name="Сформувати документ").click()
    clerk.wait_for_url(f"**/office/generate/documents/{card.pk}/")
    check_page(clerk, "docgen-choose")
    with clerk.expect_download() as download:
        clerk.get_by_role("button", name="Завантажити PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"

    author = sign_in(chromium, base, council.author)
    author.goto(f"{base}/office/approvals/new/")
    author.get_by_role("link", name="Створити з шаблону").click()
    author.wait_for_url("**/office/generate/drafts/new/")
    check_page(author, "docgen-form")
    author.fill("#id_heading", "")
    author.fill("#id_text", "Прошу відремонтувати тротуар.")
    author.get_by_role("button", name="Сформувати й створити проєкт").click()
    author.locator("#error-summary").wait_for()  # the re-rendered form has arrived
    expect_status(author, 400)
    assert author.locator("#error-summary").is_visible()
    assert author.input_value("#id_text") == "Прошу відремонтувати тротуар."
    check_page(author, "docgen-form-errors")
    author.fill("#id_heading", "Про ремонт тротуару")
    author.fill("#id_addressee", "Директору ТОВ «Шляхбуд»")
    author.get_by_role("button", name="Сформувати й створити проєкт").click()
    author.wait_for_url("**/office/generate/drafts/*/")
    check_page(author, "docgen-created")
    assert Draft.objects.filter(summary="Про ремонт тротуару").count() == 1
