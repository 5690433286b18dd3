"""Services of the approvals app: routes, visas, rejections, new versions, signing and registration."""

import pytest
from django.utils import timezone

from ratusha.core.audit import audit_verify
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from ratusha.notifications.models import Notification
from ratusha.registry.models import Document, DocumentAccessGrant
from ratusha.registry.selectors import documents_visible_to
from ratusha.workflow.approvals import services as svc
from ratusha.workflow.approvals.constants import (
    ApproverKind,
    Decision,
    DraftStatus,
    RouteStatus,
    StepKind,
)
from ratusha.workflow.approvals.models import Draft, Route, RouteTask, Signature
from ratusha.workflow.approvals.services import RouteStep
from tests.approvals.conftest import make_pdf, totp_code
from tests.factories import EmployeeFactory, JournalFactory

pytestmark = pytest.mark.django_db


def task_of(draft, user, route=None):
    route = route or Route.objects.filter(draft=draft).order_by("-round").first()
    return RouteTask.objects.get(route=route, approver=user)


def visa(draft, user, decision=Decision.APPROVED, comment=""):
    draft.refresh_from_db()
    return svc.route_task_decide(actor=user, task=task_of(draft, user), decision=decision, comment=comment,
                                 sha256=draft.current_sha256)


def actions(draft):
    return list(AuditEvent.objects.filter(object_id=str(draft.pk)).order_by("seq").values_list("action", flat=True))


# --- Templates --------------------------------------------------------------------------------------


def test_template_with_mixed_sequential_and_parallel_stages(world, started):
    route = Route.objects.get(draft=started)
    stages = [(t.stage, t.kind, t.approver.username) for t in route.tasks.order_by("stage", "position")]
    assert stages == [(1, "visa", "unithead"), (2, "visa", "lawyer"), (2, "visa", "finance"), (3, "sign", "mayor")]
    assert started.status == DraftStatus.ON_APPROVAL
    assert route.sha256 == started.current_sha256 and route.current_stage == 1


def test_template_keeps_sign_last_and_single(world):
    template = world.template
    with pytest.raises(ApplicationError) as exc:
        svc.route_template_step_add(actor=world.signer, template=template, stage=4, kind=StepKind.SIGN,
                                    user=world.unit_head)
    assert exc.value.code == "sign_exists"
    with pytest.raises(ApplicationError) as exc:
        svc.route_template_step_add(actor=world.signer, template=template, stage=3, user=world.registrar)
    assert exc.value.code == "visa_after_sign" and exc.value.field == "stage"
    with pytest.raises(ApplicationError) as exc:
        svc.route_template_step_add(actor=world.signer, template=template, stage=1, user=world.lawyer)
    assert exc.value.code == "duplicate"
    with pytest.raises(ApplicationError) as exc:
        svc.route_template_step_add(actor=world.signer, template=template, stage=1, kind=StepKind.SIGN,
                                    user=world.outsider)
    assert exc.value.code in {"sign_exists", "not_staff"}


def test_only_admins_and_heads_manage_templates(world):
    with pytest.raises(PermissionDeniedError):
        svc.route_template_create(actor=world.author, organisation=world.org, name="Мій шаблон")
    with pytest.raises(PermissionDeniedError):
        svc.route_template_step_add(actor=world.outsider, template=world.template, stage=1, user=world.lawyer)


def test_template_update_detects_concurrent_edit(world):
    template = world.template
    version = template.version
    svc.route_template_update(actor=world.signer, template=template, name="Лист (новий)", kind="letter",
                              is_active=True, expected_version=version)
    with pytest.raises(ApplicationError) as exc:
        svc.route_template_update(actor=world.signer, template=template, name="Інша назва", kind="",
                                  is_active=True, expected_version=version)
    assert exc.value.code == "stale_template"
    template.refresh_from_db()
    assert template.name == "Лист (новий)"


def test_unit_head_goes_up_when_the_author_heads_the_unit(world):
    from tests.factories import PositionFactory, UnitFactory

    parent = UnitFactory(organisation=world.org, name="Департамент", code="D")
    world.unit.parent = parent
    world.unit.save()
    director = EmployeeFactory(organisation=world.org, unit=parent, roles=["head"]).user
    assert svc.unit_head_for(author=world.author, organisation=world.org) == world.unit_head
    assert svc.unit_head_for(author=world.unit_head, organisation=world.org) == director
    lonely = EmployeeFactory(organisation=world.org, roles=["executor"]).user
    assert svc.unit_head_for(author=lonely, organisation=world.org) is None
    assert PositionFactory  # imported for the unit tree above


# --- The happy path -----------------------------------------------------------------------------------


def test_full_path_to_registration(world, started, device):
    visa(started, world.unit_head)
    started.refresh_from_db()
    assert Route.objects.get(draft=started).current_stage == 2
    visa(started, world.lawyer)
    visa(started, world.finance, Decision.APPROVED_WITH_REMARKS, "Уточнити суму в абзаці 2")
    started.refresh_from_db()
    assert started.status == DraftStatus.APPROVED
    route = Route.objects.get(draft=started)
    assert route.current_stage == 3

    sign_task = task_of(started, world.signer)
    document = svc.route_task_sign(actor=world.signer, task=sign_task, sha256=started.current_sha256,
                                   credentials={"token": totp_code(device)})

    started.refresh_from_db()
    assert started.status == DraftStatus.REGISTERED and started.document == document
    assert document.reg_index == "05-12/1" and document.seq == 1
    assert document.reg_date == timezone.localdate()
    assert document.organisation == world.org and document.journal == world.journal
    assert document.summary == started.summary and document.correspondent == "ТОВ «Шляхбуд»"
    assert document.signed_by == world.signer.short_name
    assert document.registered_by == world.signer
    (file,) = document.files.all()
    assert file.blob_id == started.current_sha256 and file.name == "Лист Шляхбуду.pdf"
    signature = Signature.objects.get(draft=started)
    assert (signature.signer, signature.sha256, signature.method, signature.document) == (
        world.signer, started.current_sha256, "otp-confirmation", document)
    route.refresh_from_db()
    assert route.status == RouteStatus.COMPLETED
    decisions = dict(route.tasks.values_list("approver__username", "decision"))
    assert decisions == {"unithead": "approved", "lawyer": "approved", "finance": "approved_with_remarks",
                         "mayor": "signed"}
    assert all(t.sha256 == started.current_sha256 for t in route.tasks.all())
    # The author (an executor) sees the registered internal card; audit chain intact.
    assert documents_visible_to(world.author).filter(pk=document.pk).exists()
    assert actions(started) == ["draft.create", "route.start", "route_task.decide", "route.stage_complete",
                                "route_task.decide", "route_task.decide", "route.stage_complete",
                                "signature.sign", "draft.register"]
    register_event = AuditEvent.objects.get(object_id=str(document.pk), action="document.register")
    assert register_event.params["via"] == "approvals" and register_event.params["draft"] == str(started.pk)
    assert audit_verify() is None


def test_notifications_follow_the_route(world, started):
    assert set(Notification.objects.filter(kind="approval_requested").values_list("recipient__username",
                                                                                   flat=True)) == {"unithead"}
    visa(started, world.unit_head)
    assert set(Notification.objects.filter(kind="approval_requested").values_list("recipient__username",
                                                                                   flat=True)) == {
        "unithead", "lawyer", "finance"}
    visa(started, world.lawyer)
    visa(started, world.finance)
    assert Notification.objects.filter(kind="sign_requested", recipient=world.signer).count() == 1
    assert Notification.objects.filter(kind="approval_completed", recipient=world.author).count() == 1


def test_restricted_card_stays_open_to_author_and_approvers(world, new_draft, device):
    draft = new_draft(access="restricted")
    svc.route_start(actor=world.author, draft=draft, steps=[RouteStep(1, world.lawyer),
                                                            RouteStep(2, world.signer, StepKind.SIGN)])
    visa(draft, world.lawyer)
    draft.refresh_from_db()
    doc = svc.route_task_sign(actor=world.signer, task=task_of(draft, world.signer),
                              sha256=draft.current_sha256, credentials={"token": totp_code(device)})
    assert set(DocumentAccessGrant.objects.filter(document=doc).values_list("user__username", flat=True)) == {
        "author", "lawyer"}
    for user in (world.author, world.lawyer, world.signer, world.registrar):
        assert documents_visible_to(user).filter(pk=doc.pk).exists()
    assert not documents_visible_to(world.finance).filter(pk=doc.pk).exists()


def test_route_with_only_a_signer_goes_straight_to_signing(world, new_draft):
    draft = new_draft()
    svc.route_start(actor=world.author, draft=draft, steps=[RouteStep(1, world.signer, StepKind.SIGN)])
    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED


def test_author_adjusts_route_and_stages_are_renumbered(world, new_draft):
    draft = new_draft()
    keep = {s.pk for s in world.template.steps.all() if s.user != world.finance}
    # The lawyer is added twice (kept once); the clerk gets a stage of their own before signing.
    steps = svc.steps_for_start(template=world.template, draft=draft, keep=keep,
                                extras=[(world.registrar, "new"), (world.lawyer, "2")])
    route = svc.route_start(actor=world.author, draft=draft, steps=steps)
    got = [(t.stage, t.approver.username, t.kind) for t in route.tasks.order_by("stage", "position")]
    assert got == [(1, "unithead", "visa"), (2, "lawyer", "visa"), (3, "clerk", "visa"), (4, "mayor", "sign")]


@pytest.mark.parametrize("steps, code", [
    (lambda w: [RouteStep(1, w.lawyer)], "route_sign_step"),
    (lambda w: [RouteStep(1, w.signer, StepKind.SIGN), RouteStep(2, w.lawyer)], "route_sign_last"),
    (lambda w: [RouteStep(1, w.lawyer), RouteStep(2, w.outsider, StepKind.SIGN)], "route_signer"),
    (lambda w: [RouteStep(1, w.signer, StepKind.SIGN), RouteStep(1, w.unit_head, StepKind.SIGN)],
     "route_sign_step"),
])
def test_bad_routes_are_refused(world, new_draft, steps, code):
    draft = new_draft()
    with pytest.raises(ApplicationError) as exc:
        svc.route_start(actor=world.author, draft=draft, steps=steps(world))
    assert exc.value.code == code
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT and not Route.objects.filter(draft=draft).exists()


def test_only_the_author_starts_the_route(world, new_draft):
    draft = new_draft()
    with pytest.raises(PermissionDeniedError):
        svc.route_start(actor=world.lawyer, draft=draft, steps=[RouteStep(1, world.signer, StepKind.SIGN)])


# --- Rejection, new versions ---------------------------------------------------------------------------


def test_rejection_returns_the_draft_to_its_author(world, started):
    visa(started, world.unit_head)
    with pytest.raises(ApplicationError) as exc:
        visa(started, world.lawyer, Decision.REJECTED, "")
    assert exc.value.field == "comment"
    visa(started, world.lawyer, Decision.REJECTED, "Немає посилання на рішення сесії")
    started.refresh_from_db()
    route = Route.objects.get(draft=started)
    assert started.status == DraftStatus.RETURNED and route.status == RouteStatus.REJECTED
    assert task_of(started, world.finance).decision == Decision.CANCELLED
    assert task_of(started, world.signer).decision == Decision.CANCELLED
    note = Notification.objects.get(kind="approval_rejected")
    assert note.recipient == world.author and "Немає посилання на рішення сесії" in note.body
    # The finance officer can no longer decide.
    with pytest.raises(ApplicationError) as exc:
        svc.route_task_decide(actor=world.finance, task=task_of(started, world.finance),
                              decision=Decision.APPROVED, sha256=started.current_sha256)
    assert exc.value.code == "route_closed"


def test_new_version_voids_visas_and_restarts_the_route(world, started):
    visa(started, world.unit_head)
    visa(started, world.lawyer, Decision.REJECTED, "Виправте адресу")
    old_sha = started.current_sha256
    version = svc.draft_version_add(actor=world.author, draft=started, name="Лист v2.pdf",
                                    content=make_pdf("v2"), comment="Виправлено адресу", base_number=1)
    started.refresh_from_db()
    assert version.number == 2 and started.current_sha256 != old_sha
    assert started.status == DraftStatus.ON_APPROVAL
    first, second = Route.objects.filter(draft=started).order_by("round")
    assert first.status == RouteStatus.SUPERSEDED and second.status == RouteStatus.ACTIVE
    assert second.round == 2 and second.sha256 == started.current_sha256 and second.current_stage == 1
    old_visa = RouteTask.objects.get(route=first, approver=world.unit_head)
    assert old_visa.decision == Decision.APPROVED and old_visa.is_void
    assert set(second.tasks.values_list("decision", flat=True)) == {Decision.PENDING}
    event = AuditEvent.objects.filter(object_id=str(started.pk), action="draft.version_add").get()
    assert event.params["visas_voided"] == 1 and event.params["restarted_round"] == 2


def test_new_version_while_awaiting_signature_restarts(world, started):
    for user in (world.unit_head, world.lawyer, world.finance):
        visa(started, user)
    started.refresh_from_db()
    assert started.status == DraftStatus.APPROVED
    svc.draft_version_add(actor=world.author, draft=started, name="v2.pdf", content=make_pdf("v2"))
    started.refresh_from_db()
    assert started.status == DraftStatus.ON_APPROVAL
    assert RouteTask.objects.filter(route__draft=started, voided_at__isnull=False).count() == 3


def test_visa_on_a_superseded_version_is_refused_and_nothing_recorded(world, started):
    seen_sha = started.current_sha256
    task = task_of(started, world.unit_head)
    svc.draft_version_add(actor=world.author, draft=started, name="v2.pdf", content=make_pdf("v2"))
    before = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as exc:
        svc.route_task_decide(actor=world.unit_head, task=task, decision=Decision.APPROVED, sha256=seen_sha)
    assert exc.value.code == "stale_version"
    assert "Документ змінено після того, як ви його відкрили" in exc.value.message
    assert AuditEvent.objects.count() == before
    assert RouteTask.objects.filter(approver=world.unit_head, decision=Decision.APPROVED).count() == 0


def test_version_upload_conflict_and_same_content(world, started):
    with pytest.raises(ApplicationError) as exc:
        svc.draft_version_add(actor=world.author, draft=started, name="v1.pdf", content=make_pdf("v1"))
    assert exc.value.code == "same_content"
    svc.draft_version_add(actor=world.author, draft=started, name="v2.pdf", content=make_pdf("v2"), base_number=1)
    with pytest.raises(ApplicationError) as exc:
        svc.draft_version_add(actor=world.author, draft=started, name="v3.pdf", content=make_pdf("v3"),
                              base_number=1)
    assert exc.value.code == "stale_version" and exc.value.field == "file"
    with pytest.raises(PermissionDeniedError):
        svc.draft_version_add(actor=world.lawyer, draft=started, name="x.pdf", content=make_pdf("x"))


def test_approver_not_current_is_refused(world, started):
    with pytest.raises(ApplicationError) as exc:
        visa(started, world.lawyer)
    assert exc.value.code == "not_current"
    with pytest.raises(PermissionDeniedError):
        svc.route_task_decide(actor=world.lawyer, task=task_of(started, world.unit_head),
                              decision=Decision.APPROVED, sha256=started.current_sha256)
    visa(started, world.unit_head)
    with pytest.raises(ApplicationError) as exc:
        visa(started, world.unit_head)
    assert exc.value.code == "already_decided"


def test_deputy_acting_for_the_approver_may_visa(world, started):
    import datetime as dt

    from ratusha.orgs.models import Delegation, Employee

    deputy = EmployeeFactory(organisation=world.org, roles=["executor"]).user
    principal = Employee.objects.get(user=world.unit_head)
    today = timezone.localdate()
    Delegation.objects.create(principal=principal, deputy=deputy, start=today, end=today + dt.timedelta(days=3))
    svc.route_task_decide(actor=deputy, task=task_of(started, world.unit_head), decision=Decision.APPROVED,
                          sha256=started.current_sha256)
    task = task_of(started, world.unit_head)
    assert task.decided_by == deputy and task.decision == Decision.APPROVED


def test_withdraw_ends_the_round(world, started):
    svc.draft_withdraw(actor=world.author, draft=started, reason="Питання вирішено усно",
                       expected_version=started.version)
    started.refresh_from_db()
    assert started.status == DraftStatus.WITHDRAWN
    assert Route.objects.get(draft=started).status == RouteStatus.CANCELLED
    assert not RouteTask.objects.filter(route__draft=started, decision=Decision.PENDING).exists()
    with pytest.raises(ApplicationError):
        svc.draft_version_add(actor=world.author, draft=started, name="v2.pdf", content=make_pdf("v2"))


def test_stale_draft_version_refused(world, started):
    with pytest.raises(ApplicationError) as exc:
        svc.draft_withdraw(actor=world.author, draft=started, expected_version=started.version - 1)
    assert exc.value.code == "stale_draft"


# --- Draft creation -----------------------------------------------------------------------------------


def test_draft_create_checks_input(world, new_draft):
    with pytest.raises(ApplicationError) as exc:
        new_draft(summary="  ")
    assert exc.value.field == "summary"
    with pytest.raises(ApplicationError) as exc:
        new_draft(addressee="")
    assert exc.value.field == "addressee"
    with pytest.raises(ApplicationError) as exc:
        new_draft(content=b"\x00\x01binary junk")
    assert exc.value.field == "files"
    incoming = JournalFactory(organisation=world.org, kind="incoming")
    with pytest.raises(ApplicationError) as exc:
        new_draft(journal=incoming)
    assert exc.value.code == "wrong_journal"
    foreign = JournalFactory(kind="outgoing")
    with pytest.raises(PermissionDeniedError):
        new_draft(journal=foreign)
    assert not Draft.objects.exists()


def test_draft_create_records_unit_and_first_version(world, new_draft):
    draft = new_draft()
    assert draft.unit == world.unit and draft.status == DraftStatus.DRAFT
    assert draft.current_version.number == 1 and len(draft.current_sha256) == 64
    event = AuditEvent.objects.get(object_id=str(draft.pk), action="draft.create")
    assert event.params["sha256"] == draft.current_sha256


# --- Signing ----------------------------------------------------------------------------------------


@pytest.fixture
def approved(world, started):
    for user in (world.unit_head, world.lawyer, world.finance):
        visa(started, user)
    started.refresh_from_db()
    return started


def test_sign_with_wrong_then_right_code(world, approved, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    task = task_of(approved, world.signer)
    wrong = f"{(int(totp_code(device)) + 1) % 1000000:06d}"
    with pytest.raises(ApplicationError) as exc:
        svc.route_task_sign(actor=world.signer, task=task, sha256=approved.current_sha256,
                            credentials={"token": wrong})
    assert exc.value.code == "wrong_code" and exc.value.field == "token"
    approved.refresh_from_db()
    assert approved.status == DraftStatus.APPROVED and not Document.objects.exists()
    assert AuditEvent.objects.filter(action="signature.code_failed").count() == 1
    svc.route_task_sign(actor=world.signer, task=task, sha256=approved.current_sha256,
                        credentials={"token": totp_code(device)})
    approved.refresh_from_db()
    assert approved.status == DraftStatus.REGISTERED


def test_sign_attempts_are_throttled(world, approved, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    task = task_of(approved, world.signer)
    wrong = f"{(int(totp_code(device)) + 7) % 1000000:06d}"
    codes = []
    for _attempt in range(5):
        with pytest.raises(ApplicationError) as exc:
            svc.route_task_sign(actor=world.signer, task=task, sha256=approved.current_sha256,
                                credentials={"token": wrong})
        codes.append(exc.value.code)
    assert codes == ["wrong_code"] * 4 + ["sign_locked"]
    with pytest.raises(ApplicationError) as exc:
        svc.route_task_sign(actor=world.signer, task=task, sha256=approved.current_sha256,
                            credentials={"token": totp_code(device)})
    assert exc.value.code == "sign_locked"
    assert not Document.objects.exists()


def test_sign_without_device_gives_clear_message(world, approved):
    with pytest.raises(ApplicationError) as exc:
        svc.route_task_sign(actor=world.signer, task=task_of(approved, world.signer),
                            sha256=approved.current_sha256, credentials={"token": "123456"})
    assert exc.value.code == "no_otp_device"


def test_sign_refused_before_visas_and_on_stale_version(world, started, device):
    with pytest.raises(ApplicationError) as exc:
        svc.route_task_sign(actor=world.signer, task=task_of(started, world.signer),
                            sha256=started.current_sha256, credentials={"token": totp_code(device)})
    assert exc.value.code == "not_current"
    with pytest.raises(ApplicationError) as exc:
        svc.route_task_sign(actor=world.signer, task=task_of(started, world.signer),
                            sha256="0" * 64, credentials={"token": totp_code(device)})
    assert exc.value.code == "stale_version"


def test_signer_may_refuse_with_reason(world, approved):
    svc.route_task_decide(actor=world.signer, task=task_of(approved, world.signer), decision=Decision.REJECTED,
                          comment="Не на часі", sha256=approved.current_sha256)
    approved.refresh_from_db()
    assert approved.status == DraftStatus.RETURNED
    with pytest.raises(ApplicationError) as exc:
        svc.route_task_decide(actor=world.signer, task=task_of(approved, world.signer),
                              decision=Decision.APPROVED, sha256=approved.current_sha256)
    assert exc.value.code in {"route_closed", "already_decided"}


def test_signature_strategy_is_swappable(world, approved, settings):
    """Issue 6 plugs a PAdES signer in: the registered card gets the bytes the strategy returns."""
    settings.APPROVALS_SIGNATURE_STRATEGY = "tests.approvals.test_services.FakePades"
    doc = svc.route_task_sign(actor=world.signer, task=task_of(approved, world.signer),
                              sha256=approved.current_sha256, credentials={})
    (file,) = doc.files.all()
    signature = Signature.objects.get(draft=approved)
    assert signature.method == "fake-pades" and signature.sha256 == approved.current_sha256
    assert file.blob_id == signature.signed_blob_id != approved.current_sha256
    assert file.name == "signed.pdf"


class FakePades:
    method = "fake-pades"

    def readiness(self, signer):
        return ""

    def confirm(self, *, signer, draft, version, credentials):
        from ratusha.core.storage import blob_put
        from ratusha.workflow.approvals.signing import SignatureResult

        blob = blob_put(make_pdf("signed " + version.blob_id), mime="application/pdf")
        return SignatureResult(method=self.method, signed_blob=blob, signed_name="signed.pdf")


def test_restart_after_return_by_hand_with_another_route(world, started):
    visa(started, world.unit_head, Decision.REJECTED, "Не той шаблон")
    route = svc.route_start(actor=world.author, draft=started,
                            steps=[RouteStep(1, world.lawyer), RouteStep(2, world.signer, StepKind.SIGN)],
                            expected_version=Draft.objects.get(pk=started.pk).version)
    assert route.round == 2
    assert Route.objects.get(draft=started, round=1).status == RouteStatus.SUPERSEDED


def test_template_unit_head_step_without_a_head(world, new_draft):
    lonely = EmployeeFactory(organisation=world.org, roles=["executor"]).user
    draft = new_draft(actor=lonely)
    with pytest.raises(ApplicationError) as exc:
        svc.steps_from_template(template=world.template, draft=draft)
    assert exc.value.code == "no_unit_head"
    assert ApproverKind.UNIT_HEAD
