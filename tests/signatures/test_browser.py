"""Browser: /verify/ (form, a valid report, an invalid report; WCAG 2.1 AA + 2.2 AA) and the office keys
pages (WCAG 2.1 AA), in Debian's Chromium with axe; screenshots under $RATUSHA_SCREENSHOTS."""

from __future__ import annotations

from ratusha.signatures import engine, services
from tests import browser
from tests.browser import BROWSER_MARKS, SHOTS, WCAG_TAGS, check_page, new_page, sign_in
from tests.signatures import helpers
from tests.signatures.helpers import PASSPHRASE, flip_byte, make_people

chromium, _own_blob_dir = browser.chromium, helpers._own_blob_dir  # fixtures

pytestmark = BROWSER_MARKS


def check_public(page, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [*WCAG_TAGS, "wcag22aa"]},
                                       "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    assert page.console_errors == [], f"{name}: {page.console_errors}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_verify_page(chromium, live_server, pki, sample_pdf, tmp_path):
    people = make_people()
    services.trusted_ca_add(actor=people.admin, data=pki.pem("root"))
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # the engine runs asyncio; Playwright's loop owns this thread
        signed = pool.submit(engine.pades_sign, sample_pdf, key=pki.signing_key("signer"),
                             level=engine.SignatureLevel.B_T, services=pki.services()).result()
    good, bad = tmp_path / "рішення-підписане.pdf", tmp_path / "рішення-змінене.pdf"
    good.write_bytes(signed)
    bad.write_bytes(flip_byte(signed, b"/Producer ("))

    page = new_page(chromium)
    page.goto(f"{live_server.url}/verify/")
    check_public(page, "verify-form")
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="Перевірити файл").click()
    page.wait_for_selector(".sig-verdict")
    assert page.locator(".sig-verdict__title").inner_text() == "Підпис дійсний"
    check_public(page, "verify-valid")
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="Перевірити файл").click()
    page.wait_for_selector(".sig-verdict--invalid")
    assert page.locator(".sig-verdict__title").inner_text() == "Підпис недійсний"
    check_public(page, "verify-invalid")
    page.goto(f"{live_server.url}/verify/?code=ABCDE-23456")
    page.console_errors.clear()  # the 404 answer of an unknown code is logged by Chromium
    check_public(page, "verify-code-not-found")
    page.context.close()


def test_office_keys_pages(chromium, live_server, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.BASE_URL = live_server.url
    people = make_people()
    services.installation_ca_create(actor=people.admin, name="Зеленодольськ ЦС", organisation_name="Зеленодольська МР")
    services.credential_issue(actor=people.head, passphrase=PASSPHRASE, passphrase2=PASSPHRASE)
    services.seal_issue(actor=people.admin, organisation=people.org, passphrase=PASSPHRASE,
                        passphrase2=PASSPHRASE, seal_users=[people.clerk])

    from ratusha.workflow.approvals import services as ap
    from ratusha.workflow.approvals.constants import StepKind

    settings.APPROVALS_SIGNATURE_STRATEGY = "ratusha.signatures.strategy.PadesSignature"
    draft = ap.draft_create(actor=people.other, journal=people.journal, kind="letter", summary="Лист про ремонт",
                            addressee="ТОВ «Шляхбуд»", name="Лист.pdf", content=helpers.make_pdf("лист"))
    ap.route_start(actor=people.other, draft=draft, steps=[ap.RouteStep(1, people.head, StepKind.SIGN)])

    head = sign_in(chromium, live_server.url, people.head)
    head.goto(f"{live_server.url}/office/approvals/drafts/{draft.pk}/")
    assert head.locator("input[name=passphrase][type=password]").count() == 1
    check_page(head, "approvals-sign-passphrase")
    head.fill("input[name=passphrase]", PASSPHRASE)
    head.get_by_role("button", name="Підписати").click()
    head.wait_for_url("**/office/documents/**")
    head.get_by_role("link", name="Перевірити підписи").click()
    head.wait_for_selector(".sig-verdict--valid")
    check_page(head, "card-signatures")
    head.goto(f"{live_server.url}/office/signatures/")
    check_page(head, "keys")
    head.fill("#id_issue_passphrase", "short")
    head.fill("#id_issue_passphrase2", "short")
    head.get_by_role("button", name="Створити ключ").click()
    head.wait_for_selector(".field--error")
    head.console_errors.clear()  # the 400 of the re-rendered form
    check_page(head, "keys-error")
    head.goto(f"{live_server.url}/office/signatures/mine/")
    check_page(head, "my-signatures")
    head.goto(f"{live_server.url}/office/signatures/verify/")
    check_page(head, "verify-office")
    head.context.close()

    device = TOTPDevice.objects.create(user=people.admin, name="Телефон", confirmed=True)
    admin = sign_in(chromium, live_server.url, people.admin, device=device)
    admin.goto(f"{live_server.url}/office/signatures/admin/")
    check_page(admin, "keys-admin")
    admin.context.close()
