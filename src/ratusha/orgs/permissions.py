"""Who holds which roles where, including rights held while acting for someone (виконувач обов'язків).

Every access decision of the other apps goes through these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from ratusha.orgs.constants import PERSONAL_DATA_ROLES, REGISTERING_ROLES, InstallationRole, Role
from ratusha.orgs.models import Delegation, Employee, InstallationRoleGrant, Organisation


def _today() -> dt.date:
    return timezone.localdate()


def active_delegations(user, on: dt.date | None = None):
    on = on or _today()
    return Delegation.objects.filter(deputy=user, start__lte=on, end__gte=on, revoked_at__isnull=True,
                                     principal__is_active=True).select_related("principal")


def roles_by_organisation(user, on: dt.date | None = None) -> dict[str, set[str]]:
    """{organisation_id (str): roles} for a user, own appointments plus active delegations.

    Cached on the user object for the request: selectors call it on every list.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cache_key = f"_roles_by_org_{on or ''}"
    cached = getattr(user, cache_key, None)
    if cached is not None:
        return cached
    result: dict[str, set[str]] = {}
    for emp in Employee.objects.filter(user=user, is_active=True).only("organisation_id", "roles"):
        result.setdefault(str(emp.organisation_id), set()).update(emp.roles)
    for delegation in active_delegations(user, on):
        principal = delegation.principal
        result.setdefault(str(principal.organisation_id), set()).update(principal.roles)
    setattr(user, cache_key, result)
    return result


def effective_roles(user, organisation: Organisation | str, on: dt.date | None = None) -> set[str]:
    org_id = str(getattr(organisation, "pk", organisation))
    return roles_by_organisation(user, on).get(org_id, set())


def has_role(user, organisation: Organisation | str, roles: Iterable[str], on: dt.date | None = None) -> bool:
    return bool(effective_roles(user, organisation, on) & set(roles))


def organisation_ids(user, roles: Iterable[str] | None = None) -> list[str]:
    """Organisations where the user works (optionally: holds one of ``roles``)."""
    wanted = set(roles) if roles is not None else None
    return [org for org, held in roles_by_organisation(user).items() if wanted is None or held & wanted]


def can_register(user, organisation: Organisation | str) -> bool:
    return has_role(user, organisation, REGISTERING_ROLES)


def handles_personal_data(user, organisation: Organisation | str) -> bool:
    return has_role(user, organisation, PERSONAL_DATA_ROLES)


def is_org_admin(user, organisation: Organisation | str) -> bool:
    return has_role(user, organisation, {Role.ADMIN})


def employees_acting_for(user, on: dt.date | None = None) -> Q:
    """Q over Employee for the appointments whose rights ``user`` holds today (own + as deputy)."""
    on = on or _today()
    return Q(user=user, is_active=True) | Q(pk__in=active_delegations(user, on).values("principal_id"))


# --- installation roles (docs/architecture.md rule 5: never derived from a role in an organisation) -------------

INSTALLATION_ROLES_CACHE = "_installation_roles"


def installation_roles(user) -> set[str]:
    """The installation roles ``user`` holds now: own active grants; a superuser holds all of them, and
    so does an installation administrator (who could grant any of them to themselves anyway).

    Not passed on by acting (a Delegation carries the rights of an appointment in one organisation).
    Cached on the user object for the request, like ``roles_by_organisation``.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, INSTALLATION_ROLES_CACHE, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        held = set(InstallationRole.values)
    else:
        held = set(InstallationRoleGrant.objects.filter(user=user, revoked_at__isnull=True)
                   .values_list("role", flat=True))
        if InstallationRole.INSTALLATION_ADMIN in held:
            held = set(InstallationRole.values)
    setattr(user, INSTALLATION_ROLES_CACHE, held)
    return held


def has_installation_role(user, role: str) -> bool:
    return role in installation_roles(user)


def is_installation_admin(user) -> bool:
    return has_installation_role(user, InstallationRole.INSTALLATION_ADMIN)


def forget_installation_roles(user) -> None:
    """Drop the per-request cache (after a grant or a revocation of this user's roles)."""
    if user is not None and INSTALLATION_ROLES_CACHE in getattr(user, "__dict__", {}):
        delattr(user, INSTALLATION_ROLES_CACHE)


def installation_role_holders(role: str):
    """Active users who hold ``role`` (explicitly, as installation administrators, or as superusers)."""
    from django.contrib.auth import get_user_model

    wanted = {role, InstallationRole.INSTALLATION_ADMIN}
    granted = InstallationRoleGrant.objects.filter(role__in=wanted, revoked_at__isnull=True).values("user_id")
    return get_user_model().objects.filter(Q(pk__in=granted) | Q(is_superuser=True), is_active=True)
