"""The approval route ends in a PAdES signature (end to end, with the installation CA's TSA and OCSP served
by the live server): the registered card's file is a signed PDF that pdfsig reports valid with the CA in an
NSS db; one flipped byte fails both pdfsig and our verifier; revocation shows on verification; a wrong
passphrase is refused and counted; two concurrent signs of one draft make one signature."""

from __future__ import annotations

import pytest
from cryptography import x509

from ratusha.core.errors import ApplicationError
from ratusha.core.storage import blob_read
from ratusha.registry.models import Document
from ratusha.signatures import selectors, services
from ratusha.signatures.models import SignatureRecord
from ratusha.workflow.approvals import services as ap
from ratusha.workflow.approvals.constants import StepKind
from ratusha.workflow.approvals.models import RouteTask, SignFailure
from tests.concurrency import run_concurrently
from tests.signatures import helpers
from tests.signatures.helpers import PASSPHRASE, flip_byte, login, make_pdf, make_people, nss_db, pdfsig

_own_blob_dir = helpers._own_blob_dir  # fixture

pytestmark = pytest.mark.django_db(transaction=True)  # the live server's thread answers OCSP/TSA from the DB


@pytest.fixture
def world(settings, live_server):
    settings.APPROVALS_SIGNATURE_STRATEGY = "ratusha.signatures.strategy.PadesSignature"
    settings.BASE_URL = live_server.url
    settings.SIGNATURES_LEVEL = "B-LT"
    people = make_people()
    ca = services.installation_ca_create(actor=people.admin, name="Зеленодольськ ЦС",
                                         organisation_name="Зеленодольська МР")
    credential = services.credential_issue(actor=people.head, passphrase=PASSPHRASE, passphrase2=PASSPHRASE)
    return people, ca, credential


def _draft_on_signing(people, text: str = "Лист про ремонт тротуару"):
    draft = ap.draft_create(actor=people.other, journal=people.journal, kind="letter", summary=text,
                            addressee="ТОВ «Шляхбуд»", name="Лист.pdf", content=make_pdf(text))
    ap.route_start(actor=people.other, draft=draft, steps=[ap.RouteStep(1, people.head, StepKind.SIGN)])
    draft.refresh_from_db()
    return draft, RouteTask.objects.get(route__draft=draft, kind=StepKind.SIGN)


def test_route_ends_in_pades_that_pdfsig_accepts(world, tmp_path, client):
    people, ca, credential = world
    draft, task = _draft_on_signing(people)

    with pytest.raises(ApplicationError) as info:
        ap.route_task_sign(actor=people.head, task=task, sha256=draft.current_sha256,
                           credentials={"passphrase": "wrong passphrase"})
    assert info.value.field == "passphrase"
    assert SignFailure.objects.filter(user=people.head).count() == 1

    document = ap.route_task_sign(actor=people.head, task=task, sha256=draft.current_sha256,
                                  credentials={"passphrase": PASSPHRASE})
    assert not SignFailure.objects.filter(user=people.head).exists()
    file = document.files.get(is_current=True)
    assert file.blob.mime == "application/pdf" and file.blob_id != draft.current_sha256
    signed = blob_read(file.blob_id)
    record = SignatureRecord.objects.get(document=document)
    assert record.kind == "pades" and record.credential == credential and record.blob_id == file.blob_id
    assert record.document_file == file and record.level == "B-LT"
    assert selectors.verification_code_for_document(document) == record.code

    report = services.verify_bytes(signed)
    assert str(report.status) == "VALID", report.as_dict()
    (sig,) = report.signatures
    assert sig.signer_name == "Ткачук Марія Андріївна" and sig.revocation == "good"
    assert sig.timestamp_time is not None and sig.level == "PAdES-B-LT"

    ca_cert = x509.load_der_x509_certificate(bytes(ca.certificate_der))
    nss = nss_db(tmp_path, ca_cert)
    good = tmp_path / "signed.pdf"
    good.write_bytes(signed)
    out = pdfsig(good, nss)
    assert "Signature is Valid" in out and "Certificate is Trusted" in out, out

    tampered = flip_byte(signed, b"/Title (")
    bad = tmp_path / "tampered.pdf"
    bad.write_bytes(tampered)
    out = pdfsig(bad, nss)
    assert "Signature is Valid" not in out, out
    assert str(services.verify_bytes(tampered).status) == "INVALID"

    # The card shows the signature and the public page finds it by the code.
    login(client, people.head)
    page = client.get(f"/office/signatures/document/{document.pk}/")
    assert page.status_code == 200 and "Підпис дійсний" in page.content.decode()
    public = client.get("/verify/", {"code": record.code})
    assert public.status_code == 200
    assert "Підпис дійсний" in public.content.decode() and document.reg_index in public.content.decode()

    services.credential_revoke(actor=people.admin, credential=credential, reason="key_compromise")
    after = services.verify_bytes(signed)
    (sig,) = after.signatures
    assert sig.revocation == "revoked", after.as_dict()
    assert "ВІДКЛИКАНО" in client.get("/verify/", {"code": record.code}).content.decode()


def test_concurrent_signing_makes_one_signature(world):
    people, _ca, _credential = world
    draft, task = _draft_on_signing(people, "Лист про освітлення вулиці Лісової")

    def sign():
        return ap.route_task_sign(actor=people.head, task=task, sha256=draft.current_sha256,
                                  credentials={"passphrase": PASSPHRASE})

    outcomes = run_concurrently(sign, [(), ()])
    documents = [o for o in outcomes if isinstance(o, Document)]
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(documents) == 1 and len(errors) == 1, outcomes
    assert isinstance(errors[0], ApplicationError), errors
    assert SignatureRecord.objects.filter(document__in=Document.objects.all()).count() == 1
    assert Document.objects.filter(journal=people.journal).count() == 1
