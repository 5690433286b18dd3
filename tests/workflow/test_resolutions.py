"""resolution_create: who may write it, what it writes into the card, and every refusal with its field."""

import datetime as dt

import pytest
from django.utils import timezone

from ratusha.calendar.selectors import deadline as calendar_deadline
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from ratusha.notifications.models import Notification
from ratusha.registry.services import document_access_grant, document_cancel
from ratusha.workflow.constants import AssignmentRole, AssignmentStatus, DeadlineKind
from ratusha.workflow.models import Assignment
from ratusha.workflow.services import resolution_create
from tests.workflow.conftest import fresh, top


def test_head_writes_a_resolution_into_the_card(council, doc, resolve):
    res = resolve(
        co_executors=[council.chief_b, council.worker_c],
        on_control=True,
        controller=council.controller,
        deadline_kind=DeadlineKind.URGENT,
    )
    doc = fresh(doc)
    expected = calendar_deadline("control-urgent", doc.reg_date)
    assert res.author == council.head and res.written_by == council.head
    assert res.deadline == expected and res.on_control and res.controller == council.controller
    rows = list(res.assignments.order_by("created_at"))
    assert [(a.assignee, a.role) for a in rows] == [
        (council.chief_a, AssignmentRole.RESPONSIBLE),
        (council.chief_b, AssignmentRole.CO_EXECUTOR),
        (council.worker_c, AssignmentRole.CO_EXECUTOR),
    ]
    assert all(
        a.deadline == expected
        and a.status == AssignmentStatus.ISSUED
        and a.issued_by == council.head
        and a.depth == 0
        for a in rows
    )
    # The card: resolution, author, date, executor, urgency, control, deadline; status in work.
    assert doc.resolution == "Підготувати відповідь заявнику"
    assert doc.resolution_author == council.head and doc.resolution_date == timezone.localdate()
    assert doc.executor == council.chief_a and doc.urgency == "urgent" and doc.on_control
    assert doc.execution_deadline == expected and doc.status == "in_work"
    actions = list(AuditEvent.objects.filter(object_id=str(doc.pk)).values_list("action", flat=True))
    assert "document.resolution" in actions and "document.transition" in actions
    assert AuditEvent.objects.filter(action="resolution.create", object_id=str(res.pk)).exists()
    assert AuditEvent.objects.filter(action="assignment.issue").count() == 3
    issued = Notification.objects.filter(kind="assignment_issued")
    assert sorted(n.recipient.username for n in issued) == ["chief_a", "chief_b", "worker_c"]
    assert all(n.url == f"/office/work/assignments/{n.object_id}/" for n in issued)


@pytest.mark.parametrize("kind", ["control-default", "control-urgent", "control-immediate"])
def test_rule_deadlines_come_from_the_calendar(council, resolve, kind):
    doc = council.register(reg_date=timezone.localdate() - dt.timedelta(days=10))
    res = resolve(document=doc, deadline_kind=kind)
    assert res.deadline == calendar_deadline(kind, doc.reg_date)
    assert (
        fresh(doc).urgency
        == {"control-default": "normal", "control-urgent": "urgent", "control-immediate": "immediate"}[kind]
    )


def test_a_concrete_date_keeps_the_registered_urgency(council, resolve):
    doc = council.register(urgency="urgent")
    day = timezone.localdate() + dt.timedelta(days=12)
    res = resolve(document=doc, deadline_kind=DeadlineKind.DATE, deadline_date=day)
    assert res.deadline == day and fresh(doc).urgency == "urgent" and fresh(doc).execution_deadline == day


def test_the_deputy_acting_for_the_head_writes_in_the_heads_name(council, resolve):
    res = resolve(actor=council.deputy)
    assert res.author == council.head and res.written_by == council.deputy
    assert fresh(res.document).resolution_author == council.head
    assert top(res).issued_by == council.head


def test_a_unit_as_executor_goes_to_its_head(council, resolve):
    res = resolve(responsible=council.units["02"], co_executors=[council.units["03"]])
    a, b = res.assignments.order_by("created_at")
    assert (a.assignee, a.unit) == (council.chief_a, council.units["02"])
    assert (b.assignee, b.unit) == (council.sector_head, council.units["03"])


def test_a_unit_without_head_is_refused_clearly(council, resolve):
    with pytest.raises(ApplicationError) as exc:
        resolve(responsible=council.units["05"])
    assert exc.value.code == "unit_without_head" and exc.value.field == "responsible"
    assert "Відділ без керівника" in exc.value.message


def test_deadline_before_registration_is_refused(council, resolve):
    doc = council.register(reg_date=timezone.localdate() - dt.timedelta(days=5))
    with pytest.raises(ApplicationError) as exc:
        resolve(
            document=doc, deadline_kind=DeadlineKind.DATE, deadline_date=doc.reg_date - dt.timedelta(days=1)
        )
    assert exc.value.field == "deadline_date" and exc.value.code == "deadline_before_registration"
    with pytest.raises(ApplicationError) as exc:
        resolve(document=doc, deadline_kind=DeadlineKind.DATE, deadline_date=None)
    assert exc.value.field == "deadline_date"
    assert not Assignment.objects.exists()


def test_executor_must_be_staff_of_the_organisation(council, resolve):
    with pytest.raises(ApplicationError) as exc:
        resolve(responsible=council.outsider)
    assert exc.value.code == "not_staff" and exc.value.field == "responsible"
    with pytest.raises(ApplicationError) as exc:
        resolve(co_executors=[council.outsider])
    assert exc.value.field == "co_executors"


def test_executor_without_access_to_a_restricted_card_is_named(council, resolve):
    doc = council.register(access="restricted")
    with pytest.raises(ApplicationError) as exc:
        resolve(document=doc, responsible=council.worker_b)
    assert exc.value.code == "no_access" and exc.value.field == "responsible"
    assert "Левчук" in exc.value.message and "доступ" in exc.value.message
    document_access_grant(actor=council.head, document=doc, user=council.worker_b)
    assert top(resolve(document=doc, responsible=council.worker_b)).assignee == council.worker_b


def test_no_executor(council, resolve):
    with pytest.raises(ApplicationError) as exc:
        resolve(responsible=None)
    assert exc.value.field == "responsible" and exc.value.code == "required"


def test_empty_text(council, resolve):
    with pytest.raises(ApplicationError) as exc:
        resolve(text="   ")
    assert exc.value.field == "text"


def test_cancelled_document(council, doc, resolve):
    document_cancel(actor=council.registrar, document=doc, reason="Помилкова реєстрація")
    with pytest.raises(ApplicationError) as exc:
        resolve(document=fresh(doc))
    assert exc.value.code == "document_cancelled"


@pytest.mark.parametrize("who", ["worker_a", "controller", "registrar", "chief_a"])
def test_only_heads_write_resolutions(council, resolve, who):
    with pytest.raises(PermissionDeniedError):
        resolve(actor=getattr(council, who))


def test_an_outsider_cannot_even_see_the_card(council, resolve):
    with pytest.raises(PermissionDeniedError):
        resolve(actor=council.outsider)


def test_controller_needs_the_role(council, resolve):
    with pytest.raises(ApplicationError) as exc:
        resolve(on_control=True, controller=council.worker_a)
    assert exc.value.code == "not_controller" and exc.value.field == "controller"
    res = resolve(on_control=False, controller=council.controller)
    assert res.controller is None and not res.on_control


def test_several_resolutions_the_card_shows_the_latest(council, doc, resolve):
    first = resolve(text="Розглянути")
    second = resolve(text="Підготувати проєкт відповіді", responsible=council.chief_b, on_control=True)
    doc = fresh(doc)
    assert doc.resolutions.count() == 2 and {first.pk, second.pk} == set(
        doc.resolutions.values_list("pk", flat=True)
    )
    assert (
        doc.resolution == "Підготувати проєкт відповіді"
        and doc.executor == council.chief_b
        and doc.on_control
    )


def test_duplicate_executors_are_given_one_assignment(council, resolve):
    res = resolve(co_executors=[council.chief_a, council.units["02"], council.worker_b])
    assert [a.assignee for a in res.assignments.order_by("created_at")] == [council.chief_a, council.worker_b]


def test_resolution_create_is_keyword_only(council, doc):
    with pytest.raises(TypeError):
        resolution_create(council.head, doc, "x", council.chief_a)  # type: ignore[misc]
