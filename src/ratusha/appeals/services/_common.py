"""Helpers shared by the appeals services: the ONE status check, locking with a version compare, settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ratusha.appeals import permissions as perms
from ratusha.appeals.constants import APPEAL_TRANSITIONS, PRIORITY_CATEGORIES, AppealStatus
from ratusha.appeals.models import Appeal
from ratusha.core.errors import ApplicationError, PermissionDeniedError, TransitionError

# Defaults of ``settings.APPEALS`` (docs/appeals.md lists them with their legal source).
DEFAULTS: dict[str, Any] = {
    "INDEX_STYLE": "letter",
    "PRIORITY_CATEGORIES": [],
    "SIMILARITY": 0.5,
    "MASS_SIMILARITY": 0.8,
    "MASS_MIN_APPLICANTS": 5,
    "MASS_WINDOW_DAYS": 30,
    "DUE_SOON_WORKING_DAYS": 3,
}


class ConflictError(ApplicationError):
    """Someone else changed the appeal since the form was opened (optimistic concurrency)."""

    code = "conflict"


def setting(key: str) -> Any:
    return getattr(settings, "APPEALS", {}).get(key, DEFAULTS[key])


def priority_categories() -> frozenset[str]:
    """Art. 22 ⚠: the categories handled first (setting, else the default list of constants.py)."""
    configured = setting("PRIORITY_CATEGORIES")
    return frozenset(str(c) for c in configured) if configured else PRIORITY_CATEGORIES


def today() -> dt.date:
    return timezone.localdate()


def appeal_transition(appeal: Appeal, to: str) -> str:
    """Check ``APPEAL_TRANSITIONS`` (docs/architecture.md rule 2) and set ``appeal.status = to`` (not saved).

    Returns the previous status.
    """
    current = appeal.status
    if to not in APPEAL_TRANSITIONS.get(current, frozenset()):
        raise TransitionError(
            _("Звернення у стані «%(current)s» не можна перевести у стан «%(to)s».")
            % {"current": AppealStatus(current).label, "to": AppealStatus(to).label}, field="status")
    appeal.status = to
    return current


def lock_appeal(appeal: Appeal | Any, expected_version: Any = None) -> Appeal:
    """Re-read the appeal under a row lock; refuse if it changed since ``expected_version`` was read."""
    pk = getattr(appeal, "pk", appeal)
    locked = Appeal.objects.select_for_update().get(pk=pk)
    if expected_version not in (None, ""):
        try:
            expected = int(expected_version)
        except (TypeError, ValueError):
            expected = -1
        if expected != locked.version:
            raise ConflictError(_("Звернення тим часом змінив інший працівник. Оновіть сторінку й "
                                  "перевірте дані — ваші зміни не збережено."), field="version")
    return locked


def save_appeal(appeal: Appeal, fields: list[str]) -> None:
    appeal.version += 1
    appeal.save(update_fields=sorted({*fields, "version", "updated_at"}))


def require_handler(actor: Any, organisation_id: Any) -> None:
    if not perms.can_handle(actor, organisation_id):
        raise PermissionDeniedError(_("Розглядати звернення можуть працівники з питань звернень, діловоди "
                                      "та керівники органу."))


def require_officer(actor: Any, organisation_id: Any) -> None:
    if not perms.can_register(actor, organisation_id):
        raise PermissionDeniedError(_("Реєструвати звернення можуть працівники з питань звернень та "
                                      "діловоди органу."))


def require_text(value: str | None, *, field: str, message: str, limit: int = 20000) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code="required", field=field)
    return value[:limit]


def require_choice(value: Any, choices: type[models.TextChoices], *, field: str, blank: bool = False) -> str:
    value = (value or "").strip() if isinstance(value, str) else value
    if blank and not value:
        return ""
    if value not in choices.values:
        raise ApplicationError(_("Оберіть значення зі списку."), code="invalid_choice", field=field)
    return str(value)


def fmt_date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


@contextmanager
def official_language() -> Iterator[None]:
    """Records and citizen-facing messages are written in the installation's language (Ukrainian, Law
    2704-VIII), whatever language the officer's interface is in."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def event_add(appeal: Appeal, message: Callable[[], str] | str = "") -> None:
    """The applicant's timeline (intake helper's ``appeal_event_add``): the current status + a message,
    e-mailed after commit when the applicant gave an e-mail. ``message`` may be a callable, so that it
    is built in the official language."""
    from ratusha.appeals.services.timeline import appeal_event_add

    with official_language():
        text = message() if callable(message) else message
        appeal_event_add(appeal=appeal, message=text)
