"""A decision made from a template and signed at the end of its route reads as final: the number, date and
signer are in the signed PDF, no draft markers, the stamp sits in the area the layout keeps for it (no text
under it); pdfsig and our verifier call it valid; the visas stay bound to the approved version's SHA-256 and
the card's history says what the final PDF was rendered from. A signing failure rolls the number back; two
final signatures at once in one journal take 1 and 2 (SQLite and PostgreSQL). An uploaded PDF's stamp goes
where it covers no text, or to an added page when there is no room."""

from __future__ import annotations

import pytest
from cryptography import x509

from ratusha.core.errors import ApplicationError
from ratusha.core.models import AuditEvent
from ratusha.core.storage import blob_read
from ratusha.registry.generation.services import draft_create_from_template
from ratusha.registry.models import Document, JournalCounter
from ratusha.signatures import services
from ratusha.workflow.approvals import services as ap
from ratusha.workflow.approvals.constants import Decision, StepKind
from ratusha.workflow.approvals.models import RouteTask, Signature
from tests.concurrency import run_concurrently
from tests.signatures import helpers
from tests.signatures.final_checks import (
    DRAFT_MARKERS,
    covered_words,
    decision_journal,
    has_number,
    pdf_text,
    stamp_rects,
)
from tests.signatures.helpers import PASSPHRASE, make_people, nss_db, pdfsig

_own_blob_dir = helpers._own_blob_dir  # fixture

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = ("Відповідно до статті 30 Закону України «Про місцеве самоврядування в Україні» виконавчий комітет "
        "міської ради вирішив:\n\n1. Затвердити графік ремонту внутрішньоквартальних проїздів на 2027 рік.\n\n"
        "2. Контроль за виконанням рішення покласти на заступника міського голови.")


@pytest.fixture
def world(settings, live_server):
    # The installation CA's TSA and OCSP are answered by the live server (as in test_approvals_pades).
    settings.APPROVALS_SIGNATURE_STRATEGY = "ratusha.signatures.strategy.PadesSignature"
    settings.BASE_URL = live_server.url
    settings.SIGNATURES_LEVEL = "B-LT"
    people = make_people()
    ca = services.installation_ca_create(actor=people.admin, name="Зеленодольськ ЦС",
                                         organisation_name="Зеленодольська МР")
    services.credential_issue(actor=people.head, passphrase=PASSPHRASE, passphrase2=PASSPHRASE)
    return people, ca, decision_journal(people.org)


def decision_on_signing(people, journal, heading="Про графік ремонту проїздів"):
    """A template decision visaed by the clerk and waiting for the head's signature."""
    draft = draft_create_from_template(actor=people.other, journal=journal, kind="executive_decision",
                                       heading=heading, text=TEXT, signer_position="Міський голова",
                                       signer_name="Марія ТКАЧУК", executor_name="Олег ПЕТРЕНКО").draft
    ap.route_start(actor=people.other, draft=draft, steps=[ap.RouteStep(1, people.clerk),
                                                           ap.RouteStep(2, people.head, StepKind.SIGN)])
    draft.refresh_from_db()
    visa = RouteTask.objects.get(route__draft=draft, kind=StepKind.VISA)
    ap.route_task_decide(actor=people.clerk, task=visa, decision=Decision.APPROVED, sha256=draft.current_sha256)
    draft.refresh_from_db()
    return draft, RouteTask.objects.get(route__draft=draft, kind=StepKind.SIGN)


def test_signed_template_decision_reads_final(world, tmp_path):
    people, ca, journal = world
    draft, task = decision_on_signing(people, journal)
    approved_sha = draft.current_sha256
    draft_pdf = tmp_path / "draft.pdf"
    draft_pdf.write_bytes(blob_read(approved_sha))
    assert "____" in pdf_text(draft_pdf)  # the draft the approvers saw has no number yet

    document = ap.route_task_sign(actor=people.head, task=task, sha256=approved_sha,
                                  credentials={"passphrase": PASSPHRASE})
    signed = blob_read(document.files.get(is_current=True).blob_id)
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    text = pdf_text(path)
    assert document.reg_index == "1"
    assert has_number(text, document.reg_index) and document.reg_date.strftime("%d.%m.%Y") in text
    assert "Міський голова" in text and "Марія ТКАЧУК" in text
    assert not [m for m in DRAFT_MARKERS if m in text], text
    assert covered_words(path, signed) == []
    # The stamp is in the kept area: under the signature line, inside the page's right margin (10 mm).
    ((page, (x1, y1, x2, y2)),) = stamp_rects(signed)
    assert abs(x2 - x1 - 260) <= 2 and abs(y2 - y1 - 82) <= 2 and x2 <= 595 - 28

    report = services.verify_bytes(signed)
    assert str(report.status) == "VALID", report.as_dict()
    out = pdfsig(path, nss_db(tmp_path, x509.load_der_x509_certificate(bytes(ca.certificate_der))))
    assert "Signature is Valid" in out, out

    # The visas stay bound to the approved version; the final PDF says where it came from.
    draft.refresh_from_db()
    assert draft.current_sha256 == approved_sha
    assert set(RouteTask.objects.filter(route__draft=draft).values_list("sha256", flat=True)) == {approved_sha}
    signature = Signature.objects.get(draft=draft)
    assert signature.sha256 == approved_sha and signature.signed_blob_id == document.files.get().blob_id
    final = AuditEvent.objects.get(action="document.final_rendition", object_id=str(document.pk))
    generated = AuditEvent.objects.get(action="draft.generate", object_id=str(draft.pk))
    assert final.params["approved_sha256"] == approved_sha
    assert final.params["inputs_sha256"] == generated.params["inputs_sha256"]
    assert final.params["reg_index"] == document.reg_index and final.params["signed_sha256"] == signature.signed_blob_id


def test_card_history_shows_the_final_rendition(world, client):
    people, _ca, journal = world
    draft, task = decision_on_signing(people, journal)
    document = ap.route_task_sign(actor=people.head, task=task, sha256=draft.current_sha256,
                                  credentials={"passphrase": PASSPHRASE})
    client.force_login(people.head)
    page = client.get(f"/office/documents/{document.pk}/").content.decode()
    assert "Сформовано остаточну редакцію для підпису" in page
    assert f"з погодженої версії 1 (SHA-256 {draft.current_sha256[:12]}" in page


def test_signing_failure_rolls_the_number_back(world, monkeypatch):
    people, _ca, journal = world
    draft, task = decision_on_signing(people, journal)
    from ratusha.signatures.services import records

    real = records.pades_bytes

    def failing(**kwargs):
        raise ApplicationError("Служба позначок часу недоступна.", code="tsa_down", field="passphrase")

    monkeypatch.setattr(records, "pades_bytes", failing)
    with pytest.raises(ApplicationError) as info:
        ap.route_task_sign(actor=people.head, task=task, sha256=draft.current_sha256,
                           credentials={"passphrase": PASSPHRASE})
    assert info.value.code == "tsa_down"
    assert not Document.objects.filter(journal=journal).exists()
    assert not Signature.objects.filter(draft=draft).exists()
    assert JournalCounter.objects.filter(journal=journal, last_number__gt=0).count() == 0

    monkeypatch.setattr(records, "pades_bytes", real)
    document = ap.route_task_sign(actor=people.head, task=task, sha256=draft.current_sha256,
                                  credentials={"passphrase": PASSPHRASE})
    assert document.seq == 1 and document.reg_index == "1"


def _sign(user_pk, task_pk, sha256):
    from ratusha.orgs.models import User

    try:
        return ap.route_task_sign(actor=User.objects.get(pk=user_pk), task=RouteTask.objects.get(pk=task_pk),
                                  sha256=sha256, credentials={"passphrase": PASSPHRASE}).seq
    except ApplicationError as exc:
        return exc.code


def test_two_final_signatures_at_once_number_gaplessly(world, tmp_path):
    people, _ca, journal = world
    first, first_task = decision_on_signing(people, journal, "Про графік ремонту проїздів")
    second, second_task = decision_on_signing(people, journal, "Про освітлення вулиці Лісової")

    outcomes = run_concurrently(_sign, [(people.head.pk, first_task.pk, first.current_sha256),
                                        (people.head.pk, second_task.pk, second.current_sha256)])

    assert sorted(outcomes) == [1, 2], outcomes
    for document in Document.objects.filter(journal=journal):
        path = tmp_path / f"{document.seq}.pdf"
        data = blob_read(document.files.get().blob_id)
        path.write_bytes(data)
        assert has_number(pdf_text(path), document.reg_index)  # each PDF carries its own number
        assert str(services.verify_bytes(data).status) == "VALID"


def test_uploaded_pdf_stamp_covers_no_text(world, tmp_path):
    """A draft uploaded as a PDF (not from a template) is signed as it is; its stamp finds empty room."""
    from ratusha.registry.generation import render_pdf
    from ratusha.registry.generation.services import draft_context

    people, _ca, journal = world
    context = draft_context(kind="executive_decision", journal=journal, author=people.other,
                            heading="Про графік ремонту проїздів", text=TEXT, signer_position="Міський голова",
                            signer_name="Марія ТКАЧУК")
    draft = ap.draft_create(actor=people.other, journal=journal, kind="decision", summary="Про графік",
                            name="Рішення.pdf", content=render_pdf(context))
    ap.route_start(actor=people.other, draft=draft, steps=[ap.RouteStep(1, people.head, StepKind.SIGN)])
    draft.refresh_from_db()
    task = RouteTask.objects.get(route__draft=draft)
    document = ap.route_task_sign(actor=people.head, task=task, sha256=draft.current_sha256,
                                  credentials={"passphrase": PASSPHRASE})
    signed = blob_read(document.files.get().blob_id)
    path = tmp_path / "uploaded-signed.pdf"
    path.write_bytes(signed)
    assert covered_words(path, signed) == []
    assert str(services.verify_bytes(signed).status) == "VALID"
    assert not AuditEvent.objects.filter(action="document.final_rendition").exists()


def full_page_pdf() -> bytes:
    """One A4 page of text lines from the top margin to the bottom margin (no room for a stamp)."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    lines = "".join(f"BT /F1 11 Tf 40 {y} Td (Line {y} of the document text that fills the page) Tj ET\n"
                    for y in range(800, 20, -14))
    stream = DecodedStreamObject()
    stream.set_data(lines.encode("ascii"))
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_full_page_gets_a_signature_page(world, tmp_path):
    """No room on the last page: a page is added for the stamp; the text page stays as it was."""
    import io

    from pypdf import PdfReader

    people, _ca, journal = world
    pdf = full_page_pdf()
    draft = ap.draft_create(actor=people.other, journal=journal, kind="decision", summary="Про графік",
                            name="Рішення.pdf", content=pdf)
    ap.route_start(actor=people.other, draft=draft, steps=[ap.RouteStep(1, people.head, StepKind.SIGN)])
    draft.refresh_from_db()
    document = ap.route_task_sign(actor=people.head, task=RouteTask.objects.get(route__draft=draft),
                                  sha256=draft.current_sha256, credentials={"passphrase": PASSPHRASE})
    signed = blob_read(document.files.get().blob_id)
    path = tmp_path / "full-signed.pdf"
    path.write_bytes(signed)
    assert signed.startswith(pdf)  # an incremental update: the approved bytes are kept whole
    assert len(PdfReader(io.BytesIO(signed)).pages) == 2
    assert [page for page, _rect in stamp_rects(signed)] == [1]
    assert covered_words(path, signed) == []
    assert "Line 800" in pdf_text(path)
    assert str(services.verify_bytes(signed).status) == "VALID"
