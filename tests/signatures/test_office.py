"""Office pages: «Мої ключі» (issue, import with a clear refusal), the administrator's page (CA, trust list
with preview, seals, revoke), the card's signatures (co-signer, the council's seal, CAdES .p7s, ASiC-E
export that verifies), and access checks."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ratusha.core.storage import blob_read
from ratusha.signatures import engine, services
from ratusha.signatures.models import SignatureRecord, SigningCredential, TrustedCA
from ratusha.workflow.approvals import services as ap
from ratusha.workflow.approvals.constants import StepKind
from ratusha.workflow.approvals.models import RouteTask
from tests.factories import EmployeeFactory
from tests.signatures import helpers
from tests.signatures.helpers import PASSPHRASE, login, make_pdf

_own_blob_dir, own_ca, people = helpers._own_blob_dir, helpers.own_ca, helpers.people  # fixtures


@pytest.fixture(autouse=True)
def _offline(settings):
    """B-B signatures, no fetching: these pages need no TSA/OCSP server."""
    settings.SIGNATURES_LEVEL = "B-B"
    settings.SIGNATURES_ALLOW_FETCHING = False
    settings.APPROVALS_SIGNATURE_STRATEGY = "ratusha.signatures.strategy.PadesSignature"


@pytest.fixture
def signed_card(people, own_ca):
    """A letter signed by the head through the approval route (PAdES B-B)."""
    services.credential_issue(actor=people.head, passphrase=PASSPHRASE, passphrase2=PASSPHRASE)
    draft = ap.draft_create(actor=people.other, journal=people.journal, kind="letter", summary="Лист про ремонт",
                            addressee="ТОВ «Шляхбуд»", name="Лист.pdf", content=make_pdf("лист"))
    ap.route_start(actor=people.other, draft=draft, steps=[ap.RouteStep(1, people.head, StepKind.SIGN)])
    draft.refresh_from_db()
    task = RouteTask.objects.get(route__draft=draft, kind=StepKind.SIGN)
    return ap.route_task_sign(actor=people.head, task=task, sha256=draft.current_sha256,
                              credentials={"passphrase": PASSPHRASE})


def test_sign_form_asks_for_the_passphrase(client, people, own_ca):
    services.credential_issue(actor=people.head, passphrase=PASSPHRASE, passphrase2=PASSPHRASE)
    draft = ap.draft_create(actor=people.other, journal=people.journal, kind="letter", summary="Лист",
                            addressee="ТОВ", name="Лист.pdf", content=make_pdf("x"))
    ap.route_start(actor=people.other, draft=draft, steps=[ap.RouteStep(1, people.head, StepKind.SIGN)])
    task = RouteTask.objects.get(route__draft=draft, kind=StepKind.SIGN)
    login(client, people.head)
    page = client.get(f"/office/approvals/drafts/{draft.pk}/").content.decode()
    assert 'name="passphrase"' in page and 'type="password"' in page and 'name="token"' not in page
    draft.refresh_from_db()
    wrong = client.post(f"/office/approvals/drafts/{draft.pk}/tasks/{task.pk}/sign/",
                        {"sha256": draft.current_sha256, "passphrase": "wrong passphrase"})
    assert wrong.status_code == 400 and "Пароль до ключа неправильний" in wrong.content.decode()
    assert "wrong passphrase" not in wrong.content.decode()
    ok = client.post(f"/office/approvals/drafts/{draft.pk}/tasks/{task.pk}/sign/",
                     {"sha256": draft.current_sha256, "passphrase": PASSPHRASE})
    assert ok.status_code == 302 and SignatureRecord.objects.count() == 1


def test_readiness_without_key(client, people, own_ca):
    draft = ap.draft_create(actor=people.other, journal=people.journal, kind="letter", summary="Лист",
                            addressee="ТОВ", name="Лист.pdf", content=make_pdf("y"))
    ap.route_start(actor=people.other, draft=draft, steps=[ap.RouteStep(1, people.head, StepKind.SIGN)])
    login(client, people.head)
    page = client.get(f"/office/approvals/drafts/{draft.pk}/").content.decode()
    assert "потрібен чинний ключ" in page and ">Мої ключі</a>" in page


def test_keys_page_issue_and_refusals(client, people, own_ca, pki):
    login(client, people.head)
    assert client.get("/office/signatures/").status_code == 200
    mismatch = client.post("/office/signatures/issue/", {"passphrase": PASSPHRASE, "passphrase2": "other-pass"})
    assert mismatch.status_code == 400 and "Паролі не збігаються" in mismatch.content.decode()
    assert PASSPHRASE not in mismatch.content.decode()
    ok = client.post("/office/signatures/issue/", {"title": "Міський голова", "passphrase": PASSPHRASE,
                                                   "passphrase2": PASSPHRASE})
    assert ok.status_code == 302
    cred = SigningCredential.objects.get(owner=people.head)
    cert = client.get(f"/office/signatures/keys/{cred.pk}/certificate.cer")
    assert cert.status_code == 200 and cert.content == bytes(cred.certificate_der)
    p12 = engine.pkcs12_encrypt(pki.signing_key("signer"), PASSPHRASE)
    wrong = client.post("/office/signatures/import/", {"file": SimpleUploadedFile("key.p12", p12),
                                                       "passphrase": "nope nope"})
    assert wrong.status_code == 400 and "Пароль не підходить" in wrong.content.decode()
    kept = wrong.context["import_form"].data["file_b64"]
    assert kept and "nope nope" not in wrong.content.decode()  # the file rides along, the passphrase not
    retry = client.post("/office/signatures/import/", {"file_b64": kept, "file_name": "key.p12",
                                                       "passphrase": "still wrong"})
    assert retry.status_code == 400 and "Пароль не підходить" in retry.content.decode()
    untrusted = client.post("/office/signatures/import/", {"file": SimpleUploadedFile("key.p12", p12),
                                                           "passphrase": PASSPHRASE})
    assert untrusted.status_code == 400 and "немає у списку довірених" in untrusted.content.decode()
    login(client, people.other)
    assert client.get(f"/office/signatures/keys/{cred.pk}/certificate.cer").status_code == 404
    assert client.post(f"/office/signatures/keys/{cred.pk}/revoke/", {"reason": "other"}).status_code == 404


def test_admin_pages(client, people, pki):
    login(client, people.head)
    assert client.get("/office/signatures/admin/").status_code == 403
    assert client.post("/office/signatures/admin/ca/", {"name": "X", "organisation_name": "Y"}).status_code == 403
    login(client, people.admin, admin=True)
    assert client.get("/office/signatures/admin/").status_code == 200
    assert client.post("/office/signatures/admin/ca/", {"name": "ЦС міста", "organisation_name": "МР"}).status_code == 302
    preview = client.post("/office/signatures/admin/trust/", {"certificate": SimpleUploadedFile("root.pem", pki.pem("root"))})
    assert preview.status_code == 200 and "Ratusha Test Root CA" in preview.content.decode()
    assert not TrustedCA.objects.exists()
    b64 = preview.context["trust_form"].initial["certificate_b64"]
    added = client.post("/office/signatures/admin/trust/", {"certificate_b64": b64, "name": "Тестовий ЦС",
                                                            "confirm": "1"})
    assert added.status_code == 302 and TrustedCA.objects.get().name == "Тестовий ЦС"
    user_cert = client.post("/office/signatures/admin/trust/", {"certificate": SimpleUploadedFile("u.pem", pki.pem("signer")),
                                                                "confirm": "1"})
    assert user_cert.status_code == 400 and "кінцевого користувача" in user_cert.content.decode()
    seal = client.post("/office/signatures/admin/seals/", {"organisation": people.org.pk, "users": [people.clerk.pk],
                                                           "passphrase": PASSPHRASE, "passphrase2": PASSPHRASE})
    assert seal.status_code == 302
    seal_cred = SigningCredential.objects.get(kind="seal")
    assert list(seal_cred.seal_users.all()) == [people.clerk]
    revoke = client.post(f"/office/signatures/keys/{seal_cred.pk}/revoke/", {"reason": "superseded", "next": "admin"})
    assert revoke.status_code == 302
    seal_cred.refresh_from_db()
    assert seal_cred.status == "revoked"


def test_card_cosign_seal_cades_and_asice(client, people, own_ca, signed_card):
    seal = services.seal_issue(actor=people.admin, organisation=people.org, passphrase=PASSPHRASE,
                               passphrase2=PASSPHRASE, seal_users=[people.clerk])
    file = signed_card.files.get(is_current=True)
    login(client, people.clerk)
    page = client.get(f"/office/signatures/document/{signed_card.pk}/")
    assert page.status_code == 200 and "Ткачук Марія Андріївна" in page.content.decode()
    wrong = client.post(f"/office/signatures/document/{signed_card.pk}/sign/",
                        {"file": file.pk, "credential": seal.pk, "passphrase": "wrong one"})
    assert wrong.status_code == 400 and "Пароль до ключа неправильний" in wrong.content.decode()
    ok = client.post(f"/office/signatures/document/{signed_card.pk}/sign/",
                     {"file": file.pk, "credential": seal.pk, "passphrase": PASSPHRASE})
    assert ok.status_code == 302
    current = signed_card.files.get(is_current=True)
    assert current.key == file.key and current.version == file.version + 1
    report = services.verify_bytes(blob_read(current.blob_id))
    assert [s.signer_name for s in report.signatures] == ["Ткачук Марія Андріївна", people.org.name]
    assert all(s.integrity_ok for s in report.signatures), report.as_dict()
    assert SignatureRecord.objects.filter(document=signed_card).count() == 2
    first = SignatureRecord.objects.filter(document=signed_card).order_by("signed_at").first()
    assert len(services.verify_record(first).signatures) == 2  # the code shows the file with every signature

    stale = client.post(f"/office/signatures/document/{signed_card.pk}/sign/",
                        {"file": file.pk, "credential": seal.pk, "passphrase": PASSPHRASE})
    assert stale.status_code in (400, 404)  # the old version is no longer the card's current file

    cades = client.post(f"/office/signatures/document/{signed_card.pk}/files/{current.pk}/cades/",
                        {"credential": seal.pk, "passphrase": PASSPHRASE})
    assert cades.status_code == 302
    record = SignatureRecord.objects.get(document=signed_card, kind="cades")
    p7s = client.get(f"/office/signatures/records/{record.pk}/download/")
    assert p7s.status_code == 200
    checked = services.verify_bytes(p7s.content, content=blob_read(current.blob_id))
    assert all(s.integrity_ok for s in checked.signatures) and checked.signatures

    asice = client.post(f"/office/signatures/asice/{signed_card.pk}/" if False else
                        f"/office/signatures/document/{signed_card.pk}/asice/",
                        {"credential": seal.pk, "passphrase": PASSPHRASE})
    assert asice.status_code == 200 and asice["Content-Type"] == "application/vnd.etsi.asic-e+zip"
    with zipfile.ZipFile(io.BytesIO(asice.content)) as archive:
        names = archive.namelist()
        assert names[0] == "mimetype" and archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    assert current.name in names
    container = services.verify_bytes(asice.content, filename="x.asice")
    assert container.kind == "asice" and container.signatures
    assert all(s.integrity_ok for s in container.signatures), container.as_dict()

    outsider = EmployeeFactory(roles=["registrar", "head"], user__username="sigoutsider").user
    login(client, outsider)
    assert client.get(f"/office/signatures/document/{signed_card.pk}/").status_code == 404
    assert client.get(f"/office/signatures/records/{record.pk}/download/").status_code == 404
    login(client, people.other)  # sees the card (its author) but holds no seal
    refused = client.post(f"/office/signatures/document/{signed_card.pk}/sign/",
                          {"file": current.pk, "credential": seal.pk, "passphrase": PASSPHRASE})
    assert refused.status_code == 400 and SignatureRecord.objects.filter(document=signed_card).count() == 3
