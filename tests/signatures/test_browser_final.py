"""Browser: the head (signed in with a TOTP code) signs a decision made from a template on the draft's page
with the key's passphrase; the file of the registered card reads as final — its registration index and date
and the signer's name, no «ПРОЄКТ» and no «(підпис після погодження)» — the stamp covers no text, and both
pdfsig and our verifier call the signature valid. The pages pass axe (WCAG 2.1 AA)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from cryptography import x509
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ratusha.core.storage import blob_read
from ratusha.registry.models import Document
from ratusha.signatures import services
from tests import browser
from tests.browser import BROWSER_MARKS, check_page, sign_in
from tests.signatures import helpers
from tests.signatures.final_checks import DRAFT_MARKERS, covered_words, decision_journal, has_number, pdf_text
from tests.signatures.helpers import PASSPHRASE, make_people, nss_db, pdfsig
from tests.signatures.test_final_document import decision_on_signing

chromium, _own_blob_dir = browser.chromium, helpers._own_blob_dir  # fixtures

pytestmark = BROWSER_MARKS


def test_head_signs_a_template_decision_that_reads_final(chromium, live_server, settings, tmp_path):
    settings.APPROVALS_SIGNATURE_STRATEGY = "ratusha.signatures.strategy.PadesSignature"
    settings.BASE_URL = live_server.url
    settings.SIGNATURES_LEVEL = "B-LT"
    people = make_people()
    ca = services.installation_ca_create(actor=people.admin, name="Зеленодольськ ЦС",
                                         organisation_name="Зеленодольська МР")
    services.credential_issue(actor=people.head, passphrase=PASSPHRASE, passphrase2=PASSPHRASE)
    journal = decision_journal(people.org)
    draft, _task = decision_on_signing(people, journal)
    assert "ПРОЄКТ" not in pdf_text_of(tmp_path, blob_read(draft.current_sha256), "draft")  # template drafts
    device = TOTPDevice.objects.create(user=people.head, name="Телефон", confirmed=True)

    head = sign_in(chromium, live_server.url, people.head, device=device)
    head.goto(f"{live_server.url}/office/approvals/drafts/{draft.pk}/")
    check_page(head, "final-decision-sign")
    head.fill("input[name=passphrase]", PASSPHRASE)
    head.get_by_role("button", name="Підписати").click()
    head.wait_for_url("**/office/documents/**")
    document = Document.objects.get(journal=journal)
    assert document.reg_index in head.locator("h1").inner_text()
    assert "Сформовано остаточну редакцію для підпису" in head.locator("#history").inner_text()
    check_page(head, "final-decision-card")

    # The card's file, downloaded as the head does.
    file = document.files.get(is_current=True)
    link = head.locator(f"#files a[href='{reverse('registry:file_download', args=[file.pk])}']").first
    with head.expect_download() as download:
        link.click()
    path = tmp_path / "signed.pdf"
    download.value.save_as(path)
    signed = path.read_bytes()
    assert signed == blob_read(file.blob_id)

    text = pdf_text(path)
    assert has_number(text, document.reg_index), text
    assert document.reg_date.strftime("%d.%m.%Y") in text and "Марія ТКАЧУК" in text
    assert not [marker for marker in DRAFT_MARKERS if marker in text], text
    assert covered_words(path, signed) == []
    out = pdfsig(path, nss_db(tmp_path, x509.load_der_x509_certificate(bytes(ca.certificate_der))))
    assert "Signature is Valid" in out and "Certificate is Trusted" in out, out
    with ThreadPoolExecutor(1) as pool:  # the engine runs asyncio; Playwright's loop owns this thread
        report = pool.submit(services.verify_bytes, signed).result()
    assert str(report.status) == "VALID", report.as_dict()
    head.context.close()


def pdf_text_of(tmp_path, data: bytes, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return pdf_text(path)
