"""The workflow's part of the daily e-mail digest (registered with ``ratusha.notifications.digest``).

Each executor: «Строк сьогодні», «Строк найближчими N робочими днями», «Прострочені» (sorted by deadline).
Heads additionally: «Прострочені доручення підлеглих» — for a unit head the staff of their unit subtree,
for a head of the organisation the executors of the resolutions they wrote.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratusha.orgs.models import Employee
from ratusha.workflow import permissions as perms
from ratusha.workflow.constants import DEFAULT_SOON_WORKING_DAYS, DIGEST_HEAD_LIMIT, RESOLVING_ROLES
from ratusha.workflow.models import Assignment


def _item(a: Assignment, on: dt.date, *, with_assignee: bool = False) -> Any:
    from ratusha.calendar.selectors import working_days_between
    from ratusha.notifications.digest import DigestItem

    text = _("№ %(index)s — %(summary)s") % {
        "index": a.document.reg_index,
        "summary": a.document.summary[:140],
    }
    if with_assignee:
        text = f"{a.assignee.short_name}: {text}"
    note = a.get_role_display()
    if a.deadline < on:
        late = working_days_between(a.deadline, on)
        note = (
            ngettext("прострочено %(n)s робочий день", "прострочено %(n)s робочих днів", late) % {"n": late}
            if late
            else _("прострочено")
        )
    return DigestItem(text=text, url=reverse("workflow:assignment", args=[a.pk]), due=a.deadline, note=note)


def workflow_digest(on_date: dt.date, soon_days: int = DEFAULT_SOON_WORKING_DAYS) -> dict[Any, list[Any]]:
    """{user_id: [DigestSection]} for ``on_date``."""
    from ratusha.notifications.digest import DigestItem, DigestSection
    from ratusha.workflow.services.daily import executor_open, soon_end

    until = soon_end(on_date, soon_days)
    rows = list(
        executor_open()
        .filter(deadline__lte=until)
        .select_related("document", "assignee", "resolution")
        .order_by("deadline", "created_at")
    )
    mine: dict[Any, dict[str, list[Any]]] = defaultdict(lambda: {"today": [], "soon": [], "overdue": []})
    for a in rows:
        key = "overdue" if a.deadline < on_date else "today" if a.deadline == on_date else "soon"
        mine[a.assignee_id][key].append(_item(a, on_date))
    result: dict[Any, list[Any]] = {}
    titles = {
        "today": _("Строк сьогодні"),
        "soon": ngettext(
            "Строк найближчий %(n)s робочий день", "Строк найближчими %(n)s робочими днями", soon_days
        )
        % {"n": soon_days},
        "overdue": _("Прострочені"),
    }
    for user_id, groups in mine.items():
        result[user_id] = [
            DigestSection(title=str(titles[key]), items=items) for key, items in groups.items() if items
        ]

    overdue = [a for a in rows if a.deadline < on_date]
    board = reverse("workflow:control")
    for head_id, items in _subordinates_overdue(overdue).items():
        shown = [_item(a, on_date, with_assignee=True) for a in items[:DIGEST_HEAD_LIMIT]]
        if len(items) > DIGEST_HEAD_LIMIT:
            rest = len(items) - DIGEST_HEAD_LIMIT
            shown.append(
                DigestItem(
                    text=ngettext(
                        "…і ще %(n)s доручення на дошці контролю",
                        "…і ще %(n)s доручень на дошці контролю",
                        rest,
                    )
                    % {"n": rest},
                    url=board,
                )
            )
        result.setdefault(head_id, []).append(
            DigestSection(title=_("Прострочені доручення підлеглих"), items=shown)
        )
    return result


def _subordinates_overdue(overdue: list[Assignment]) -> dict[Any, list[Assignment]]:
    """{head user id: overdue assignments of their subordinates}, each list sorted by deadline."""
    if not overdue:
        return {}
    by_head: dict[Any, dict[Any, Assignment]] = defaultdict(dict)
    # Unit heads: staff employed in their unit subtree (in the same organisation).
    heads = Employee.objects.filter(
        is_active=True, user__is_active=True, position__is_head=True, unit__isnull=False
    ).select_related("unit")
    staff_units = {
        (e.user_id, e.organisation_id): e.unit_id
        for e in Employee.objects.filter(
            is_active=True, unit__isnull=False, user_id__in={a.assignee_id for a in overdue}
        )
    }
    for head in heads:
        subtree = set(perms.unit_subtree_ids(head.unit))
        for a in overdue:
            if (
                a.assignee_id != head.user_id
                and staff_units.get((a.assignee_id, a.organisation_id)) in subtree
            ):
                by_head[head.user_id][a.pk] = a
    # Heads of the organisation: the executors of their own resolutions.
    author_heads = {
        (e.user_id, e.organisation_id)
        for e in Employee.objects.filter(is_active=True)
        if set(e.roles) & RESOLVING_ROLES
    }
    for a in overdue:
        author = a.resolution.author_id
        if author != a.assignee_id and (author, a.organisation_id) in author_heads:
            by_head[author][a.pk] = a
    return {
        head: sorted(items.values(), key=lambda a: (a.deadline, a.created_at))
        for head, items in by_head.items()
    }
