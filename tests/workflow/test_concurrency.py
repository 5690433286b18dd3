"""Two people change the same assignment at the same moment: exactly one wins, the other is told."""

import pytest

from ratusha.core.audit import audit_verify
from ratusha.core.errors import ApplicationError
from ratusha.orgs.models import User
from ratusha.workflow.constants import AssignmentStatus
from ratusha.workflow.models import Assignment, DeadlineChangeRequest
from ratusha.workflow.services import (
    ConflictError,
    assignment_accept,
    assignment_accept_report,
    assignment_report,
    assignment_return,
    deadline_change_request,
    resolution_create,
)
from tests.concurrency import run_concurrently
from tests.workflow.conftest import build_council

pytestmark = pytest.mark.django_db(transaction=True)


def _reported(council):
    doc = council.register()
    res = resolution_create(
        actor=council.head, document=doc, text="Підготувати відповідь", responsible=council.chief_a
    )
    a = res.assignments.get()
    a = assignment_accept(actor=council.chief_a, assignment=a, expected_version=a.version)
    return assignment_report(actor=council.chief_a, assignment=a, expected_version=a.version, text="Звіт")


def _decide(user_pk, assignment_pk, version, action):
    user = User.objects.get(pk=user_pk)
    a = Assignment.objects.select_related("resolution").get(pk=assignment_pk)
    if action == "accept":
        return assignment_accept_report(actor=user, assignment=a, expected_version=version, note="Прийнято")
    return assignment_return(
        actor=user, assignment=a, expected_version=version, reason="Доопрацюйте розрахунки"
    )


def test_accept_and_return_at_once_exactly_one_wins():
    council = build_council()
    a = _reported(council)
    outcomes = run_concurrently(
        _decide,
        [(council.head.pk, a.pk, a.version, "accept"), (council.deputy.pk, a.pk, a.version, "return")],
    )
    wins = [o for o in outcomes if isinstance(o, Assignment)]
    conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(wins) == 1 and len(conflicts) == 1, outcomes
    assert conflicts[0].code == "conflict" and "щойно змінив інший користувач" in conflicts[0].message
    a.refresh_from_db()
    assert a.version == wins[0].version == 4
    assert a.status in (AssignmentStatus.DONE, AssignmentStatus.RETURNED) and a.status == wins[0].status
    # Nothing lost, nothing half-written: the winner's fields are there, the loser's are not.
    if a.status == AssignmentStatus.DONE:
        assert a.return_reason == "" and a.times_returned == 0 and a.done_on
    else:
        assert a.return_reason == "Доопрацюйте розрахунки" and a.times_returned == 1 and a.done_on is None
    assert audit_verify() is None


def _ask(user_pk, assignment_pk, days):
    import datetime as dt

    user = User.objects.get(pk=user_pk)
    a = Assignment.objects.select_related("resolution", "parent").get(pk=assignment_pk)
    return deadline_change_request(
        actor=user,
        assignment=a,
        proposed_deadline=a.deadline + dt.timedelta(days=days),
        reason="Потрібно більше часу",
    )


def test_two_deadline_requests_at_once_leave_one_pending():
    council = build_council()
    doc = council.register()
    res = resolution_create(actor=council.head, document=doc, text="Розглянути", responsible=council.chief_a)
    a = res.assignments.get()
    outcomes = run_concurrently(_ask, [(council.chief_a.pk, a.pk, 5), (council.chief_a.pk, a.pk, 9)])
    made = [o for o in outcomes if isinstance(o, DeadlineChangeRequest)]
    refused = [o for o in outcomes if isinstance(o, ApplicationError)]
    assert len(made) == 1 and len(refused) == 1, outcomes
    assert refused[0].code == "pending_exists"
    assert DeadlineChangeRequest.objects.filter(assignment=a, status="pending").count() == 1
