"""Taking resolutions off control (the card's execution mark), revoking, deadline-change requests,
and recomputing rule-based deadlines after a calendar change."""

import datetime as dt

import pytest
from django.utils import timezone

from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from ratusha.notifications.models import Notification
from ratusha.workflow.constants import AssignmentStatus, DeadlineChangeStatus, DeadlineKind, ResolutionStatus
from ratusha.workflow.models import DeadlineChangeRequest, Resolution
from ratusha.workflow.services import (
    ConflictError,
    assignment_accept,
    assignment_accept_report,
    assignment_report,
    assignment_subassign,
    deadline_change_decide,
    deadline_change_request,
    deadlines_recompute,
    resolution_close,
    resolution_revoke,
)
from tests.workflow.conftest import fresh, top


def _done(council, a, decider):
    a = fresh(a)
    a = assignment_accept(actor=a.assignee, assignment=a, expected_version=a.version)
    a = assignment_report(actor=a.assignee, assignment=a, expected_version=a.version, text="Виконано")
    return assignment_accept_report(actor=decider, assignment=a, expected_version=a.version)


def _close(actor, res, **kwargs):
    res = fresh(res)
    kwargs.setdefault("result", "Відповідь надано заявнику")
    return resolution_close(actor=actor, resolution=res, expected_version=res.version, **kwargs)


def test_close_writes_the_cards_execution_mark(council, doc, resolve):
    res = resolve(on_control=True, controller=council.controller, co_executors=[council.chief_b])
    _done(council, top(res), council.controller)
    res = _close(council.controller, res, answer_index="01-12/345")
    doc = fresh(doc)
    assert res.status == ResolutionStatus.CLOSED and res.closed_by == council.controller
    assert res.executed_on == timezone.localdate() and res.answer_index == "01-12/345"
    assert doc.status == "executed" and doc.executed_on == timezone.localdate()
    assert doc.execution_result == "Відповідь надано заявнику" and doc.answer_index == "01-12/345"
    assert not doc.on_control
    # The co-executor's open assignment ends with the resolution.
    assert top(res, "co_executor").status == AssignmentStatus.CANCELLED
    closed = Notification.objects.filter(kind="control_closed")
    assert {n.recipient for n in closed} == {council.chief_a, council.chief_b}
    assert AuditEvent.objects.filter(action="resolution.close", object_id=str(res.pk)).exists()


def test_closing_before_the_responsible_is_done_needs_a_reason(council, doc, resolve):
    res = resolve()
    with pytest.raises(ApplicationError) as exc:
        _close(council.head, res)
    assert exc.value.code == "early_reason_required" and exc.value.field == "early_reason"
    assert fresh(res).status == ResolutionStatus.ACTIVE
    res = _close(council.head, res, early_reason="Питання вирішено на нараді")
    assert res.early_close_reason == "Питання вирішено на нараді"
    assert top(res).status == AssignmentStatus.CANCELLED and fresh(doc).status == "executed"


def test_who_may_close(council, resolve):
    with_controller = resolve(on_control=True, controller=council.controller)
    for who in (council.chief_a, council.worker_b, council.outsider):
        with pytest.raises(PermissionDeniedError):
            _close(who, with_controller, early_reason="x")
    without = resolve(text="Друга резолюція")
    with pytest.raises(PermissionDeniedError):
        _close(council.controller, without, early_reason="x")
    assert _close(council.deputy, without, early_reason="Вирішено").status == ResolutionStatus.CLOSED


def test_bad_close_input(council, resolve):
    res = resolve()
    _done(council, top(res), council.head)
    with pytest.raises(ApplicationError) as exc:
        _close(council.head, res, result=" ")
    assert exc.value.field == "result"
    with pytest.raises(ApplicationError) as exc:
        _close(council.head, res, executed_on=timezone.localdate() + dt.timedelta(days=1))
    assert exc.value.field == "executed_on"
    with pytest.raises(ConflictError):
        resolution_close(actor=council.head, resolution=res, expected_version=res.version + 5, result="x")


def test_the_card_is_executed_only_when_the_last_resolution_closes(council, doc, resolve):
    first, second = resolve(), resolve(text="Друга", responsible=council.chief_b)
    _close(council.head, first, early_reason="Див. другу резолюцію")
    assert fresh(doc).status == "in_work"
    _close(council.head, second, early_reason="Вирішено")
    assert fresh(doc).status == "executed"


def test_revoke_cancels_open_assignments(council, doc, resolve):
    res = resolve(on_control=True, co_executors=[council.chief_b])
    a = top(res)
    assignment_subassign(
        actor=council.chief_a,
        assignment=a,
        expected_version=a.version,
        assignee=council.worker_a,
        text="Опрацювати",
    )
    with pytest.raises(PermissionDeniedError):
        resolution_revoke(actor=council.chief_a, resolution=res, expected_version=res.version, reason="x")
    with pytest.raises(ApplicationError) as exc:
        resolution_revoke(actor=council.head, resolution=res, expected_version=res.version, reason="")
    assert exc.value.field == "reason"
    res = resolution_revoke(
        actor=council.head,
        resolution=fresh(res),
        expected_version=fresh(res).version,
        reason="Помилково розписано",
    )
    assert res.status == ResolutionStatus.REVOKED
    assert set(res.assignments.values_list("status", flat=True)) == {AssignmentStatus.CANCELLED}
    assert not fresh(doc).on_control and fresh(doc).status == "in_work"


# --- Deadline-change requests ------------------------------------------------------------------------


def _ask(council, a, days=10, reason="Потрібен висновок юристів"):
    a = fresh(a)
    return deadline_change_request(
        actor=a.assignee, assignment=a, proposed_deadline=a.deadline + dt.timedelta(days=days), reason=reason
    )


def test_request_and_approve_moves_the_deadline_everywhere(council, doc, resolve):
    res = resolve()
    a = top(res)
    request = _ask(council, a)
    assert request.status == DeadlineChangeStatus.PENDING and request.current_deadline == a.deadline
    note = Notification.objects.get(kind="deadline_change_requested")
    assert note.recipient == council.head
    decided = deadline_change_decide(actor=council.deputy, request=request, approve=True)
    assert decided.status == DeadlineChangeStatus.APPROVED and decided.decided_by == council.deputy
    new = request.proposed_deadline
    assert (
        fresh(a).deadline == new
        and fresh(res).deadline == new
        and fresh(res).deadline_kind == DeadlineKind.DATE
    )
    assert fresh(doc).execution_deadline == new
    assert Notification.objects.get(kind="deadline_change_decided").recipient == council.chief_a


def test_reject_needs_a_note(council, resolve):
    a = top(resolve())
    request = _ask(council, a)
    with pytest.raises(ApplicationError) as exc:
        deadline_change_decide(actor=council.head, request=request, approve=False)
    assert exc.value.field == "note"
    decided = deadline_change_decide(
        actor=council.head, request=request, approve=False, note="Строк не змінюємо"
    )
    assert decided.status == DeadlineChangeStatus.REJECTED and fresh(a).deadline == request.current_deadline
    with pytest.raises(ConflictError):
        deadline_change_decide(actor=council.head, request=request, approve=True)


def test_one_pending_request_per_assignment(council, resolve):
    a = top(resolve())
    _ask(council, a)
    with pytest.raises(ApplicationError) as exc:
        _ask(council, a, days=20)
    assert exc.value.code == "pending_exists"
    assert DeadlineChangeRequest.objects.count() == 1


def test_request_rules(council, resolve):
    a = top(resolve())
    with pytest.raises(PermissionDeniedError):
        deadline_change_request(
            actor=council.worker_b, assignment=a, proposed_deadline=a.deadline, reason="x"
        )
    with pytest.raises(ApplicationError) as exc:
        _ask(council, a, days=0)
    assert exc.value.code == "same_deadline"
    with pytest.raises(ApplicationError) as exc:
        deadline_change_request(
            actor=council.chief_a,
            assignment=a,
            proposed_deadline=timezone.localdate() - dt.timedelta(days=1),
            reason="x",
        )
    assert exc.value.field == "proposed_deadline"
    with pytest.raises(ApplicationError) as exc:
        _ask(council, a, reason="")
    assert exc.value.field == "reason"


def test_only_the_author_decides(council, resolve):
    request = _ask(council, top(resolve()))
    for who in (council.chief_a, council.controller, council.worker_b, council.outsider):
        with pytest.raises(PermissionDeniedError):
            deadline_change_decide(actor=who, request=request, approve=True)


def test_approving_an_earlier_deadline_keeps_children_and_warns(council, resolve):
    a = top(
        resolve(deadline_kind=DeadlineKind.DATE, deadline_date=timezone.localdate() + dt.timedelta(days=20))
    )
    child = assignment_subassign(
        actor=council.chief_a,
        assignment=a,
        expected_version=a.version,
        assignee=council.worker_a,
        text="Опрацювати",
    )
    request = deadline_change_request(
        actor=council.chief_a,
        assignment=fresh(a),
        proposed_deadline=timezone.localdate() + dt.timedelta(days=5),
        reason="Встигаємо раніше",
    )
    decided = deadline_change_decide(actor=council.head, request=request, approve=True)
    assert decided.warnings == [child]
    assert fresh(child).deadline == timezone.localdate() + dt.timedelta(days=20)


def test_sub_assignment_requests_stay_within_the_parents_deadline(council, resolve):
    a = top(resolve())
    child = assignment_subassign(
        actor=council.chief_a,
        assignment=a,
        expected_version=a.version,
        assignee=council.worker_a,
        text="Опрацювати",
        deadline=a.deadline - dt.timedelta(days=5),
    )
    with pytest.raises(ApplicationError) as exc:
        _ask(council, child, days=10)
    assert exc.value.code == "deadline_after_parent"
    request = _ask(council, child, days=3)
    # The sub-assignment's issuer may decide it as well as the resolution's author.
    assert deadline_change_decide(actor=council.chief_a, request=request, approve=True).status == "approved"


# --- Recomputation -------------------------------------------------------------------------------------


def test_recompute_fixes_rule_deadlines_only(council, resolve):
    ruled = resolve(deadline_kind=DeadlineKind.URGENT)
    dated = resolve(
        deadline_kind=DeadlineKind.DATE, deadline_date=timezone.localdate() + dt.timedelta(days=9)
    )
    right = ruled.deadline
    wrong = right + dt.timedelta(days=3)  # as if computed with an older calendar
    Resolution.objects.filter(pk=ruled.pk).update(deadline=wrong)
    top(ruled).__class__.objects.filter(resolution=ruled).update(deadline=wrong)
    Resolution.objects.filter(pk=dated.pk).update(deadline=wrong)
    assert deadlines_recompute(actor=None) == 1
    assert fresh(ruled).deadline == right and top(ruled).deadline == right
    assert fresh(dated).deadline == wrong  # a concrete date is never recomputed
    assert deadlines_recompute(actor=None) == 0
    assert AuditEvent.objects.filter(action="resolution.deadline_recompute").count() == 1


def test_recompute_is_registered_with_the_calendar(council, resolve):
    from ratusha.calendar.recompute import calendar_recompute_open_deadlines, registered_recomputers
    from tests.factories import EmployeeFactory, grant_installation_role

    assert "workflow" in registered_recomputers()
    ruled = resolve(deadline_kind=DeadlineKind.IMMEDIATE)
    Resolution.objects.filter(pk=ruled.pk).update(deadline=ruled.deadline + dt.timedelta(days=1))
    admin = EmployeeFactory(organisation=council.org, roles=["admin"]).user
    grant_installation_role(admin, "installation_admin")  # the calendar is the installation's
    results = calendar_recompute_open_deadlines(actor=admin)
    assert results["workflow"] == 1 and fresh(ruled).deadline == ruled.deadline
