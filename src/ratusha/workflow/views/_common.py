"""Helpers of the workflow views: turning service errors into form errors, history rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.workflow.constants import AssignmentStatus, DeadlineChangeStatus

HISTORY_LABELS = {
    "assignment.issue": gettext_lazy("Доручення видано"),
    "assignment.accept": gettext_lazy("Прийнято до виконання"),
    "assignment.start": gettext_lazy("Розпочато виконання"),
    "assignment.report": gettext_lazy("Подано звіт"),
    "assignment.done": gettext_lazy("Звіт прийнято, доручення виконано"),
    "assignment.return": gettext_lazy("Повернуто на доопрацювання"),
    "assignment.cancel": gettext_lazy("Скасовано"),
    "assignment.subassign": gettext_lazy("Видано доручення нижчого рівня"),
    "assignment.escalate": gettext_lazy("Повідомлено керівника про прострочення"),
    "assignment.deadline_change": gettext_lazy("Змінено строк"),
    "assignment.deadline_recompute": gettext_lazy("Строк перераховано за календарем"),
    "deadline_request.create": gettext_lazy("Запит на зміну строку"),
    "deadline_request.decide": gettext_lazy("Рішення щодо запиту на зміну строку"),
}


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def apply_error(form: forms.Form, exc: ApplicationError, field_map: dict[str, str] | None = None) -> None:
    """Show a service error on the form field it names (or above the form). Permission errors → 403."""
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(exc.message)
    field = (field_map or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields and field != "expected_version" else None, exc.message)


def _date(value: Any) -> str:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return f"{value[8:10]}.{value[5:7]}.{value[:4]}"
    return str(value or "")


def describe_history(events: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for event in events:
        params = event.params or {}
        details: list[str] = []
        action = event.action
        if action in ("assignment.report",):
            details.append(params.get("report", ""))
            if params.get("file"):
                details.append(_("файл «%(name)s»") % {"name": params["file"]})
        elif action == "assignment.return" or action == "assignment.cancel":
            details.append(_("причина: %(reason)s") % {"reason": params.get("reason", "")})
        elif action == "assignment.done" and params.get("note"):
            details.append(params["note"])
        elif action in ("assignment.deadline_change", "assignment.deadline_recompute"):
            details.append(
                _("з %(old)s на %(new)s") % {"old": _date(params.get("from")), "new": _date(params.get("to"))}
            )
        elif action == "assignment.issue":
            details.append(_("строк %(date)s") % {"date": _date(params.get("deadline"))})
        elif action == "deadline_request.create":
            details.append(
                _("на %(date)s: %(reason)s")
                % {"date": _date(params.get("proposed")), "reason": params.get("reason", "")}
            )
        elif action == "deadline_request.decide":
            status = params.get("status", "")
            label = DeadlineChangeStatus(status).label if status in DeadlineChangeStatus.values else status
            details.append(str(label) + (f": {params['note']}" if params.get("note") else ""))
        elif action == "assignment.subassign":
            pass
        to = params.get("to")
        if (
            action.startswith("assignment.")
            and to in AssignmentStatus.values
            and action not in ("assignment.deadline_change", "assignment.deadline_recompute")
        ):
            details.append(_("стан: %(status)s") % {"status": AssignmentStatus(to).label})
        actor = (
            event.actor.full_name
            if event.actor_id and event.actor
            else (_("система") if event.actor_repr == "system" else event.actor_repr)
        )
        rows.append(
            {
                "at": event.at,
                "actor": actor,
                "title": HISTORY_LABELS.get(action, action),
                "details": [d for d in details if d],
            }
        )
    return rows
