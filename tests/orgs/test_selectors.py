import pytest
from django.http import Http404

from ratusha.orgs import selectors, services
from ratusha.orgs.models import Employee
from tests.factories import EmployeeFactory, OrganisationFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_staff_list_only_for_staff_of_the_organisation(org, registrar, executor, outsider, user):
    names = {e.user for e in selectors.staff_list(user=registrar, organisation=org)}
    assert names == {registrar, executor}
    assert not selectors.staff_list(user=outsider, organisation=org).exists()
    assert not selectors.staff_list(user=user, organisation=org).exists()  # works nowhere


def test_dismissed_only_for_admins(org, registrar, executor, org_admin):
    services.employee_dismiss(actor=None, employee=Employee.objects.get(user=executor))
    assert executor not in {e.user for e in selectors.staff_list(user=registrar, organisation=org,
                                                                  include_dismissed=True)}
    assert executor in {e.user for e in selectors.staff_list(user=org_admin, organisation=org,
                                                              include_dismissed=True)}
    assert executor not in {e.user for e in selectors.staff_list(user=org_admin, organisation=org)}


def test_staff_filters(org, registrar, executor):
    top = UnitFactory(organisation=org, code="01")
    sub = services.unit_create(actor=None, organisation=org, name="Сектор", code="01-1", parent=top)
    in_sub = EmployeeFactory(organisation=org, unit=sub, roles=["controller", "executor"])
    EmployeeFactory(organisation=org, unit=UnitFactory(organisation=org, code="05"), roles=["head"])
    assert [e.pk for e in selectors.staff_list(user=registrar, organisation=org, unit=top)] == [in_sub.pk]
    controllers = selectors.staff_list(user=registrar, organisation=org, role="controller")
    assert [e.pk for e in controllers] == [in_sub.pk]
    executors = {e.pk for e in selectors.staff_list(user=registrar, organisation=org, role="executor")}
    assert executors == {in_sub.pk, Employee.objects.get(user=executor).pk}
    assert not selectors.staff_list(user=registrar, organisation=org, role="nonsense").exists()
    found = selectors.staff_list(user=registrar, organisation=org, q=registrar.username)
    assert [e.user for e in found] == [registrar]
    assert not selectors.staff_list(user=registrar, organisation=org, unit=UnitFactory()).exists()


def test_deputy_sees_staff_of_principal_org(org, registrar, outsider):
    from django.utils import timezone

    services.delegation_create(actor=None, principal=Employee.objects.get(user=registrar), deputy=outsider,
                               start=timezone.localdate(), end=timezone.localdate())
    assert selectors.staff_list(user=outsider, organisation=org).exists()
    assert selectors.organisation_get(user=outsider, pk=org.pk) == org


def test_organisation_get_and_tree(org, registrar, user):
    child = OrganisationFactory(parent=org, kind="municipal_enterprise")
    with pytest.raises(Http404):
        selectors.organisation_get(user=registrar, pk=child.pk)
    with pytest.raises(Http404):
        selectors.organisation_get(user=registrar, pk="not-a-uuid")
    tree = selectors.organisation_tree(user=registrar)
    root = next(node for node in tree if node.obj == org)
    assert [n.obj for n in root.children] == [child]
    assert selectors.organisation_tree(user=user) == []  # not staff anywhere


def test_units_tree(org, registrar, outsider):
    top = services.unit_create(actor=None, organisation=org, name="Апарат", code="01")
    services.unit_create(actor=None, organisation=org, name="Сектор", code="01-1", parent=top)
    tree = selectors.units_tree(user=registrar, organisation=org)
    assert [n.obj.code for n in tree] == ["01"]
    assert [n.obj.code for n in tree[0].children] == ["01-1"]
    assert [n.depth for n in selectors.flatten(tree)] == [0, 1]
    assert selectors.units_tree(user=outsider, organisation=org) == []


def test_administered(org, registrar, org_admin):
    assert list(selectors.organisations_administered(user=org_admin)) == [org]
    assert not selectors.organisations_administered(user=registrar).exists()
