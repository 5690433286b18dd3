"""Who may change the installation's work calendar.

The calendar is one for the whole installation (holidays and martial law are national; overrides are
decisions of the council). It is managed by superusers and by holders of the ``admin`` role in an
organisation of the council itself (the council, its executive committee or an executive body) —
own appointment or while acting for such a holder. Administrators of a municipal enterprise may not
change the council's calendar. Any signed-in user may view it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ratusha.core.errors import PermissionDeniedError
from ratusha.orgs.constants import OrgKind, Role
from ratusha.orgs.models import Organisation
from ratusha.orgs.permissions import organisation_ids

COUNCIL_KINDS = frozenset({OrgKind.CITY_COUNCIL, OrgKind.EXECUTIVE_COMMITTEE, OrgKind.EXECUTIVE_BODY})


def can_manage_calendar(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_can_manage_calendar", None)
    if cached is None:
        orgs = organisation_ids(user, {Role.ADMIN})
        cached = bool(orgs) and Organisation.objects.filter(pk__in=orgs, kind__in=COUNCIL_KINDS,
                                                            is_active=True).exists()
        user._can_manage_calendar = cached
    return cached


def require_calendar_admin(actor: Any) -> None:
    """``actor=None`` is the system itself (CLI, demo loader); views always pass ``request.user``."""
    if actor is None:
        return
    if not can_manage_calendar(actor):
        raise PermissionDeniedError(
            _("Змінювати робочий календар можуть лише адміністратори системи та адміністратори міської ради."))
