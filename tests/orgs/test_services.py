import datetime as dt

import pytest
from django.utils import timezone

from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from ratusha.orgs import permissions, services
from ratusha.orgs.models import Delegation, Employee, User
from tests.factories import EmployeeFactory, OrganisationFactory, PositionFactory, UnitFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


def last_event(action):
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()


# --- organisations, units, positions ------------------------------------------------------------

def test_organisation_create_by_system_is_audited():
    org = services.organisation_create(actor=None, kind="city_council", name="Тестова міська рада",
                                       short_name="ТМР", code="test-rada", edrpou="12345678")
    assert org.code == "test-rada"
    event = last_event("organisation.create")
    assert event.object_id == str(org.pk) and event.actor_repr == "system"


@pytest.mark.parametrize(("field", "kwargs"), [
    ("code", {"code": "Погано"}),
    ("kind", {"kind": "planet"}),
    ("edrpou", {"edrpou": "12"}),
    ("name", {"name": "  "}),
])
def test_organisation_create_rejects_bad_input(field, kwargs):
    values = {"kind": "city_council", "name": "Рада", "short_name": "Р", "code": "rada"} | kwargs
    with pytest.raises(ApplicationError) as err:
        services.organisation_create(actor=None, **values)
    assert err.value.field == field


def test_organisation_code_is_unique(org):
    with pytest.raises(ApplicationError) as err:
        services.organisation_create(actor=None, kind="city_council", name="Інша", short_name="І", code=org.code)
    assert err.value.code == "duplicate_code"


def test_organisation_create_needs_superuser_or_parent_admin(org, executor, org_admin):
    with pytest.raises(PermissionDeniedError):
        services.organisation_create(actor=executor, kind="municipal_enterprise", name="КП", short_name="КП",
                                     code="kp", parent=org)
    child = services.organisation_create(actor=org_admin, kind="municipal_enterprise", name="КП «Тест»",
                                         short_name="КП", code="kp", parent=org)
    assert child.parent == org


def test_unit_tree_parent_must_be_in_same_organisation(org):
    other_unit = UnitFactory()
    top = services.unit_create(actor=None, organisation=org, name="Апарат", code="01")
    child = services.unit_create(actor=None, organisation=org, name="Сектор", code="01-1", parent=top)
    assert child.parent == top
    with pytest.raises(ApplicationError) as err:
        services.unit_create(actor=None, organisation=org, name="Чужий", code="09", parent=other_unit)
    assert err.value.field == "parent"
    with pytest.raises(ApplicationError) as err:
        services.unit_create(actor=None, organisation=org, name="Дубль", code="01")
    assert err.value.code == "duplicate_code"
    assert last_event("unit.create").object_id == str(child.pk)


def test_unit_create_refused_for_non_admin(org, registrar):
    with pytest.raises(PermissionDeniedError):
        services.unit_create(actor=registrar, organisation=org, name="Відділ", code="05")


def test_position_unit_must_belong_to_organisation(org):
    with pytest.raises(ApplicationError):
        services.position_create(actor=None, organisation=org, title="Начальник", unit=UnitFactory())
    position = services.position_create(actor=None, organisation=org, title="Начальник", is_head=True)
    assert position.is_head and last_event("position.create").object_id == str(position.pk)


# --- employees --------------------------------------------------------------------------------

def test_employee_hire_creates_user_and_validates_roles(org, org_admin, unit):
    employee = services.employee_hire(actor=org_admin, organisation=org, username="O.Koval",
                                      last_name="Коваль", first_name="Олена", middle_name="Петрівна",
                                      email="o@example.org", roles=["executor", "registrar", "executor"],
                                      unit=unit)
    assert employee.user.username == "o.koval"
    assert employee.roles == ["registrar", "executor"]  # unique, in the order of Role
    assert not employee.user.has_usable_password()
    assert last_event("employee.hire").params["created_user"] is True
    with pytest.raises(ApplicationError) as err:
        services.employee_hire(actor=org_admin, organisation=org, username="x.y", last_name="Х",
                               first_name="Y", roles=["superhero"])
    assert err.value.code == "unknown_role"
    assert not User.objects.filter(username="x.y").exists()


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"username": "з пробілом"}, "username"),
    ({"last_name": ""}, "last_name"),
    ({"email": "not-an-email"}, "email"),
    ({"phone": "дзвоніть"}, "phone"),
])
def test_employee_hire_rejects_bad_input(org, kwargs, field):
    values = {"username": "new.user", "last_name": "Новак", "first_name": "Іван", "roles": ["executor"]}
    with pytest.raises(ApplicationError) as err:
        services.employee_hire(actor=None, organisation=org, **(values | kwargs))
    assert err.value.field == field


def test_employee_hire_existing_user_into_second_org_and_duplicate_refused(org, registrar):
    other = OrganisationFactory()
    second = services.employee_hire(actor=None, organisation=other, user=registrar, roles=["head"])
    assert set(permissions.organisation_ids(registrar)) == {str(org.pk), str(other.pk)}
    assert second.user == registrar
    with pytest.raises(ApplicationError) as err:
        services.employee_hire(actor=None, organisation=org, user=registrar, roles=["head"])
    assert err.value.code == "already_employed"
    with pytest.raises(ApplicationError) as err:
        services.employee_hire(actor=None, organisation=org, username=registrar.username.upper(),
                               last_name="А", first_name="Б", roles=["head"])
    assert err.value.code == "username_taken"


def test_employee_hire_unit_of_other_org_refused(org):
    with pytest.raises(ApplicationError) as err:
        services.employee_hire(actor=None, organisation=org, username="a.b", last_name="А", first_name="Б",
                               roles=["executor"], unit=UnitFactory())
    assert err.value.field == "unit"
    with pytest.raises(ApplicationError) as err:
        services.employee_hire(actor=None, organisation=org, username="a.b", last_name="А", first_name="Б",
                               roles=["executor"], position=PositionFactory())
    assert err.value.field == "position"


def test_set_roles_changes_rights_and_is_audited(org, executor, org_admin):
    employee = Employee.objects.get(user=executor, organisation=org)
    assert not permissions.can_register(executor, org)
    services.employee_set_roles(actor=org_admin, employee=employee, roles=["registrar", "executor"])
    fresh = User.objects.get(pk=executor.pk)  # role cache lives on the user object
    assert permissions.can_register(fresh, org)
    event = last_event("employee.set_roles")
    assert event.params == {"before": ["executor"], "after": ["registrar", "executor"]}


def test_set_roles_refused_for_admin_of_other_org(org, executor):
    foreign_admin = EmployeeFactory(roles=["admin"]).user
    employee = Employee.objects.get(user=executor, organisation=org)
    with pytest.raises(PermissionDeniedError):
        services.employee_set_roles(actor=foreign_admin, employee=employee, roles=["admin"])


def test_employee_update_changes_user_and_appointment(org, executor, org_admin, unit):
    employee = Employee.objects.get(user=executor, organisation=org)
    services.employee_update(actor=org_admin, employee=employee, last_name="Нове", unit=unit, roles=["head"])
    employee.refresh_from_db()
    employee.user.refresh_from_db()
    assert (employee.user.last_name, employee.unit, employee.roles) == ("Нове", unit, ["head"])
    assert set(last_event("employee.update").params["changes"]) == {"last_name", "unit", "roles"}


def test_dismiss_removes_rights_and_ends_delegations(org, registrar, org_admin, executor):
    employee = Employee.objects.get(user=registrar, organisation=org)
    delegation = services.delegation_create(actor=org_admin, principal=employee, deputy=executor,
                                            start=timezone.localdate(), end=timezone.localdate())
    services.employee_dismiss(actor=org_admin, employee=employee, reason="За власним бажанням")
    assert not permissions.can_register(User.objects.get(pk=registrar.pk), org)
    assert not permissions.can_register(User.objects.get(pk=executor.pk), org)
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    assert last_event("employee.dismiss").params["revoked_delegations"] == [str(delegation.pk)]
    with pytest.raises(ApplicationError):
        services.employee_dismiss(actor=org_admin, employee=employee)
    rehired = services.employee_hire(actor=org_admin, organisation=org, user=registrar, roles=["executor"])
    assert rehired.pk == employee.pk and rehired.is_active
    assert last_event("employee.rehire").object_id == str(employee.pk)


def test_admin_cannot_dismiss_self(org, org_admin):
    with pytest.raises(ApplicationError) as err:
        services.employee_dismiss(actor=org_admin, employee=Employee.objects.get(user=org_admin))
    assert err.value.code == "self_dismiss"


# --- delegations (виконання обов'язків) ----------------------------------------------------------

@pytest.fixture
def head(org):
    return EmployeeFactory(organisation=org, roles=["head", "registrar"])


@pytest.fixture
def deputy(org):
    return EmployeeFactory(organisation=org, roles=["executor"]).user


def test_deputy_holds_principal_rights_only_for_the_dates(org, head, deputy, org_admin):
    services.delegation_create(actor=org_admin, principal=head, deputy=deputy, start=dt.date(2026, 3, 1),
                               end=dt.date(2026, 3, 14), reason="Відпустка")
    on = TODAY
    assert permissions.effective_roles(deputy, org, on) == {"executor", "head", "registrar"}
    assert permissions.has_role(deputy, org, {"head"}, on)
    assert permissions.effective_roles(User.objects.get(pk=deputy.pk), org, dt.date(2026, 3, 15)) == {"executor"}
    assert permissions.effective_roles(User.objects.get(pk=deputy.pk), org, dt.date(2026, 2, 28)) == {"executor"}
    event = last_event("delegation.create")
    assert event.params["roles"] == ["head", "registrar"] and event.params["start"] == "2026-03-01"


def test_deputy_from_outside_gets_rights_only_in_principal_org(org, head, outsider):
    outsider_org = outsider.employments.get().organisation
    services.delegation_create(actor=None, principal=head, deputy=outsider, start=timezone.localdate(),
                               end=timezone.localdate() + dt.timedelta(days=3))
    fresh = User.objects.get(pk=outsider.pk)
    assert permissions.can_register(fresh, org)  # today, through the delegation
    assert set(permissions.organisation_ids(fresh)) == {str(org.pk), str(outsider_org.pk)}
    assert permissions.effective_roles(fresh, outsider_org) == {"registrar", "head"}  # own rights unchanged
    assert permissions.employees_acting_for(fresh) is not None
    assert Employee.objects.filter(permissions.employees_acting_for(fresh), organisation=org).get() == head


def test_revoked_delegation_gives_no_rights(org, head, deputy, org_admin):
    delegation = services.delegation_create(actor=org_admin, principal=head, deputy=deputy,
                                            start=timezone.localdate(), end=timezone.localdate())
    assert permissions.has_role(deputy, org, {"head"})
    services.delegation_revoke(actor=org_admin, delegation=delegation, reason="Повернувся з відпустки")
    assert not permissions.has_role(User.objects.get(pk=deputy.pk), org, {"head"})
    assert last_event("delegation.revoke").object_id == str(delegation.pk)
    with pytest.raises(ApplicationError):
        services.delegation_revoke(actor=org_admin, delegation=delegation)


@pytest.mark.parametrize(("start", "end"), [
    (dt.date(2026, 3, 10), dt.date(2026, 3, 20)),  # overlaps the end
    (dt.date(2026, 2, 20), dt.date(2026, 3, 1)),   # touches the first day
    (dt.date(2026, 3, 5), dt.date(2026, 3, 6)),    # inside
    (dt.date(2026, 2, 1), dt.date(2026, 4, 1)),    # covers
])
def test_overlapping_delegation_for_same_principal_refused(org, head, deputy, org_admin, start, end):
    services.delegation_create(actor=org_admin, principal=head, deputy=deputy, start=dt.date(2026, 3, 1),
                               end=dt.date(2026, 3, 14))
    other_deputy = EmployeeFactory(organisation=org).user
    with pytest.raises(ApplicationError) as err:
        services.delegation_create(actor=org_admin, principal=head, deputy=other_deputy, start=start, end=end)
    assert err.value.code == "delegation_overlap"
    assert Delegation.objects.filter(principal=head).count() == 1


def test_adjacent_or_after_revocation_is_allowed(org, head, deputy, org_admin):
    first = services.delegation_create(actor=org_admin, principal=head, deputy=deputy,
                                       start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 14))
    services.delegation_create(actor=org_admin, principal=head, deputy=deputy, start=dt.date(2026, 3, 15),
                               end=dt.date(2026, 3, 20))
    services.delegation_revoke(actor=org_admin, delegation=first)
    services.delegation_create(actor=org_admin, principal=head, deputy=deputy, start=dt.date(2026, 3, 2),
                               end=dt.date(2026, 3, 3))
    assert Delegation.objects.filter(principal=head, revoked_at__isnull=True).count() == 2


def test_delegation_to_self_and_bad_range_refused(org, head, org_admin):
    with pytest.raises(ApplicationError) as err:
        services.delegation_create(actor=org_admin, principal=head, deputy=head.user,
                                   start=TODAY, end=TODAY)
    assert err.value.code == "self_delegation"
    other = EmployeeFactory(organisation=org).user
    with pytest.raises(ApplicationError) as err:
        services.delegation_create(actor=org_admin, principal=head, deputy=other,
                                   start=TODAY, end=TODAY - dt.timedelta(days=1))
    assert err.value.field == "end"


def test_delegation_permissions(org, head, deputy, outsider, registrar):
    # An ordinary employee cannot appoint someone to act for another person.
    with pytest.raises(PermissionDeniedError):
        services.delegation_create(actor=registrar, principal=head, deputy=deputy, start=TODAY, end=TODAY)
    # The principal may appoint a colleague, but not a person from another organisation.
    services.delegation_create(actor=head.user, principal=head, deputy=deputy, start=TODAY, end=TODAY)
    with pytest.raises(PermissionDeniedError):
        services.delegation_create(actor=head.user, principal=head, deputy=outsider,
                                   start=TODAY + dt.timedelta(days=1), end=TODAY + dt.timedelta(days=2))


def test_dismissed_principal_gives_no_rights(org, head, deputy):
    services.delegation_create(actor=None, principal=head, deputy=deputy, start=timezone.localdate(),
                               end=timezone.localdate())
    Employee.objects.filter(pk=head.pk).update(is_active=False)
    assert permissions.effective_roles(User.objects.get(pk=deputy.pk), org) == {"executor"}
    with pytest.raises(ApplicationError) as err:
        services.delegation_create(actor=None, principal=Employee.objects.get(pk=head.pk), deputy=deputy,
                                   start=TODAY + dt.timedelta(days=30), end=TODAY + dt.timedelta(days=31))
    assert err.value.code == "inactive_principal"
