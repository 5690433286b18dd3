"""Two people at once: parallel visas are all recorded and the stage completes exactly once; a visa racing
a new version never stands on the old bytes. Real threads, real locks, on SQLite and PostgreSQL."""

import pytest

from ratusha.core.audit import audit_verify
from ratusha.core.errors import ApplicationError
from ratusha.core.models import AuditEvent
from ratusha.notifications.models import Notification
from ratusha.workflow.approvals import services as svc
from ratusha.workflow.approvals.constants import Decision, DraftStatus, RouteStatus, StepKind
from ratusha.workflow.approvals.models import Draft, Route, RouteTask
from ratusha.workflow.approvals.services import RouteStep
from tests.approvals.conftest import make_pdf
from tests.concurrency import run_concurrently
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _decide(user_pk, task_pk, sha256):
    from ratusha.orgs.models import User

    user = User.objects.get(pk=user_pk)
    task = RouteTask.objects.get(pk=task_pk)
    try:
        svc.route_task_decide(actor=user, task=task, decision=Decision.APPROVED, sha256=sha256)
    except ApplicationError as exc:
        return exc.code
    return "ok"


def _upload(user_pk, draft_pk, _sha256):
    from ratusha.orgs.models import User

    user = User.objects.get(pk=user_pk)
    draft = Draft.objects.get(pk=draft_pk)
    try:
        svc.draft_version_add(actor=user, draft=draft, name="v2.pdf", content=make_pdf("v2"))
    except ApplicationError as exc:
        return exc.code
    return "uploaded"


def test_parallel_visas_are_all_recorded_and_the_stage_completes_once(world, new_draft):
    approvers = [world.lawyer, world.finance, world.unit_head,
                 EmployeeFactory(organisation=world.org, roles=["executor"]).user]
    draft = new_draft()
    steps = [RouteStep(1, user) for user in approvers] + [RouteStep(2, world.signer, StepKind.SIGN)]
    route = svc.route_start(actor=world.author, draft=draft, steps=steps)
    tasks = {t.approver_id: t.pk for t in route.tasks.filter(stage=1)}

    outcomes = run_concurrently(_decide, [(u.pk, tasks[u.pk], draft.current_sha256) for u in approvers])

    assert outcomes == ["ok"] * len(approvers)
    route.refresh_from_db()
    draft.refresh_from_db()
    assert set(route.tasks.filter(stage=1).values_list("decision", flat=True)) == {Decision.APPROVED}
    assert route.current_stage == 2 and route.status == RouteStatus.ACTIVE
    assert draft.status == DraftStatus.APPROVED
    assert AuditEvent.objects.filter(object_id=str(draft.pk), action="route.stage_complete").count() == 1
    assert AuditEvent.objects.filter(object_id=str(draft.pk), action="route_task.decide").count() == 4
    assert Notification.objects.filter(kind="sign_requested", recipient=world.signer).count() == 1
    assert audit_verify() is None


def test_visa_racing_a_new_version_never_stands_on_old_bytes(world, new_draft):
    draft = new_draft()
    route = svc.route_start(actor=world.author, draft=draft,
                            steps=[RouteStep(1, world.unit_head), RouteStep(2, world.signer, StepKind.SIGN)])
    old_sha = draft.current_sha256
    task = route.tasks.get(approver=world.unit_head)

    outcomes = run_concurrently(lambda kind, *args: kind(*args),
                                [(_decide, world.unit_head.pk, task.pk, old_sha),
                                 (_upload, world.author.pk, draft.pk, old_sha)])

    assert outcomes[1] == "uploaded"
    assert outcomes[0] in {"ok", "stale_version"}
    draft.refresh_from_db()
    assert draft.current_sha256 != old_sha and draft.status == DraftStatus.ON_APPROVAL
    latest = Route.objects.filter(draft=draft).order_by("-round").first()
    assert latest.round == 2 and latest.sha256 == draft.current_sha256
    assert set(latest.tasks.values_list("decision", flat=True)) == {Decision.PENDING}
    # Whatever the order, no visa on the old bytes is still valid.
    assert not RouteTask.objects.filter(route__draft=draft, decision=Decision.APPROVED, voided_at__isnull=True,
                                        sha256=old_sha).exists()
    if outcomes[0] == "ok":
        assert RouteTask.objects.get(pk=task.pk).is_void
