"""Helpers shared by the registry services: permission checks, change tracking, re-indexing."""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.orgs.constants import Role
from ratusha.orgs.models import Employee
from ratusha.orgs.permissions import can_register, has_role

logger = logging.getLogger(__name__)

ADMINISTERING_ROLES = frozenset({Role.REGISTRAR, Role.ADMIN})


def require_registrar(actor: Any, organisation_id: Any) -> None:
    if not getattr(actor, "is_authenticated", False) or not can_register(actor, organisation_id):
        raise PermissionDeniedError(
            _("Цю дію можуть виконувати лише діловоди та адміністратори організації."))


def require_administrator(actor: Any, organisation_id: Any) -> None:
    """Journals and the nomenclature: registrars/admins of the organisation, superusers, or the system.

    ``actor=None`` is the system itself (CLI, demo loader); views always pass ``request.user``.
    """
    if actor is None:
        return
    if getattr(actor, "is_authenticated", False) and actor.is_active and (
            actor.is_superuser or has_role(actor, organisation_id, ADMINISTERING_ROLES)):
        return
    raise PermissionDeniedError(
        _("Налаштовувати журнали та номенклатуру справ можуть лише діловоди та адміністратори організації."))


def require_text(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code="required", field=field)
    return value


def require_choice(value: str, choices: type[models.TextChoices], *, field: str, blank: bool = False) -> str:
    value = (value or "").strip() if isinstance(value, str) else value
    if blank and not value:
        return ""
    if value not in choices.values:
        raise ApplicationError(_("Оберіть значення зі списку."), code="invalid_choice", field=field)
    return str(value)


def require_same_org(obj: Any, organisation_id: Any, *, field: str, message: str) -> None:
    if obj is not None and str(obj.organisation_id) != str(organisation_id):
        raise ApplicationError(message, code="wrong_organisation", field=field)


def require_staff_of(user: Any, organisation_id: Any, *, field: str) -> None:
    if user is None:
        return
    if not (user.is_active and Employee.objects.filter(user=user, organisation_id=organisation_id,
                                                       is_active=True).exists()):
        raise ApplicationError(_("Виконавцем може бути лише працівник цієї організації."),
                               code="not_staff", field=field)


def normalise_spaces(value: str) -> str:
    return " ".join((value or "").split())


def audit_value(value: Any) -> Any:
    """A JSON-friendly form of a field value for audit params."""
    if isinstance(value, models.Model):
        return {"id": str(value.pk), "repr": str(value)[:120]}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


_INDEXING_SUSPENDED: contextvars.ContextVar[bool] = contextvars.ContextVar("search_indexing_suspended",
                                                                        default=False)


@contextmanager
def search_indexing_suspended() -> Iterator[None]:
    """For bulk loads (demo, imports) that rebuild the search index once at the end."""
    token = _INDEXING_SUSPENDED.set(True)
    try:
        yield
    finally:
        _INDEXING_SUSPENDED.reset(token)


def queue_index(document_id: Any) -> None:
    """After commit, queue re-indexing of the card by the search app."""
    if _INDEXING_SUSPENDED.get():
        return
    from ratusha.search.tasks import index_document_task

    doc_id = str(document_id)
    transaction.on_commit(lambda: index_document_task.enqueue(doc_id), robust=True)
