"""Who may run the exchange operations (docs/architecture.md rule 5: two scopes of authority).

* The installation-wide parts — the directory of peers of other installations, the whole outbox and
  inbound log, refusals that reached no organisation — are the installation administrator's.
* An organisation's administrator manages that organisation's own participation (its participant card
  and exchange seal) and sees and retries the messages that organisation sent or received.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from ratusha.core.errors import PermissionDeniedError
from ratusha.orgs.constants import Role
from ratusha.orgs.permissions import is_installation_admin, is_org_admin, organisation_ids


def administered_ids(user: Any) -> list[str]:
    """Organisations ``user`` administers (own appointment or acting)."""
    return organisation_ids(user, {Role.ADMIN})


def require_installation_admin(actor: Any) -> None:
    """``actor=None`` is the system (CLI, demo loader)."""
    if actor is None or is_installation_admin(actor):
        return
    raise PermissionDeniedError(_("Цю дію може виконати лише адміністратор установки."))


def require_organisation_admin(actor: Any, organisations: Iterable[Any]) -> None:
    """The installation administrator, or the administrator of one of ``organisations`` (ids or objects)."""
    if actor is None or is_installation_admin(actor):
        return
    if any(org is not None and is_org_admin(actor, org) for org in organisations):
        return
    raise PermissionDeniedError(_("Цю дію може виконати лише адміністратор організації або адміністратор установки."))
