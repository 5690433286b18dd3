"""Who may change the installation's work calendar.

The calendar is one for the whole installation (holidays and martial law are national; overrides are
decisions of the council), so changing it is an installation-wide action: the installation administrator
(an installation role, docs/architecture.md rule 5; superusers hold it too). An administrator of one organisation —
the council's executive body or a municipal enterprise — may not change it. Any signed-in user may view it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ratusha.core.errors import PermissionDeniedError
from ratusha.orgs.permissions import is_installation_admin


def can_manage_calendar(user: Any) -> bool:
    return is_installation_admin(user)


def require_calendar_admin(actor: Any) -> None:
    """``actor=None`` is the system itself (CLI, demo loader); views always pass ``request.user``."""
    if actor is None:
        return
    if not can_manage_calendar(actor):
        raise PermissionDeniedError(_("Змінювати робочий календар може лише адміністратор установки."))
