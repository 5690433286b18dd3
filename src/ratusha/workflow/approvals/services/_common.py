"""Helpers shared by the approvals services: status checks, locks, rights, notifications."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from ratusha.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from ratusha.workflow.approvals.constants import (
    DRAFT_TRANSITIONS,
    ROUTE_TRANSITIONS,
    DraftStatus,
    RouteStatus,
)
from ratusha.workflow.approvals.models import Draft, Route

logger = logging.getLogger(__name__)

def acting_ids(user: Any) -> list[Any]:
    """The user plus everyone they act for today (Delegation); empty for anonymous users."""
    from ratusha.registry.selectors import acting_user_ids

    return acting_user_ids(user)


def require_active_user(actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDeniedError(_("Увійдіть до робочого кабінету."))


def require_author(actor: Any, draft: Draft) -> None:
    """The draft's author, or the deputy acting for them."""
    require_active_user(actor)
    if draft.author_id not in acting_ids(actor):
        raise PermissionDeniedError(_("Цю дію може виконати лише автор проєкту."))


def lock_draft(draft: Draft) -> Draft:
    """The draft row, locked for the rest of the transaction (every write of a draft takes it first)."""
    return Draft.objects.select_for_update().get(pk=draft.pk)


def check_expected_version(draft: Draft, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != draft.version:
        raise ApplicationError(
            _("Проєкт щойно змінив інший користувач. Сторінку оновлено — перегляньте зміни й повторіть дію."),
            code="stale_draft")


def check_sha(draft: Draft, sha256: str) -> None:
    """The form carries the SHA-256 of the version the user looked at; refuse when it is not current."""
    if (sha256 or "").strip().lower() != draft.current_sha256:
        raise ApplicationError(_("Документ змінено після того, як ви його відкрили: перегляньте нову версію."),
                               code="stale_version", field="sha256")


def draft_transition(draft: Draft, to: str) -> str:
    """Move the (locked) draft to ``to`` if DRAFT_TRANSITIONS allows it; returns the old status.

    The caller saves the draft and writes the audit event.
    """
    current = draft.status
    if to not in DRAFT_TRANSITIONS.get(current, frozenset()):
        raise TransitionError(_("Проєкт у стані «%(current)s» не можна перевести у стан «%(to)s».")
                              % {"current": DraftStatus(current).label, "to": DraftStatus(to).label})
    draft.status = to
    return current


def route_transition(route: Route, to: str) -> None:
    if to not in ROUTE_TRANSITIONS.get(route.status, frozenset()):
        raise TransitionError(_("Маршрут у стані «%(current)s» не можна перевести у стан «%(to)s».")
                              % {"current": RouteStatus(route.status).label, "to": RouteStatus(to).label})
    route.status = to


def latest_route(draft: Draft, *, lock: bool = False) -> Route | None:
    qs = Route.objects.filter(draft=draft).order_by("-round")
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def next_round(draft: Draft) -> int:
    return (Route.objects.filter(draft=draft).aggregate(m=Max("round"))["m"] or 0) + 1


def draft_url(draft: Draft) -> str:
    return reverse("approvals:draft", args=[draft.pk])


def notify_users(users: Iterable[Any], *, kind: str, title: str, body: str = "", draft: Draft,
                 actor: Any) -> None:
    """In-app (and e-mail) notifications, written in the caller's transaction.

    The notifications app is imported here, not at module load, so approvals do not depend on it at
    import time.
    """
    try:
        from ratusha.notifications.services import notify
    except ImportError:  # pragma: no cover - the notifications app is part of the installation
        logger.warning("notifications app missing: %s not sent", kind)
        return
    seen: set[Any] = set()
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notify(recipient=user, kind=kind, title=title, body=body, url=draft_url(draft), obj=draft, actor=actor)


def summary_short(draft: Draft) -> str:
    text = " ".join(draft.summary.split())
    return text if len(text) <= 120 else text[:119] + "…"
