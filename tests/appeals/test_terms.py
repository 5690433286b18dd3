"""Terms (Law 393/96-ВР art. 20): 1 month, 15 days without extra study, the head's extension up to 45 days in
total with the applicant informed — every date compared with ``ratusha.calendar.selectors.deadline``."""

import datetime as dt

import pytest
from django.utils import timezone

from ratusha.appeals import services as svc
from ratusha.appeals.constants import AppealStatus, TermKind
from ratusha.appeals.models import AppealEvent
from ratusha.appeals.services.terms import days_left, forward_deadline, max_deadline, return_deadline
from ratusha.calendar.selectors import deadline
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from ratusha.orgs.models import Delegation, Employee
from tests.appeals.office_helpers import register_written

pytest_plugins = ["tests.appeals.office"]


def _recent(days: int = 3) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def test_term_helpers_use_the_calendar_rules(appeals_world):
    appeal = register_written(appeals_world, received_date=_recent())
    assert max_deadline(appeal) == deadline("appeal-max", appeal.received_date)
    assert return_deadline(appeal) == deadline("appeal-return", appeal.received_date)
    assert forward_deadline(appeal) == deadline("appeal-forward", appeal.received_date)
    assert days_left(appeal) == (appeal.deadline - timezone.localdate()).days
    assert days_left(appeal, appeal.deadline + dt.timedelta(days=2)) == -2


def test_head_extends_up_to_45_days_and_the_applicant_is_told(appeals_world, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    w = appeals_world
    appeal = register_written(w, received_date=_recent())
    limit = deadline("appeal-max", appeal.received_date)
    with django_capture_on_commit_callbacks(execute=True):
        svc.appeal_extend(actor=w.head, appeal=appeal, new_deadline=limit, expected_version=appeal.version,
                          reason="Потрібне обстеження дороги комісією.")
    appeal.refresh_from_db()
    assert appeal.deadline == limit and appeal.term_kind == TermKind.EXTENDED
    assert appeal.extended_by == w.head and appeal.extension_reason == "Потрібне обстеження дороги комісією."
    event = AppealEvent.objects.filter(appeal=appeal).latest("created_at")
    assert limit.strftime("%d.%m.%Y") in event.message and "обстеження" in event.message
    assert any(limit.strftime("%d.%m.%Y") in m.body for m in mailoutbox)
    audit = AuditEvent.objects.get(action="appeal.extend", object_id=str(appeal.pk))
    assert audit.params["new_deadline"] == limit.isoformat() and audit.params["max_deadline"] == limit.isoformat()


def test_extension_beyond_45_days_is_refused(appeals_world):
    w = appeals_world
    appeal = register_written(w, received_date=_recent())
    limit = deadline("appeal-max", appeal.received_date)
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_extend(actor=w.head, appeal=appeal, new_deadline=limit + dt.timedelta(days=1), reason="Довго.")
    assert exc.value.code == "term_too_long" and exc.value.field == "new_deadline"
    assert limit.strftime("%d.%m.%Y") in exc.value.message
    appeal.refresh_from_db()
    assert appeal.term_kind == TermKind.MONTH and appeal.deadline == deadline("appeal", appeal.received_date)


@pytest.mark.parametrize(("new", "code"), [("same", "not_later"), ("earlier", "not_later"), ("none", "required")])
def test_extension_must_move_the_deadline_later(appeals_world, new, code):
    w = appeals_world
    appeal = register_written(w, received_date=_recent())
    value = {"same": appeal.deadline, "earlier": appeal.deadline - dt.timedelta(days=1), "none": None}[new]
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_extend(actor=w.head, appeal=appeal, new_deadline=value, reason="Причина.")
    assert exc.value.code == code


def test_extension_needs_a_reason_and_an_open_appeal(appeals_world):
    w = appeals_world
    appeal = register_written(w, received_date=_recent())
    limit = max_deadline(appeal)
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_extend(actor=w.head, appeal=appeal, new_deadline=limit, reason=" ")
    assert exc.value.field == "reason"
    svc.appeal_forward(actor=w.officer, appeal=appeal, to_body="ПФУ", reason="Пенсії.")
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_extend(actor=w.head, appeal=appeal, new_deadline=limit, reason="Причина.")
    assert exc.value.code == "invalid_status"


@pytest.mark.parametrize("who", ["officer", "registrar", "controller", "admin", "executor", "outsider"])
def test_only_the_head_extends(appeals_world, who):
    w = appeals_world
    appeal = register_written(w, received_date=_recent())
    with pytest.raises(PermissionDeniedError):
        svc.appeal_extend(actor=getattr(w, who), appeal=appeal, new_deadline=max_deadline(appeal), reason="x")


def test_the_acting_deputy_of_the_head_extends(appeals_world):
    w = appeals_world
    appeal = register_written(w, received_date=_recent())
    today = timezone.localdate()
    Delegation.objects.create(principal=Employee.objects.get(user=w.head, organisation=w.org), deputy=w.registrar,
                              start=today - dt.timedelta(days=1), end=today + dt.timedelta(days=5))
    svc.appeal_extend(actor=w.registrar, appeal=appeal, new_deadline=max_deadline(appeal), reason="Відпустка голови.")
    appeal.refresh_from_db()
    assert appeal.term_kind == TermKind.EXTENDED and appeal.extended_by == w.registrar


def test_no_extra_study_switches_to_15_days_and_back(appeals_world):
    w = appeals_world
    appeal = register_written(w, received_date=_recent())
    svc.appeal_term_set(actor=w.officer, appeal=appeal, no_extra_study=True)
    appeal.refresh_from_db()
    assert appeal.term_kind == TermKind.URGENT and appeal.deadline == deadline("appeal-urgent", appeal.received_date)
    svc.appeal_term_set(actor=w.officer, appeal=appeal, no_extra_study=False)
    appeal.refresh_from_db()
    assert appeal.term_kind == TermKind.MONTH and appeal.deadline == deadline("appeal", appeal.received_date)
    assert AuditEvent.objects.filter(action="appeal.term_set", object_id=str(appeal.pk)).count() == 2
    svc.appeal_extend(actor=w.head, appeal=appeal, new_deadline=max_deadline(appeal), reason="Причина.")
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_term_set(actor=w.officer, appeal=appeal, no_extra_study=True)
    assert exc.value.code == "extended"


def test_overdue_is_counted_from_receipt(appeals_world):
    w = appeals_world
    appeal = register_written(w, received_date=timezone.localdate() - dt.timedelta(days=40))
    assert appeal.status == AppealStatus.REGISTERED
    assert appeal.deadline == deadline("appeal", appeal.received_date)
    assert days_left(appeal) < 0
