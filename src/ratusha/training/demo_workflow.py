"""Demo execution work: resolutions, assignments two levels deep, reports, returns, control, closing.

Recent documents with an executor go through the real ``ratusha.workflow`` services, so every
assignment, notification and audit event is what the application itself would have written. Dates
are then moved back to when the work would have happened (the services stamp "today"), so that the
boards and the execution-discipline report show a real mix: done on time, done late, overdue, in
progress, due today and this week.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from ratusha.calendar.selectors import add_working_days
from ratusha.orgs.models import Employee
from ratusha.registry.constants import AccessMark, DocumentStatus
from ratusha.workflow import services as wf
from ratusha.workflow.constants import AssignmentStatus, DeadlineKind
from ratusha.workflow.models import Assignment, Resolution

# Documents registered within this many days get real resolutions and assignments.
RECENT_DAYS = 60

RESOLUTION_TEXTS = (
    "Розглянути та підготувати відповідь у встановлений строк.",
    "Опрацювати, вжити заходів, про результати поінформувати.",
    "Вивчити питання, підготувати пропозиції.",
    "Для виконання. Відповідь надіслати заявникові та поінформувати керівника.",
    "Взяти на контроль. Забезпечити виконання в межах повноважень.",
)
REPORT_TEXTS = (
    "Питання опрацьовано, відповідь підготовлено та надіслано.",
    "Заходи вжито, роботи виконано в повному обсязі.",
    "Надано роз'яснення, питання вирішено в робочому порядку.",
    "Підготовлено пропозиції, погоджено з профільними підрозділами.",
)
SUB_TEXTS = (
    "Підготувати проєкт відповіді та довідкову інформацію.",
    "Перевірити на місці й скласти акт обстеження.",
    "Зібрати дані від комунальних підприємств і узагальнити.",
)
RETURN_REASONS = (
    "Додайте розрахунки та посилання на рішення виконавчого комітету.",
    "Відповідь неповна: не зазначено строків виконання робіт.",
)


@dataclass
class _Stats:
    resolutions: int = 0
    assignments: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


class WorkflowDemo:
    def __init__(self, *, users: dict[str, Any], infos: dict[str, Any], today: dt.date, seed: int) -> None:
        self.users = users
        self.infos = infos
        self.today = today
        self.rng = random.Random(seed)
        self.stats = _Stats()
        # Each board must have something to show whatever the date of the load: the first cards past
        # their deadline are done late, then left overdue, then done on time; the rest are random.
        self._owed_past = ["done_late", "in_progress", "done_on_time"]

    # --- choosing --------------------------------------------------------------------------------

    def wanted(self, spec: Any) -> bool:
        return bool(spec.executor) and not spec.cancel_reason and (self.today - spec.date).days <= RECENT_DAYS

    def _controller(self, org_code: str) -> Any:
        people = [p for p in self.infos[org_code].staff if "controller" in p.roles]
        return self.users[people[0].username] if people else None

    def _colleague(self, org_code: str, username: str) -> Any:
        """Another executor of the same unit (for a sub-assignment), or None."""
        info = self.infos[org_code]
        me = next((p for p in info.staff if p.username == username), None)
        if me is None:
            return None
        others = [p for p in info.staff if p.unit_code == me.unit_code and p.username != me.username
                  and "executor" in p.roles]
        return self.users[self.rng.choice(others).username] if others else None

    # --- running ---------------------------------------------------------------------------------

    def run(self, specs: Iterable[Any]) -> _Stats:
        for spec in specs:
            document = spec.document
            if document is None or document.status != DocumentStatus.REGISTERED:
                continue
            self._one(spec, document)
        return self.stats

    def _one(self, spec: Any, document: Any) -> None:
        info = self.infos[spec.org]
        head = self.users[info.head().username]
        executor = self.users[spec.executor]
        if document.access in (AccessMark.RESTRICTED, AccessMark.PERSONAL) and not Employee.objects.filter(
                user=executor, organisation_id=document.organisation_id).exists():
            return
        controller = self._controller(spec.org) if document.on_control else None
        kind = {"urgent": DeadlineKind.URGENT, "immediate": DeadlineKind.IMMEDIATE}.get(
            document.urgency, DeadlineKind.DEFAULT)
        try:
            resolution = wf.resolution_create(
                actor=head, document=document, text=self.rng.choice(RESOLUTION_TEXTS), responsible=executor,
                deadline_kind=kind, on_control=document.on_control, controller=controller)
        except Exception:  # noqa: BLE001 - a demo card the rules refuse (e.g. no access) is left as is
            return
        self.stats.resolutions += 1
        issued_on = self._working_on_or_after(document.reg_date)
        Resolution.objects.filter(pk=resolution.pk).update(date=issued_on)
        type(document).objects.filter(pk=document.pk).update(resolution_date=issued_on)
        top = resolution.assignments.get(parent=None)
        child = None
        if self.rng.random() < 0.35:
            colleague = self._colleague(spec.org, spec.executor)
            if colleague is not None:
                try:
                    child = wf.assignment_subassign(
                        actor=executor, assignment=top, expected_version=top.version, assignee=colleague,
                        text=self.rng.choice(SUB_TEXTS))
                except Exception:  # noqa: BLE001 - e.g. the colleague cannot open a closed card
                    child = None
                top.refresh_from_db()
        answer = spec.answered_by.document if spec.answered_by is not None else None
        if answer is not None and answer.is_cancelled:
            answer = None
        outcome = "done_answer" if answer is not None else self._outcome(resolution.deadline)
        if outcome.startswith("done"):
            done_on = (max(answer.reg_date, issued_on) if answer is not None else
                       self._done_on(issued_on, resolution.deadline, late=outcome == "done_late"))
            if child is not None:
                self._complete(child, on=done_on)
            self._complete(top, on=done_on)
            resolution.refresh_from_db()
            closer = resolution.controller or head
            wf.resolution_close(actor=closer, resolution=resolution, expected_version=resolution.version,
                                result="Надано відповідь" if answer is not None else self.rng.choice(REPORT_TEXTS),
                                executed_on=done_on, answer_index=answer.reg_index if answer is not None else "")
        else:
            if child is not None:
                self._advance(child, outcome)
            self._advance(top, outcome if child is None else "in_progress")
        self._backdate(resolution, issued_on)
        for a in Assignment.objects.filter(resolution=resolution):
            self.stats.assignments += 1
            self.stats.by_status[a.status] = self.stats.by_status.get(a.status, 0) + 1

    def _outcome(self, deadline: dt.date) -> str:
        roll = self.rng.random()
        if deadline < self.today and self._owed_past:
            return self._owed_past.pop(0)
        if deadline < self.today:
            if roll < 0.62:
                return "done_on_time"
            if roll < 0.78:
                return "done_late"
            return self.rng.choice(("in_progress", "in_progress", "accepted", "reported", "returned"))
        if roll < 0.12:
            return "done_on_time"
        return self.rng.choice(("issued", "accepted", "in_progress", "in_progress", "in_progress",
                                "reported", "returned"))

    def _working_on_or_after(self, day: dt.date) -> dt.date:
        return add_working_days(day - dt.timedelta(days=1), 1)

    def _done_on(self, issued_on: dt.date, deadline: dt.date, *, late: bool) -> dt.date:
        if late:
            day = deadline + dt.timedelta(days=self.rng.randint(1, 9))
        else:
            span = max(0, (deadline - issued_on).days)
            day = issued_on + dt.timedelta(days=self.rng.randint(min(1, span), span))
        return min(max(day, issued_on), self.today)

    # --- moving assignments through their statuses (always by the right person) ------------------

    def _step(self, a: Assignment, action: str, actor: Any, **extra: Any) -> Assignment:
        a.refresh_from_db()
        fn = {"accept": wf.assignment_accept, "start": wf.assignment_start, "report": wf.assignment_report,
              "done": wf.assignment_accept_report, "return": wf.assignment_return}[action]
        return fn(actor=actor, assignment=a, expected_version=a.version, **extra)

    def _complete(self, a: Assignment, *, on: dt.date) -> None:
        a.refresh_from_db()
        assignee = a.assignee
        if a.status == AssignmentStatus.ISSUED:
            self._step(a, "accept", assignee)
        a.refresh_from_db()
        if a.status == AssignmentStatus.ACCEPTED:
            self._step(a, "start", assignee)
        self._step(a, "report", assignee, text=self.rng.choice(REPORT_TEXTS))
        self._step(a, "done", a.issued_by)
        Assignment.objects.filter(pk=a.pk).update(done_on=on, done_at=_at(on, 16), reported_at=_at(on, 11))

    def _advance(self, a: Assignment, outcome: str) -> None:
        assignee = a.assignee
        order = ["accept", "start", "report"]
        target = {"issued": 0, "accepted": 1, "in_progress": 2, "reported": 3, "returned": 3}.get(outcome, 2)
        a.refresh_from_db()
        for action in order[:target]:
            a.refresh_from_db()
            if action == "accept" and a.status != AssignmentStatus.ISSUED:
                continue
            if action == "start" and a.status != AssignmentStatus.ACCEPTED:
                continue
            extra = {"text": self.rng.choice(REPORT_TEXTS)} if action == "report" else {}
            self._step(a, action, assignee, **extra)
        if outcome == "returned":
            self._step(a, "return", a.issued_by, reason=self.rng.choice(RETURN_REASONS))

    def _backdate(self, resolution: Resolution, issued_on: dt.date) -> None:
        issued_at = _at(issued_on, 10)
        for a in Assignment.objects.filter(resolution=resolution):
            accepted = _at(min(add_working_days(issued_on, 1), self.today), 9) if a.accepted_at else None
            Assignment.objects.filter(pk=a.pk).update(
                created_at=issued_at, accepted_at=accepted,
                started_at=accepted if a.started_at else None)
        Resolution.objects.filter(pk=resolution.pk).update(created_at=issued_at)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
