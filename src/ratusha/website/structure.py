"""The council's structure for the site (docs/legal.md §5, art. 15: structure, contacts of heads, reception
schedule), read live from ``orgs`` and the reception schedules: never a copy, always current.
Only public facts: organisations, units, heads (name and position) and their work contacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ratusha.orgs.constants import OrgKind
from ratusha.orgs.models import Employee, Organisation, Unit

KIND_ORDER = {OrgKind.CITY_COUNCIL: 0, OrgKind.EXECUTIVE_COMMITTEE: 1, OrgKind.EXECUTIVE_BODY: 2,
              OrgKind.MUNICIPAL_ENTERPRISE: 3}


@dataclass
class Head:
    name: str
    position: str
    phone: str = ""
    email: str = ""


@dataclass
class UnitNode:
    unit: Unit
    depth: int
    heads: list[Head] = field(default_factory=list)


@dataclass
class OrgNode:
    organisation: Organisation
    depth: int
    heads: list[Head] = field(default_factory=list)
    units: list[UnitNode] = field(default_factory=list)
    reception: list[dict[str, Any]] = field(default_factory=list)


def council() -> Organisation | None:
    """The installation's city council: the organisation the site speaks for."""
    return (Organisation.objects.filter(kind=OrgKind.CITY_COUNCIL, is_active=True, parent__isnull=True)
            .order_by("created_at").first())


def _head(employee: Employee) -> Head:
    user = employee.user
    return Head(name=user.full_name, position=employee.position.title if employee.position else "",
                phone=user.phone, email=user.email)


def council_structure(root: Organisation | None = None) -> list[OrgNode]:
    """The council and its subordinate organisations in tree order, each with its units (tree order),
    heads and published reception schedules."""
    root = root or council()
    if root is None:
        return []
    orgs = list(Organisation.objects.filter(is_active=True))
    children: dict[Any, list[Organisation]] = {}
    for org in orgs:
        children.setdefault(org.parent_id, []).append(org)
    ordered: list[tuple[Organisation, int]] = []

    def walk(org: Organisation, depth: int) -> None:
        ordered.append((org, depth))
        for child in sorted(children.get(org.pk, []), key=lambda o: (KIND_ORDER.get(o.kind, 9), o.name)):
            walk(child, depth + 1)

    walk(root, 0)
    org_ids = [o.pk for o, _d in ordered]
    heads = (Employee.objects.filter(organisation_id__in=org_ids, is_active=True, user__is_active=True,
                                     position__is_head=True)
             .select_related("user", "position").order_by("user__last_name"))
    org_heads: dict[Any, list[Head]] = {}
    unit_heads: dict[Any, list[Head]] = {}
    for employee in heads:
        unit_id = employee.unit_id or employee.position.unit_id
        target = unit_heads.setdefault(unit_id, []) if unit_id else org_heads.setdefault(employee.organisation_id, [])
        target.append(_head(employee))
    units_by_org: dict[Any, dict[Any, list[Unit]]] = {}
    for unit in Unit.objects.filter(organisation_id__in=org_ids, is_active=True).order_by("code", "name"):
        units_by_org.setdefault(unit.organisation_id, {}).setdefault(unit.parent_id, []).append(unit)
    reception = _reception_by_org(org_ids)
    nodes = []
    for org, depth in ordered:
        node = OrgNode(organisation=org, depth=depth, heads=org_heads.get(org.pk, []),
                       reception=reception.get(org.pk, []))
        tree = units_by_org.get(org.pk, {})

        def add_units(parent_id: Any, level: int, node: OrgNode = node, tree: dict = tree) -> None:
            for unit in tree.get(parent_id, []):
                node.units.append(UnitNode(unit=unit, depth=level, heads=unit_heads.get(unit.pk, [])))
                add_units(unit.pk, level + 1)

        add_units(None, 0)
        nodes.append(node)
    return nodes


def _reception_by_org(org_ids: list[Any]) -> dict[Any, list[dict[str, Any]]]:
    try:
        from ratusha.appeals.reception.selectors import published_schedules
        from ratusha.appeals.reception.views import schedule_card
    except ImportError:  # the reception app is optional for the site
        return {}
    result: dict[Any, list[dict[str, Any]]] = {}
    for schedule in published_schedules().filter(organisation_id__in=org_ids):
        result.setdefault(schedule.organisation_id, []).append(schedule_card(schedule, with_slots=False))
    return result


def structure_text(nodes: list[OrgNode]) -> str:
    """Plain text of the structure (for site search)."""
    parts: list[str] = []
    for node in nodes:
        parts.append(node.organisation.name)
        parts.extend(f"{h.position} {h.name}" for h in node.heads)
        for unit_node in node.units:
            parts.append(unit_node.unit.name)
            parts.extend(f"{h.position} {h.name}" for h in unit_node.heads)
    return " ".join(parts)
