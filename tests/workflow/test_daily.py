"""The daily job: the digest sections, in-app reminders once a day, escalation once per assignment."""

import datetime as dt

import pytest

from ratusha.calendar.selectors import add_working_days, is_working_day
from ratusha.notifications.digest import digest_send_all
from ratusha.notifications.models import Notification
from ratusha.workflow.constants import DeadlineKind
from ratusha.workflow.digest import workflow_digest
from ratusha.workflow.models import Assignment, DueReminder
from ratusha.workflow.services import (
    assignment_subassign,
    due_reminders_send,
    escalation_target,
    overdue_escalate,
    workflow_daily,
)
from tests.workflow.conftest import fresh, top

ON = dt.date(2026, 11, 18)  # a Wednesday


@pytest.fixture
def dated(council, resolve):
    """Assignments due overdue / today / soon / later relative to ON, registered on 02.11.2026."""
    doc = council.register(reg_date=dt.date(2026, 11, 2))

    def make(person, day, **kwargs):
        return top(
            resolve(
                document=doc, responsible=person, deadline_kind=DeadlineKind.DATE, deadline_date=day, **kwargs
            )
        )

    return make


def test_digest_sections_for_executors_and_heads(council, dated):
    overdue = dated(council.worker_a, ON - dt.timedelta(days=3))
    older = dated(council.worker_a, ON - dt.timedelta(days=6))
    today = dated(council.worker_a, ON)
    soon = dated(council.worker_a, add_working_days(ON, 2))
    dated(council.worker_a, add_working_days(ON, 5))  # later: not in the digest
    result = workflow_digest(ON)
    sections = {s.title: s for s in result[council.worker_a.pk]}
    assert list(sections) == ["Строк сьогодні", "Строк найближчими 3 робочими днями", "Прострочені"]
    assert [i.url for i in sections["Прострочені"].items] == [
        f"/office/work/assignments/{a.pk}/" for a in (older, overdue)
    ]
    assert [i.due for i in sections["Строк сьогодні"].items] == [today.deadline]
    assert [i.due for i in sections["Строк найближчими 3 робочими днями"].items] == [soon.deadline]
    assert "прострочено" in sections["Прострочені"].items[0].note
    # The head of unit 02 and the author (head of the organisation) hear about subordinates' overdue ones.
    for head in (council.chief_a, council.head):
        [section] = [s for s in result[head.pk] if s.title == "Прострочені доручення підлеглих"]
        assert [i.due for i in section.items] == [older.deadline, overdue.deadline]
        assert section.items[0].text.startswith("Ткачук М.")
    assert council.chief_b.pk not in result


def test_the_digest_sends_one_email_per_person(council, dated, mailoutbox):
    council.worker_a.email = "worker_a@example.org"
    council.worker_a.save()
    dated(council.worker_a, ON - dt.timedelta(days=3))
    dated(council.worker_a, ON)
    mailoutbox.clear()
    digest_send_all(on=ON)
    to_worker = [m for m in mailoutbox if m.to == ["worker_a@example.org"]]
    assert len(to_worker) == 1
    body = to_worker[0].body
    assert "Прострочені" in body and "Строк сьогодні" in body
    mailoutbox.clear()
    digest_send_all(on=ON)
    assert not [m for m in mailoutbox if m.to == ["worker_a@example.org"]]


def test_reminders_once_a_day_without_email(council, dated):
    dated(council.worker_a, ON - dt.timedelta(days=1))
    dated(council.worker_a, ON)
    dated(council.chief_b, add_working_days(ON, 1))
    dated(council.worker_c, add_working_days(ON, 10))  # nothing due soon
    assert due_reminders_send(on=ON) == 2
    assert due_reminders_send(on=ON) == 0
    reminders = Notification.objects.filter(kind="due_reminder")
    assert {n.recipient for n in reminders} == {council.worker_a, council.chief_b}
    note = reminders.get(recipient=council.worker_a)
    assert "сьогодні — 1" in note.title and "прострочено — 1" in note.title
    assert note.email_state == "skipped"
    assert DueReminder.objects.get(user=council.worker_a, on_date=ON).counts == {
        "overdue": 1,
        "today": 1,
        "soon": 0,
    }
    assert due_reminders_send(on=ON + dt.timedelta(days=1)) == 2  # a new day


def test_escalation_targets(council, dated):
    late = ON - dt.timedelta(days=2)
    worker = dated(council.worker_a, late)
    chief = dated(council.chief_a, late)
    sector = dated(council.sector_head, late)
    orphan = dated(council.worker_c, late)
    assert escalation_target(worker) == council.chief_a  # head of the assignee's unit
    assert escalation_target(sector) == council.chief_a  # the assignee heads 03 → head of 02
    assert escalation_target(chief) == council.head  # heads 02, no parent unit → the author
    assert escalation_target(orphan) == council.head  # unit without a head → the author
    a = fresh(chief)
    child = assignment_subassign(
        actor=council.chief_a,
        assignment=a,
        expected_version=a.version,
        assignee=council.worker_a1,
        text="Дані",
    )
    assert escalation_target(child) == council.sector_head


def test_each_overdue_assignment_escalates_once(council, dated):
    late = dated(council.worker_a, ON - dt.timedelta(days=2))
    dated(council.worker_b, ON)  # due today: not overdue
    assert overdue_escalate(on=ON) == 1
    assert fresh(late).escalated_on == ON and fresh(late).version == late.version  # not a user edit
    note = Notification.objects.get(kind="overdue_escalation")
    assert note.recipient == council.chief_a and "Ткачук Марія" in note.body
    assert overdue_escalate(on=ON) == 0
    # The next day the one due today is overdue too; the first one is not escalated again.
    assert overdue_escalate(on=ON + dt.timedelta(days=1)) == 1
    assert overdue_escalate(on=ON + dt.timedelta(days=2)) == 0
    assert [
        n.recipient for n in Notification.objects.filter(kind="overdue_escalation").order_by("created_at")
    ] == [council.chief_a, council.chief_b]


def test_daily_run_is_idempotent(council, dated):
    dated(council.worker_a, ON - dt.timedelta(days=2))
    assert workflow_daily(on=ON) == {"reminders": 1, "escalations": 1}
    assert workflow_daily(on=ON) == {"reminders": 0, "escalations": 0}


def test_the_task_runs_on_working_days_only(council, dated, monkeypatch):
    from ratusha.workflow import tasks

    dated(council.worker_a, ON - dt.timedelta(days=2))
    saturday = dt.date(2026, 11, 21)
    assert not is_working_day(saturday) and is_working_day(ON)
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: saturday)
    assert tasks.daily_control_task.call() is None
    assert not Assignment.objects.filter(escalated_on__isnull=False).exists()
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: ON)
    assert tasks.daily_control_task.call() == {"reminders": 1, "escalations": 1}


def test_the_workflow_provider_is_registered():
    from ratusha.notifications import digest

    assert any(
        getattr(p, "__name__", "") == "_digest" and p.__module__ == "ratusha.workflow.apps"
        for p in digest._PROVIDERS
    )
