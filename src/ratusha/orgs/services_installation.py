"""Grants of installation roles (docs/architecture.md rule 5): installation administrator, the council website's
editor, signatures administrator, classifier keeper.

They are given to a person explicitly, never derived from a role in an organisation. Only an installation
administrator (a superuser holds that role too) grants and revokes them; ``actor=None`` is the system
(the CLI, the demo loader). The last person able to administer the installation cannot be removed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.orgs import permissions
from ratusha.orgs.constants import COUNCIL_CORE_KINDS, InstallationRole, Role
from ratusha.orgs.models import InstallationRoleGrant, User

MIGRATION_NOTE = "Надано під час запровадження ролей установки (адміністратор міської ради або виконкому)"


def _require_installation_admin(actor: Any | None) -> None:
    if actor is None or permissions.is_installation_admin(actor):
        return
    raise PermissionDeniedError(_("Ролі установки надає й відкликає лише адміністратор установки."))


def installation_role_grant(*, actor: Any | None, user: User, role: str, note: str = "") -> InstallationRoleGrant:
    """Give ``user`` the installation role ``role`` (one active grant per person and role)."""
    _require_installation_admin(actor)
    if role not in InstallationRole.values:
        raise ApplicationError(_("Невідома роль установки."), code="unknown_role", field="role")
    if user is None or not user.is_active:
        raise ApplicationError(_("Оберіть чинного користувача."), code="inactive_user", field="user")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one grant at a time per person
        if InstallationRoleGrant.objects.filter(user=user, role=role, revoked_at__isnull=True).exists():
            raise ApplicationError(
                _("%(user)s уже має роль «%(role)s».") % {"user": user.full_name,
                                                          "role": InstallationRole(role).label},
                code="already_granted", field="role")
        grant = InstallationRoleGrant.objects.create(user=user, role=role, granted_by=actor,
                                                     note=" ".join((note or "").split())[:300])
        audit_log(actor=actor, action="installation_role.grant", obj=grant,
                  params={"user": str(user.pk), "username": user.username, "role": role, "note": grant.note})
    permissions.forget_installation_roles(user)
    return grant


def _administrators_left(excluding: InstallationRoleGrant) -> bool:
    """Whether someone else active can still administer the installation."""
    granted = (InstallationRoleGrant.objects.filter(role=InstallationRole.INSTALLATION_ADMIN, revoked_at__isnull=True,
                                                    user__is_active=True).exclude(pk=excluding.pk))
    return granted.exists() or User.objects.filter(is_superuser=True, is_active=True).exists()


def installation_role_revoke(*, actor: Any | None, grant: InstallationRoleGrant, note: str = "") -> InstallationRoleGrant:
    _require_installation_admin(actor)
    with transaction.atomic():
        # Lock every active administrator's grant: two revocations at once cannot remove the last two.
        list(InstallationRoleGrant.objects.select_for_update()
             .filter(Q(pk=grant.pk) | Q(role=InstallationRole.INSTALLATION_ADMIN, revoked_at__isnull=True)))
        locked = InstallationRoleGrant.objects.select_related("user").get(pk=grant.pk)
        if locked.revoked_at is not None:
            raise ApplicationError(_("Цю роль уже відкликано."), code="already_revoked")
        if locked.role == InstallationRole.INSTALLATION_ADMIN and not _administrators_left(locked):
            raise ApplicationError(_("Це останній адміністратор установки: спершу надайте цю роль іншій людині."),
                                   code="last_installation_admin")
        locked.revoked_at, locked.revoked_by = timezone.now(), actor
        locked.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        audit_log(actor=actor, action="installation_role.revoke", obj=locked, params={
            "user": str(locked.user_id), "username": locked.user.username, "role": locked.role,
            "note": " ".join((note or "").split())[:300]})
    permissions.forget_installation_roles(grant.user)
    return locked


# --- the data migration that introduced installation roles -------------------------------------------

COUNCIL_ADMIN_ROLES = (InstallationRole.INSTALLATION_ADMIN, InstallationRole.SIGNATURES_ADMIN,
                       InstallationRole.CLASSIFIER_KEEPER)


def installation_roles_from_council(apps: Any) -> int:
    """What existing installations' people keep (orgs migration 0002; ``apps`` as in a data migration):
    active administrators of the city council or its executive committee get the installation
    administrator, signatures administrator and classifier keeper roles; their active administrators and
    web editors get the council website editor role. Nobody of a municipal enterprise or an executive body
    gets anything. Returns the number of grants made (a second run makes none)."""
    Employee = apps.get_model("orgs", "Employee")
    Grant = apps.get_model("orgs", "InstallationRoleGrant")
    wanted: set[tuple[Any, str]] = set()
    employees = Employee.objects.filter(is_active=True, user__is_active=True,
                                        organisation__kind__in=[str(k) for k in COUNCIL_CORE_KINDS])
    for user_id, roles in employees.values_list("user_id", "roles"):
        roles = set(roles or [])
        if Role.ADMIN in roles:
            wanted.update((user_id, str(r)) for r in COUNCIL_ADMIN_ROLES)
        if roles & {Role.ADMIN, Role.WEB_EDITOR}:
            wanted.add((user_id, str(InstallationRole.WEBSITE_EDITOR)))
    existing = set(Grant.objects.filter(revoked_at__isnull=True).values_list("user_id", "role"))
    made = 0
    for user_id, role in sorted(wanted - existing, key=lambda pair: (str(pair[0]), pair[1])):
        Grant.objects.create(user_id=user_id, role=role, note=MIGRATION_NOTE)
        made += 1
    return made
