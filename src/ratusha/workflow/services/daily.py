"""The daily job of execution control: in-app reminders and the escalation of overdue assignments.

Both are idempotent per day: a reminder is one ``DueReminder`` row per person and date (unique), an
escalation sets ``Assignment.escalated_on`` once. A re-run, or a second worker, sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.workflow import permissions as perms
from ratusha.workflow.constants import DEFAULT_SOON_WORKING_DAYS, WORKING_STATUSES, ResolutionStatus
from ratusha.workflow.models import Assignment, DueReminder
from ratusha.workflow.services._common import assignment_url, doc_label, fmt_date, kinds, notify_user

logger = logging.getLogger(__name__)


def soon_end(on: dt.date, soon_days: int = DEFAULT_SOON_WORKING_DAYS) -> dt.date:
    """The last day of "due within N working days" counted from ``on`` (the calendar engine)."""
    from ratusha.calendar.selectors import add_working_days

    return add_working_days(on, soon_days) if soon_days > 0 else on


def executor_open() -> Any:
    """Assignments the executor still has to work on (a submitted report waits for the issuer)."""
    return Assignment.objects.filter(status__in=WORKING_STATUSES, resolution__status=ResolutionStatus.ACTIVE)


def due_reminders_send(*, on: dt.date, soon_days: int = DEFAULT_SOON_WORKING_DAYS) -> int:
    """One in-app DUE_REMINDER per person with something due today, soon or overdue (no e-mail: the digest
    carries the details). Returns how many were created now."""
    end = soon_end(on, soon_days)
    counts: dict[Any, dict[str, int]] = {}
    for assignee_id, deadline in (
        executor_open().filter(deadline__lte=end).values_list("assignee_id", "deadline")
    ):
        bucket = "overdue" if deadline < on else "today" if deadline == on else "soon"
        counts.setdefault(assignee_id, {"overdue": 0, "today": 0, "soon": 0})[bucket] += 1
    from ratusha.orgs.models import User

    users = User.objects.in_bulk(list(counts))
    sent = 0
    for user_id, numbers in counts.items():
        user = users.get(user_id)
        if user is None or not user.is_active:
            continue
        try:
            with transaction.atomic():
                DueReminder.objects.create(user=user, on_date=on, counts=numbers)
                notify_user(
                    recipient=user,
                    kind=kinds().DUE_REMINDER,
                    email=False,
                    url=reverse("workflow:home"),
                    title=_(
                        "Строки доручень на %(date)s: сьогодні — %(today)s, найближчими днями — "
                        "%(soon)s, прострочено — %(overdue)s"
                    )
                    % {"date": fmt_date(on), **numbers},
                )
        except IntegrityError:
            continue  # already reminded today (a re-run or another worker)
        sent += 1
    return sent


def escalation_target(assignment: Assignment) -> Any:
    """Who hears about an overdue assignment: the head of the assignee's unit; if the assignee is that
    head, the head of the parent unit; otherwise the resolution's author."""
    emp = perms.employment(assignment.assignee, assignment.organisation_id)
    if emp is not None and emp.unit_id is not None:
        head = perms.unit_head(emp.unit)
        if head is not None and head.pk != assignment.assignee_id:
            return head
        if head is not None and emp.unit.parent_id is not None:
            parent_head = perms.unit_head(emp.unit.parent)
            if parent_head is not None and parent_head.pk != assignment.assignee_id:
                return parent_head
    author = assignment.resolution.author
    if author.pk != assignment.assignee_id:
        return author
    return assignment.resolution.controller


def overdue_escalate(*, on: dt.date) -> int:
    """Escalate each overdue open assignment once (``escalated_on``) with an OVERDUE_ESCALATION notice."""
    done = 0
    pending = executor_open().filter(deadline__lt=on, escalated_on__isnull=True).values_list("pk", flat=True)
    for pk in list(pending):
        with transaction.atomic():
            a = (
                Assignment.objects.select_for_update(of=("self",))
                .select_related("resolution", "document", "assignee")
                .filter(pk=pk, escalated_on__isnull=True)
                .first()
            )
            if a is None:
                continue
            target = escalation_target(a)
            Assignment.objects.filter(pk=pk).update(escalated_on=on)  # not a user edit: version unchanged
            audit_log(
                actor=None,
                action="assignment.escalate",
                obj=a,
                params={"on": on, "deadline": a.deadline, "target": str(target.pk) if target else None},
            )
            if target is not None:
                notify_user(
                    recipient=target,
                    kind=kinds().OVERDUE_ESCALATION,
                    obj=a,
                    url=assignment_url(a),
                    title=_("Прострочено доручення — %(doc)s") % {"doc": doc_label(a.document)},
                    body=_("Виконавець: %(who)s. Термін виконання минув %(date)s.")
                    % {"who": a.assignee.full_name, "date": fmt_date(a.deadline)},
                )
            done += 1
    return done


def workflow_daily(*, on: dt.date) -> dict[str, int]:
    """The daily run (``tasks.daily_control_task``): reminders, then escalations."""
    result = {"reminders": due_reminders_send(on=on), "escalations": overdue_escalate(on=on)}
    logger.info("workflow daily run %s: %s", on, result)
    return result
