"""Reads on organisations and staff, access-checked (docs/architecture.md rule 5).

* The organisation tree (names only) is visible to every active staff user of the installation.
* Units and the staff list of an organisation are visible to its own staff (including acting
  deputies); only its administrators (and superusers) also see dismissed employees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ratusha.orgs import permissions
from ratusha.orgs.constants import Role
from ratusha.orgs.models import Delegation, Employee, Organisation, Unit


@dataclass
class TreeNode:
    obj: Any
    depth: int = 0
    children: list[TreeNode] = field(default_factory=list)


def _is_staff_user(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or bool(permissions.roles_by_organisation(user))


def can_view_organisation(user, organisation: Organisation | str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    org_id = str(getattr(organisation, "pk", organisation))
    return org_id in permissions.roles_by_organisation(user)


def can_manage_organisation(user, organisation: Organisation | str) -> bool:
    """Administrators of the organisation (incl. acting) and superusers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or permissions.is_org_admin(user, organisation)


def organisations_for_user(*, user) -> QuerySet[Organisation]:
    """Organisations where the user works (own appointment or acting); all for a superuser."""
    if not _is_staff_user(user):
        return Organisation.objects.none()
    qs = Organisation.objects.filter(is_active=True)
    if not user.is_superuser:
        qs = qs.filter(pk__in=list(permissions.roles_by_organisation(user)))
    return qs.order_by("kind", "name")


def organisations_administered(*, user) -> QuerySet[Organisation]:
    if not _is_staff_user(user):
        return Organisation.objects.none()
    qs = Organisation.objects.filter(is_active=True)
    if not user.is_superuser:
        qs = qs.filter(pk__in=permissions.organisation_ids(user, roles={Role.ADMIN}))
    return qs.order_by("kind", "name")


def organisation_get(*, user, pk: Any) -> Organisation:
    """An organisation the user works in (Http404 otherwise, also for malformed ids)."""
    try:
        organisation = Organisation.objects.get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    if not can_view_organisation(user, organisation):
        raise Http404
    return organisation


def _build_tree(items: list[Any]) -> list[TreeNode]:
    nodes = {item.pk: TreeNode(item) for item in items}
    roots: list[TreeNode] = []
    for item in items:
        parent = nodes.get(item.parent_id)
        (parent.children if parent else roots).append(nodes[item.pk])

    def set_depth(level: list[TreeNode], depth: int) -> None:
        for node in level:
            node.depth = depth
            set_depth(node.children, depth + 1)

    set_depth(roots, 0)
    return roots


def flatten(tree: list[TreeNode]) -> list[TreeNode]:
    """Depth-first list of nodes (for rendering with indentation)."""
    out: list[TreeNode] = []
    for node in tree:
        out.append(node)
        out.extend(flatten(node.children))
    return out


def organisation_tree(*, user) -> list[TreeNode]:
    """All active organisations of the installation as a tree (council → committee → bodies)."""
    if not _is_staff_user(user):
        return []
    kind_order = {kind: i for i, kind in enumerate(
        ["city_council", "executive_committee", "executive_body", "municipal_enterprise"])}
    items = sorted(Organisation.objects.filter(is_active=True),
                   key=lambda o: (kind_order.get(o.kind, 9), o.name))
    return _build_tree(items)


def units_tree(*, user, organisation: Organisation) -> list[TreeNode]:
    if not can_view_organisation(user, organisation):
        return []
    items = list(Unit.objects.filter(organisation=organisation, is_active=True).order_by("code", "name"))
    return _build_tree(items)


def _unit_subtree_ids(unit: Unit) -> list[Any]:
    ids = [unit.pk]
    frontier = [unit.pk]
    while frontier:
        frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def staff_list(*, user, organisation: Organisation, q: str = "", unit: Unit | None = None,
               role: str = "", include_dismissed: bool = False) -> QuerySet[Employee]:
    """Employees of ``organisation``, filtered. Empty for anyone who does not work there.

    ``include_dismissed`` is honoured only for administrators of the organisation.
    """
    if not can_view_organisation(user, organisation):
        return Employee.objects.none()
    qs = (Employee.objects.filter(organisation=organisation)
          .select_related("user", "unit", "position", "organisation"))
    if not (include_dismissed and can_manage_organisation(user, organisation)):
        qs = qs.filter(is_active=True)
    if unit is not None:
        if unit.organisation_id != organisation.pk:
            return Employee.objects.none()
        qs = qs.filter(unit_id__in=_unit_subtree_ids(unit))
    if role:
        if role not in Role.values:
            return Employee.objects.none()
        # JSON list of codes; the quoted code cannot match another code (none contains quotes).
        qs = qs.filter(roles__icontains=f'"{role}"')
    for word in (q or "").split()[:5]:
        qs = qs.filter(Q(user__last_name__icontains=word) | Q(user__first_name__icontains=word)
                       | Q(user__middle_name__icontains=word) | Q(user__username__icontains=word)
                       | Q(position__title__icontains=word))
    return qs.order_by("user__last_name", "user__first_name", "user__username")


def delegations_list(*, user, organisation: Organisation, current_only: bool = False) -> QuerySet[Delegation]:
    if not can_view_organisation(user, organisation):
        return Delegation.objects.none()
    qs = (Delegation.objects.filter(principal__organisation=organisation)
          .select_related("principal__user", "principal__position", "deputy"))
    if current_only:
        qs = qs.filter(revoked_at__isnull=True, end__gte=timezone.localdate())
    return qs.order_by("-start")


def delegation_get(*, user, pk: Any) -> Delegation:
    """A delegation of an organisation the user works in (Http404 otherwise)."""
    try:
        delegation = Delegation.objects.select_related("principal__organisation", "deputy").get(pk=pk)
    except (Delegation.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    if not can_view_organisation(user, delegation.principal.organisation):
        raise Http404
    return delegation


# --- installation roles -------------------------------------------------------------------------------

def installation_role_grants(*, user, active: bool = True, limit: int | None = None):
    """Grants of installation roles, for installation administrators only (checked here)."""
    from ratusha.orgs.models import InstallationRoleGrant

    if not permissions.is_installation_admin(user):
        raise PermissionDenied
    qs = InstallationRoleGrant.objects.select_related("user", "granted_by", "revoked_by")
    if active:
        return list(qs.filter(revoked_at__isnull=True).order_by("role", "user__last_name", "user__first_name"))
    qs = qs.filter(revoked_at__isnull=False).order_by("-revoked_at")
    return list(qs[:limit] if limit else qs)


def installation_role_grant_get(*, user, pk):
    from ratusha.orgs.models import InstallationRoleGrant

    if not permissions.is_installation_admin(user):
        raise PermissionDenied
    try:
        return InstallationRoleGrant.objects.select_related("user").get(pk=pk)
    except (InstallationRoleGrant.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
