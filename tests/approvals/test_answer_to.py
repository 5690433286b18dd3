"""Drafts that answer a document (``Draft.answer_to``): the author must be able to open the card; the
new-draft page prefills from ``?answer_to=``; signing links the registered document «Відповідь на» the card
(even when the signer cannot open that card); the draft page shows «У відповідь на …»."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from ratusha.registry.constants import AccessMark, LinkKind
from ratusha.registry.models import DocumentLink
from ratusha.registry.services import document_access_grant, document_cancel, document_register
from ratusha.workflow.approvals import services as svc
from ratusha.workflow.approvals.constants import StepKind
from ratusha.workflow.approvals.models import Draft, RouteTask
from tests.approvals.conftest import make_pdf, totp_code
from tests.approvals.test_views import login
from tests.factories import JournalFactory


@pytest.fixture
def incoming(world):
    journal = JournalFactory(organisation=world.org, kind="incoming", index_template="{seq}",
                             name="Вхідна кореспонденція")

    def make(access=AccessMark.INTERNAL, **kwargs):
        values = {"actor": world.registrar, "journal": journal, "kind": "letter",
                  "summary": "Про ремонт тротуару", "correspondent": "ТОВ «Шляхбуд»", "access": access}
        values.update(kwargs)
        return document_register(**values)

    return make


def sign_by(draft, signer, device):
    svc.route_start(actor=draft.author, draft=draft,
                    steps=[svc.RouteStep(stage=1, approver=signer, kind=StepKind.SIGN)])
    draft.refresh_from_db()
    task = RouteTask.objects.get(route__draft=draft, approver=signer)
    return svc.route_task_sign(actor=signer, task=task, sha256=draft.current_sha256,
                               credentials={"token": totp_code(device)})


def test_draft_answers_a_card_and_signing_links_it(world, incoming, new_draft, device):
    letter = incoming()
    draft = new_draft(answer_to=letter)
    assert draft.answer_to == letter
    event = AuditEvent.objects.get(action="draft.create", object_id=str(draft.pk))
    assert event.params["answer_to"] == str(letter.pk)
    document = sign_by(draft, world.signer, device)
    link = DocumentLink.objects.get(source=document)
    assert (link.target, link.kind, link.created_by) == (letter, LinkKind.ANSWER_TO, world.signer)
    register = AuditEvent.objects.get(action="document.register", object_id=str(document.pk))
    assert register.params["links"] == [{"kind": "answer_to", "target": str(letter.pk),
                                         "reg_index": letter.reg_index}]


def test_a_draft_without_answer_to_gets_no_link(world, new_draft, device):
    document = sign_by(new_draft(), world.signer, device)
    assert not DocumentLink.objects.filter(source=document).exists()


def test_the_author_must_be_able_to_open_the_card(world, incoming, new_draft):
    closed = incoming(access=AccessMark.RESTRICTED)
    with pytest.raises(PermissionDeniedError) as exc:
        new_draft(answer_to=closed)
    assert exc.value.field == "answer_to"
    assert not Draft.objects.exists()
    foreign = JournalFactory(organisation=world.outsider.employments.get().organisation, kind="incoming",
                             index_template="{seq}")
    other_org_letter = document_register(actor=world.outsider, journal=foreign, kind="letter", summary="Лист")
    with pytest.raises(PermissionDeniedError):
        new_draft(answer_to=other_org_letter)
    cancelled = incoming()
    document_cancel(actor=world.registrar, document=cancelled, reason="Помилкова реєстрація")
    cancelled.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        new_draft(answer_to=cancelled)
    assert exc.value.code == "answer_to_cancelled"
    assert not Draft.objects.exists()


def test_the_signer_need_not_open_the_answered_card(world, incoming, new_draft):
    """A restricted letter the author was given access to; the lawyer (no access) signs the answer."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ratusha.registry.selectors import documents_visible_to

    closed = incoming(access=AccessMark.RESTRICTED)
    document_access_grant(actor=world.registrar, document=closed, user=world.author)
    assert not documents_visible_to(world.lawyer).filter(pk=closed.pk).exists()
    draft = new_draft(answer_to=closed)
    device = TOTPDevice.objects.create(user=world.lawyer, name="Телефон", confirmed=True)
    document = sign_by(draft, world.lawyer, device)
    assert DocumentLink.objects.filter(source=document, target=closed, kind=LinkKind.ANSWER_TO).exists()


# --- The pages -----------------------------------------------------------------------------------------


def test_new_draft_page_prefills_from_answer_to(client, world, incoming):
    letter = incoming()
    JournalFactory(organisation=world.org, kind="internal", name="Внутрішні документи", index_template="{seq}")
    login(client, world.author)
    response = client.get(reverse("approvals:new"), {"answer_to": str(letter.pk)})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["summary"] == f"Відповідь на № {letter.reg_index} від {letter.reg_date:%d.%m.%Y}"
    assert form.initial["addressee"] == "ТОВ «Шляхбуд»"
    assert form.initial["journal"] == world.journal.pk and form.initial["kind"] == "letter"
    page = response.content.decode()
    assert f'name="answer_to" value="{letter.pk}"' in page and "У відповідь на" in page

    response = client.post(reverse("approvals:new"), {
        "answer_to": str(letter.pk), "journal": str(world.journal.pk), "kind": "letter",
        "summary": form.initial["summary"], "addressee": "ТОВ «Шляхбуд»", "access": "internal",
        "file": SimpleUploadedFile("Відповідь.pdf", make_pdf("відповідь"), content_type="application/pdf")})
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert draft.answer_to == letter
    page = client.get(reverse("approvals:draft", args=[draft.pk])).content.decode()
    assert 'id="answer-to"' in page and f"№ {letter.reg_index} від" in page
    assert reverse("registry:document", args=[letter.pk]) in page


def test_answer_to_a_card_the_user_cannot_open_is_404(client, world, incoming):
    closed = incoming(access=AccessMark.RESTRICTED)
    login(client, world.author)
    assert client.get(reverse("approvals:new"), {"answer_to": str(closed.pk)}).status_code == 404
    response = client.post(reverse("approvals:new"), {
        "answer_to": str(closed.pk), "journal": str(world.journal.pk), "kind": "letter", "summary": "Відповідь",
        "addressee": "ТОВ", "access": "internal",
        "file": SimpleUploadedFile("Відповідь.pdf", make_pdf("x"), content_type="application/pdf")})
    assert response.status_code == 404
    assert client.get(reverse("approvals:new"), {"answer_to": "not-a-uuid"}).status_code == 404
    assert not Draft.objects.exists()


def test_answer_to_an_appeal_prefills_the_applicant_when_visible(client, db, settings, tmp_path):
    from ratusha.appeals import services as appeals
    from tests.appeals.office_helpers import build_world, register_written
    from tests.factories import EmployeeFactory

    settings.BLOB_DIR = tmp_path / "blobs"
    w = build_world()
    outgoing = JournalFactory(organisation=w.org, kind="outgoing", index_template="{seq}/13")
    appeal = register_written(w)
    appeals.appeal_route(actor=w.head, appeal=appeal, text="Підготувати відповідь.", responsible=w.executor)
    login(client, w.executor)
    response = client.get(reverse("approvals:new"), {"answer_to": str(appeal.document_id)})
    initial = response.context["form"].initial
    assert initial["addressee"] == "Коваленко Іван Петрович, м. Зеленодольськ, вул. Шевченка, буд. 12, кв. 5"
    assert initial["journal"] == outgoing.pk and initial["access"] == AccessMark.PERSONAL
    assert AuditEvent.objects.filter(action="appeal.personal_read", actor=w.executor).exists()

    # Someone given the card but not handling the appeal gets no personal data to copy.
    reader = EmployeeFactory(organisation=w.org, roles=["executor"]).user
    document_access_grant(actor=w.head, document=appeal.document, user=reader)
    client.logout()
    login(client, reader)
    response = client.get(reverse("approvals:new"), {"answer_to": str(appeal.document_id)})
    assert response.status_code == 200 and response.context["form"].initial["addressee"] == ""
