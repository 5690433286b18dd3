"""Assignments: the status machine, reports with files, sub-assignments down two levels, permissions."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from ratusha.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from ratusha.core.storage import blob_read
from ratusha.notifications.models import Notification
from ratusha.registry.services import FileInput
from ratusha.workflow.constants import ASSIGNMENT_TRANSITIONS, AssignmentStatus
from ratusha.workflow.models import Assignment
from ratusha.workflow.services import (
    ConflictError,
    assignment_accept,
    assignment_accept_report,
    assignment_cancel,
    assignment_report,
    assignment_return,
    assignment_start,
    assignment_subassign,
    assignment_transition,
)
from tests.registry.conftest import make_pdf
from tests.workflow.conftest import fresh, top


def _go(service, a, actor, **kwargs):
    a = fresh(a)
    return service(actor=actor, assignment=a, expected_version=a.version, **kwargs)


@pytest.fixture
def assignment(council, resolve):
    return top(resolve())


def test_accept_start_report_done(council, assignment):
    a = _go(assignment_accept, assignment, council.chief_a)
    assert a.status == AssignmentStatus.ACCEPTED and a.accepted_at and a.version == 2
    a = _go(assignment_start, a, council.chief_a)
    assert a.status == AssignmentStatus.IN_PROGRESS and a.started_at
    a = _go(assignment_report, a, council.chief_a, text="Відповідь заявнику надіслано.")
    assert (
        a.status == AssignmentStatus.REPORTED
        and a.report == "Відповідь заявнику надіслано."
        and a.reported_at
    )
    assert Notification.objects.filter(kind="report_submitted", recipient=council.head).count() == 1
    a = _go(assignment_accept_report, a, council.head, note="Добре")
    assert a.status == AssignmentStatus.DONE and a.done_on == timezone.localdate() and a.done_at
    assert Notification.objects.filter(kind="assignment_done", recipient=council.chief_a).count() == 1


def test_report_straight_after_accepting_is_allowed(council, assignment):
    a = _go(assignment_accept, assignment, council.chief_a)
    a = _go(assignment_report, a, council.chief_a, text="Виконано")
    assert a.status == AssignmentStatus.REPORTED


def test_return_rework_report_again_done(council, assignment):
    a = _go(assignment_accept, assignment, council.chief_a)
    a = _go(assignment_report, a, council.chief_a, text="Перша версія")
    a = _go(assignment_return, a, council.head, reason="Додайте розрахунок вартості")
    assert a.status == AssignmentStatus.RETURNED and a.times_returned == 1
    assert a.return_reason == "Додайте розрахунок вартості"
    note = Notification.objects.get(kind="assignment_returned", recipient=council.chief_a)
    assert "Додайте розрахунок" in note.body
    a = _go(assignment_start, a, council.chief_a)
    a = _go(assignment_report, a, council.chief_a, text="Друга версія з розрахунком")
    a = _go(assignment_accept_report, a, council.head)
    assert a.status == AssignmentStatus.DONE and a.times_returned == 1


def test_return_needs_a_reason(council, assignment):
    a = _go(assignment_accept, assignment, council.chief_a)
    a = _go(assignment_report, a, council.chief_a, text="Звіт")
    with pytest.raises(ApplicationError) as exc:
        _go(assignment_return, a, council.head, reason=" ")
    assert exc.value.field == "reason"


def test_report_needs_text(council, assignment):
    a = _go(assignment_accept, assignment, council.chief_a)
    with pytest.raises(ApplicationError) as exc:
        _go(assignment_report, a, council.chief_a, text="")
    assert exc.value.field == "report"


def test_report_with_a_file_checked_by_content(council, assignment):
    a = _go(assignment_accept, assignment, council.chief_a)
    pdf = make_pdf("Звіт")
    a = _go(
        assignment_report, a, council.chief_a, text="Див. файл", file=FileInput(name="звіт.pdf", content=pdf)
    )
    assert a.report_file_name == "звіт.pdf" and a.report_blob.mime == "application/pdf"
    assert blob_read(a.report_blob_id) == pdf


def test_report_file_of_a_forbidden_type_is_refused(council, assignment):
    a = _go(assignment_accept, assignment, council.chief_a)
    with pytest.raises(ApplicationError) as exc:
        _go(
            assignment_report,
            a,
            council.chief_a,
            text="Файл",
            file=FileInput(name="звіт.pdf", content=b"MZ\x90\x00" + b"\x00" * 64),
        )
    assert exc.value.field == "report_file"
    assert fresh(a).status == AssignmentStatus.ACCEPTED


def test_report_document_must_be_visible(council, assignment):
    a = _go(assignment_accept, assignment, council.chief_a)
    answer = council.register(summary="Відповідь заявнику", access="restricted")
    with pytest.raises(ApplicationError) as exc:
        _go(assignment_report, a, council.chief_a, text="Відповідь", report_document=answer)
    assert exc.value.field == "report_document"
    visible = council.register(summary="Відповідь заявнику (відкрита)")
    a = _go(assignment_report, a, council.chief_a, text="Відповідь", report_document=visible)
    assert a.report_document == visible


@pytest.mark.parametrize(
    "current,target",
    [
        (s, t)
        for s, t in itertools.product(AssignmentStatus.values, AssignmentStatus.values)
        if t not in ASSIGNMENT_TRANSITIONS[s]
    ],
)
def test_every_illegal_transition_is_refused(current, target):
    a = Assignment(status=current)
    with pytest.raises(TransitionError):
        assignment_transition(a, target)
    assert a.status == current


@pytest.mark.parametrize(
    "current,target", [(s, t) for s in AssignmentStatus.values for t in sorted(ASSIGNMENT_TRANSITIONS[s])]
)
def test_every_legal_transition_is_allowed(current, target):
    a = Assignment(status=current)
    assert assignment_transition(a, target) == current and a.status == target


def test_services_refuse_illegal_transitions(council, assignment):
    with pytest.raises(TransitionError):
        _go(assignment_start, assignment, council.chief_a)  # ISSUED → IN_PROGRESS
    with pytest.raises(TransitionError):
        _go(assignment_accept_report, assignment, council.head)  # ISSUED → DONE
    a = _go(assignment_accept, assignment, council.chief_a)
    with pytest.raises(TransitionError):
        _go(assignment_accept, a, council.chief_a)  # twice
    with pytest.raises(TransitionError):
        _go(assignment_return, a, council.head, reason="x")  # ACCEPTED → RETURNED


@pytest.mark.parametrize("who", ["worker_a", "chief_b", "outsider", "controller"])
def test_only_the_executor_acts_on_the_assignment(council, assignment, who):
    with pytest.raises(PermissionDeniedError):
        _go(assignment_accept, assignment, getattr(council, who))


def test_only_the_issuer_or_controller_decides_the_report(council, resolve):
    a = top(resolve(on_control=True, controller=council.controller))
    a = _go(assignment_accept, a, council.chief_a)
    a = _go(assignment_report, a, council.chief_a, text="Звіт")
    for who in (council.chief_a, council.worker_b, council.outsider):
        with pytest.raises(PermissionDeniedError):
            _go(assignment_accept_report, a, who)
    assert Notification.objects.filter(kind="report_submitted", recipient=council.controller).count() == 1
    a = _go(assignment_accept_report, a, council.controller)
    assert a.status == AssignmentStatus.DONE


def test_the_deputy_acting_for_the_head_decides_reports(council, assignment):
    a = _go(assignment_accept, assignment, council.chief_a)
    a = _go(assignment_report, a, council.chief_a, text="Звіт")
    assert _go(assignment_accept_report, a, council.deputy).status == AssignmentStatus.DONE


def test_stale_version_is_a_conflict(council, assignment):
    stale = assignment.version
    assignment_accept(actor=council.chief_a, assignment=assignment, expected_version=stale)
    with pytest.raises(ConflictError) as exc:
        assignment_start(actor=council.chief_a, assignment=assignment, expected_version=stale)
    assert exc.value.code == "conflict" and "щойно змінив інший користувач" in exc.value.message
    assert fresh(assignment).status == AssignmentStatus.ACCEPTED


def test_sub_assignments_down_two_levels(council, assignment):
    parent_deadline = assignment.deadline
    level1 = assignment_subassign(
        actor=council.chief_a,
        assignment=assignment,
        expected_version=assignment.version,
        assignee=council.units["03"],
        text="Підготуйте довідку",
        deadline=parent_deadline - dt.timedelta(days=2),
    )
    assert (level1.assignee, level1.unit, level1.depth, level1.parent) == (
        council.sector_head,
        council.units["03"],
        1,
        assignment,
    )
    assert fresh(assignment).status == AssignmentStatus.ACCEPTED  # accepted on the way
    assert Notification.objects.filter(kind="assignment_issued", recipient=council.sector_head).exists()
    level2 = assignment_subassign(
        actor=council.sector_head,
        assignment=level1,
        expected_version=level1.version,
        assignee=council.worker_a1,
        text="Зберіть дані",
    )
    assert (
        level2.depth == 2 and level2.deadline == level1.deadline and level2.issued_by == council.sector_head
    )
    # A parent with open children cannot be done.
    a = _go(assignment_report, assignment, council.chief_a, text="Звіт")
    with pytest.raises(ApplicationError) as exc:
        _go(assignment_accept_report, a, council.head)
    assert exc.value.code == "open_children"
    # Children done bottom-up → the parent can be done.
    lv2 = _go(assignment_accept, level2, council.worker_a1)
    lv2 = _go(assignment_report, lv2, council.worker_a1, text="Дані зібрано")
    assert _go(assignment_accept_report, lv2, council.sector_head).status == AssignmentStatus.DONE
    lv1 = _go(assignment_report, level1, council.sector_head, text="Довідку підготовлено")
    assert _go(assignment_accept_report, lv1, council.chief_a).status == AssignmentStatus.DONE
    assert _go(assignment_accept_report, a, council.head).status == AssignmentStatus.DONE


def test_sub_assignment_rules(council, assignment):
    def sub(**kwargs):
        a = fresh(assignment)
        kwargs.setdefault("text", "Опрацювати")
        return assignment_subassign(
            actor=kwargs.pop("actor", council.chief_a), assignment=a, expected_version=a.version, **kwargs
        )

    with pytest.raises(ApplicationError) as exc:
        sub(assignee=council.worker_b)  # another unit
    assert exc.value.code == "outside_unit" and exc.value.field == "assignee"
    with pytest.raises(ApplicationError) as exc:
        sub(assignee=council.units["04"])
    assert exc.value.code == "outside_unit"
    with pytest.raises(ApplicationError) as exc:
        sub(assignee=council.chief_a)
    assert exc.value.code == "self_assignment"
    with pytest.raises(ApplicationError) as exc:
        sub(assignee=council.worker_a, deadline=assignment.deadline + dt.timedelta(days=1))
    assert exc.value.code == "deadline_after_parent" and exc.value.field == "deadline"
    with pytest.raises(ApplicationError) as exc:
        sub(assignee=council.worker_a, text="")
    assert exc.value.field == "text"
    with pytest.raises(PermissionDeniedError):
        sub(assignee=council.worker_a, actor=council.worker_a)
    assert not Assignment.objects.filter(parent=assignment).exists()
    assert sub(assignee=council.worker_a).assignee == council.worker_a


def test_cancel_a_sub_assignment_cancels_its_subtree(council, assignment):
    level1 = assignment_subassign(
        actor=council.chief_a,
        assignment=assignment,
        expected_version=assignment.version,
        assignee=council.sector_head,
        text="Довідка",
    )
    level2 = assignment_subassign(
        actor=council.sector_head,
        assignment=level1,
        expected_version=level1.version,
        assignee=council.worker_a1,
        text="Дані",
    )
    with pytest.raises(PermissionDeniedError):
        _go(assignment_cancel, level1, council.worker_a1, reason="x")
    with pytest.raises(ApplicationError) as exc:
        _go(assignment_cancel, assignment, council.head, reason="x")
    assert exc.value.code == "top_level"
    _go(assignment_cancel, level1, council.chief_a, reason="Уже не потрібно")
    assert fresh(level1).status == fresh(level2).status == AssignmentStatus.CANCELLED
