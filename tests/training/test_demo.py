import collections
import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from ratusha.core.audit import audit_verify
from ratusha.core.models import AuditEvent
from ratusha.core.storage import blob_read
from ratusha.orgs import permissions
from ratusha.orgs.constants import OrgKind, Role
from ratusha.orgs.models import Delegation, Employee, Organisation, User
from ratusha.registry.constants import AccessMark, DocumentStatus, JournalKind, LinkKind
from ratusha.registry.models import CaseFile, Document, DocumentFile, DocumentLink, Journal, JournalCounter
from ratusha.training import demo
from ratusha.training.demo_data import STAFF
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def snapshot():
    return {model.__name__: model.objects.count() for model in (
        Organisation, User, Employee, Delegation, Journal, CaseFile, Document, DocumentFile, DocumentLink,
        AuditEvent, TOTPDevice)}


def test_small_demo_loads_once_and_is_complete():
    result = demo.load_demo(documents=80, pdf_workers=0)
    assert result.created and result.index_mismatches == 0
    # Organisations: council, executive committee, 10 executive bodies, 3 municipal enterprises.
    kinds = collections.Counter(Organisation.objects.values_list("kind", flat=True))
    assert kinds == {OrgKind.CITY_COUNCIL: 1, OrgKind.EXECUTIVE_COMMITTEE: 1, OrgKind.EXECUTIVE_BODY: 10,
                     OrgKind.MUNICIPAL_ENTERPRISE: 3}
    assert result.organisations == 15
    # People (the training API key's service account is not a person).
    assert User.objects.filter(api_key__isnull=True).count() == len(STAFF) == 60
    assert result.employees == Employee.objects.count() > 60  # some people work in two organisations
    held = set()
    for roles in Employee.objects.values_list("roles", flat=True):
        held.update(roles)
    assert held == set(Role.values)
    # Every organisation keeps its own registry with an incoming journal, and its nomenclature.
    year = Document.objects.order_by("-reg_date").first().reg_date.year
    for org in Organisation.objects.all():
        assert Journal.objects.filter(organisation=org, kind=JournalKind.INCOMING).exists(), org
        assert CaseFile.objects.filter(organisation=org, year=year).count() >= 18
        assert CaseFile.objects.filter(organisation=org, year=year - 1).count() == \
            CaseFile.objects.filter(organisation=org, year=year).count()
    assert CaseFile.objects.filter(index="01-01", retention="Пост.", retention_article="ст. 16 а").exists()
    assert set(CaseFile.objects.values_list("retention", flat=True)) >= {"Пост.", "5 р. ЕПК", "3 р.", "75 р."}
    # Documents: through the registry service, gapless numbers, one PDF each, a mix of access marks.
    # 80 planned documents, plus the cards of the demo's citizens' appeals and their answer letters.
    from ratusha.appeals.models import Appeal

    appeal_cards = Document.objects.filter(appeal__isnull=False).count()
    assert appeal_cards == Appeal.objects.exclude(document=None).count() > 0
    assert result.documents == Document.objects.count() >= 80 + appeal_cards
    for counter in JournalCounter.objects.all():
        seqs = sorted(Document.objects.filter(journal=counter.journal, year=counter.year)
                      .values_list("seq", flat=True))
        assert seqs == list(range(1, counter.last_number + 1))
    assert AuditEvent.objects.filter(action="document.register").count() == Document.objects.count()
    assert {AccessMark.INTERNAL, AccessMark.PUBLIC, AccessMark.PERSONAL} <= set(
        Document.objects.values_list("access", flat=True))
    assert DocumentLink.objects.filter(kind=LinkKind.ANSWER_TO).exists()
    assert Document.objects.filter(status=DocumentStatus.EXECUTED).exclude(answer_index="").exists()
    for doc in Document.objects.all():
        assert doc.registered_by.employments.filter(organisation=doc.organisation, is_active=True).exists()
    # Exchange (issue 7): letters from the committee to the enterprises with receipts in the cards.
    from ratusha.api.models import ApiKey
    from ratusha.exchange.models import Delivery
    from ratusha.training.demo_exchange import DEMO_API_KEY_ID

    statuses = collections.Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses["registered"] >= 1 and statuses["rejected"] == 1 and statuses["delivered"] >= 1, statuses
    for delivery in Delivery.objects.filter(status="registered"):
        assert delivery.registered_document.organisation_id == delivery.recipient_id
        assert delivery.receipts.get(kind="registered").reg_index == delivery.registered_document.reg_index
    assert ApiKey.objects.get(key_id=DEMO_API_KEY_ID).organisation.code == "demo-vodokanal"
    from ratusha.exchange.models import Participant

    assert set(Participant.objects.filter(is_active=True).values_list("organisation__code", flat=True)) == {
        "demo-vykonkom", "demo-vodokanal"}
    assert audit_verify() is None
    # Second run: nothing changes.
    before = snapshot()
    again = demo.load_demo(documents=80, pdf_workers=0)
    assert not again.created
    assert snapshot() == before


def test_pdfs_have_a_real_text_layer_equal_to_the_stored_text():
    from ratusha.search.extract import extract_text

    demo.load_demo(documents=12, pdf_workers=0)
    for file in DocumentFile.objects.select_related("blob"):
        data = blob_read(file.blob_id)
        assert data.startswith(b"%PDF") and file.blob.mime == "application/pdf"
        extracted = extract_text(data, "application/pdf")
        # The extractor joins words hyphenated at a line end («житлово-\nкомунальні»); compare without hyphens.
        assert sorted(extracted.replace("-", "").split()) == sorted(file.text.replace("-", "").split())
        assert " ".join(file.document.summary.split()[-2:]) in " ".join(file.text.split())


def test_demo_accounts_log_in_and_admins_have_the_demo_totp(client):
    from django_otp.oath import totp

    demo.load_demo(documents=3, pdf_workers=0)
    for row in demo.demo_logins():
        user = User.objects.get(username=row["username"])
        assert user.check_password(demo.DEMO_PASSWORD)
        assert permissions.has_role(user, Organisation.objects.get(short_name=row["organisation"]), {row["role"]})
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists() == bool(row["totp"])
    admin = User.objects.get(username="d.kovalchuk")
    assert admin.is_superuser
    device = TOTPDevice.objects.get(user=admin)
    assert device.key == demo.demo_totp_key_hex()
    # The published secret really opens the second factor.
    assert device.verify_token(f"{totp(device.bin_key):06d}")
    assert "secret=SOSNIVKADEMOTOTPKEYFORTRAINERS23" in demo.demo_otpauth_uri("d.kovalchuk")


def test_acting_head_has_the_rights_today():
    demo.load_demo(documents=0, pdf_workers=0)
    deputy = User.objects.get(username="s.havryliuk")
    zhkg = Organisation.objects.get(code="demo-zhkg")
    assert permissions.has_role(deputy, zhkg, {Role.HEAD})
    assert Delegation.objects.count() == 4


def test_logins_cover_every_role():
    rows = demo.demo_logins()
    assert {r["role"] for r in rows} == set(Role.values)
    assert all(1 <= sum(r["role"] == role for r in rows) <= 2 for role in Role.values)
    text = demo.format_demo_logins()
    assert demo.DEMO_PASSWORD in text and demo.DEMO_TOTP_SECRET in text and "m.tkachenko" in text


def test_refuses_an_installation_with_its_own_data():
    OrganisationFactory(code="real-council")
    with pytest.raises(demo.DemoRefusedError):
        demo.load_demo(documents=0, pdf_workers=0)
    assert not User.objects.exists() and not demo.demo_installed()


def test_command_prints_logins_and_is_idempotent():
    out = io.StringIO()
    call_command("demo", documents=5, pdf_workers=0, stdout=out)
    text = out.getvalue()
    assert "завантажено" in text and demo.DEMO_PASSWORD in text and "d.kovalchuk" in text
    out = io.StringIO()
    call_command("demo", documents=5, stdout=out)
    assert "вже завантажено" in out.getvalue()
    assert Document.objects.count() == 5


@pytest.mark.parametrize("frozen", ["2026-12-07 10:00", "2027-01-05 10:00"])
def test_demo_execution_and_approvals_give_every_board_something_to_show(frozen):
    from django.db.models import F
    from django.utils import timezone

    from ratusha.notifications.constants import EmailState
    from ratusha.notifications.models import Notification
    from ratusha.workflow.approvals.constants import Decision, DraftStatus
    from ratusha.workflow.approvals.models import Draft, RouteTask
    from ratusha.workflow.constants import AssignmentStatus, ResolutionStatus
    from ratusha.workflow.models import Assignment, Resolution

    # The boards are checked at fixed dates (late in a year, and in its first working days),
    # never at the day the suite happens to run (house rule 12).
    with time_machine.travel(dt.datetime.fromisoformat(frozen).replace(tzinfo=dt.UTC)):
        demo.load_demo(documents=220, pdf_workers=0)
        today = timezone.localdate()
    open_ = Assignment.objects.exclude(status__in=[AssignmentStatus.DONE, AssignmentStatus.CANCELLED])
    assert open_.filter(deadline__lt=today).exists(), "the control board shows overdue work"
    assert open_.filter(deadline__gte=today).exists(), "and work in progress"
    done = Assignment.objects.filter(status=AssignmentStatus.DONE)
    assert done.filter(done_on__lte=F("deadline")).exists() and done.filter(done_on__gt=F("deadline")).exists()
    assert Assignment.objects.filter(depth=1).exists(), "sub-assignments down a unit"
    # Every resolution is written into its card; closed ones carry the execution mark.
    for resolution in Resolution.objects.select_related("document"):
        card = resolution.document
        assert card.resolution and card.execution_deadline and card.resolution_author_id
        if resolution.status == ResolutionStatus.CLOSED:
            assert card.status == DocumentStatus.EXECUTED and card.executed_on == resolution.executed_on
    assert Notification.objects.exists()
    assert not Notification.objects.filter(email_state=EmailState.PENDING).exists(), "the demo sends no mail"
    # Drafts at every step; the demo head has a signature waiting and the TOTP to give it.
    assert set(Draft.objects.values_list("status", flat=True)) >= {
        DraftStatus.DRAFT, DraftStatus.ON_APPROVAL, DraftStatus.RETURNED, DraftStatus.APPROVED}
    assert RouteTask.objects.filter(approver__username="i.kovalenko", kind="sign", decision=Decision.PENDING,
                                    route__draft__status=DraftStatus.APPROVED).exists()
    assert TOTPDevice.objects.filter(user__username="i.kovalenko", confirmed=True).exists()
    demo_signed_draft_reads_final()
    # Citizens' appeals through the appeals services: a queue from the site, answered ones with their answer
    # letter linked to the card, work in progress; reception schedules; the published Open311 key works.
    from ratusha.appeals.constants import AppealStatus
    from ratusha.appeals.models import Appeal, AppealEvent
    from ratusha.appeals.open311.services import api_key_authenticate
    from ratusha.appeals.reception.models import ReceptionSchedule
    from ratusha.training.demo_appeals import demo_open311_key

    statuses = set(Appeal.objects.values_list("status", flat=True))
    assert {AppealStatus.SUBMITTED, AppealStatus.IN_WORK, AppealStatus.CLOSED} <= statuses, statuses
    for appeal in Appeal.objects.exclude(answer_document=None):
        assert DocumentLink.objects.filter(source=appeal.answer_document, target=appeal.document,
                                           kind=LinkKind.ANSWER_TO).exists()
        assert appeal.answered_at.date() >= appeal.received_date
    assert not AppealEvent.objects.filter(emailed_at=None).exists(), "the demo e-mails no citizen"
    assert ReceptionSchedule.objects.filter(is_published=True).count() == 3
    assert api_key_authenticate(demo_open311_key()).organisation.code == "demo-vykonkom"
    assert demo_open311_key() in demo.format_demo_logins()
    assert audit_verify() is None


def demo_signed_draft_reads_final():
    """The demo head signs the draft waiting for them: the registered file is the final document (its
    number and date, the head's name), without «ПРОЄКТ» or «(підпис після погодження)»."""
    import subprocess
    import tempfile

    from ratusha.registry.generation.context import signature_name
    from ratusha.workflow.approvals import services as ap
    from ratusha.workflow.approvals.constants import Decision, DraftStatus
    from ratusha.workflow.approvals.models import RouteTask
    from tests.approvals.conftest import totp_code

    task = RouteTask.objects.filter(approver__username="i.kovalenko", kind="sign", decision=Decision.PENDING,
                                    route__draft__status=DraftStatus.APPROVED).select_related(
        "approver", "route__draft").first()
    head, draft = task.approver, task.route.draft
    device = TOTPDevice.objects.get(user=head, confirmed=True)
    assert "ПРОЄКТ" not in _pdf_text(blob_read(draft.current_sha256), subprocess, tempfile)
    document = ap.route_task_sign(actor=head, task=task, sha256=draft.current_sha256,
                                  credentials={"token": totp_code(device)})
    text = _pdf_text(blob_read(document.files.get(is_current=True).blob_id), subprocess, tempfile)
    assert document.reg_index in text and document.reg_date.strftime("%d.%m.%Y") in text, text
    assert signature_name(head) in text, text
    assert "ПРОЄКТ" not in text and "(підпис після погодження)" not in text and "____" not in text, text


def _pdf_text(data, subprocess, tempfile):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(["pdftotext", "-layout", handle.name, "-"], capture_output=True, text=True,
                              check=True, timeout=60).stdout
