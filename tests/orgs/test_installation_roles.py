"""Installation roles (docs/architecture.md rule 5): granted explicitly, audited, never derived from a role in an
organisation; the data migration that introduced them; the office page «Ролі установки»."""

from __future__ import annotations

import pytest
from django.apps import apps

from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from ratusha.orgs.bootstrap import administrator_create
from ratusha.orgs.constants import InstallationRole
from ratusha.orgs.models import InstallationRoleGrant
from ratusha.orgs.permissions import has_installation_role, installation_roles
from ratusha.orgs.services import installation_role_grant, installation_role_revoke
from ratusha.orgs.services_installation import installation_roles_from_council
from tests.factories import EmployeeFactory, OrganisationFactory, UserFactory, grant_installation_role
from tests.orgs.conftest import login_verified

PAGE = "/office/staff/installation-roles/"
ALL = set(InstallationRole.values)


@pytest.fixture
def enterprise(db):
    return OrganisationFactory(kind="municipal_enterprise", name="КП «Соснівкаводоканал»")


@pytest.fixture
def enterprise_admin(enterprise):
    return EmployeeFactory(organisation=enterprise, roles=["admin", "web_editor"]).user


@pytest.fixture
def inst_admin(db):
    council = OrganisationFactory(kind="city_council")
    return grant_installation_role(EmployeeFactory(organisation=council, roles=["executor"]).user,
                                   "installation_admin")


# --- who holds what ------------------------------------------------------------------------------------

def test_organisation_roles_hold_no_installation_role(enterprise_admin, db):
    council_admin = EmployeeFactory(organisation=OrganisationFactory(kind="city_council"), roles=["admin"]).user
    for user in (enterprise_admin, council_admin, UserFactory()):
        assert installation_roles(user) == set()
        assert not any(has_installation_role(user, role) for role in ALL)


def test_superuser_and_installation_admin_hold_every_role(inst_admin, db):
    assert installation_roles(UserFactory(is_superuser=True)) == ALL
    assert installation_roles(inst_admin) == ALL
    keeper = grant_installation_role(UserFactory(), "classifier_keeper")
    assert installation_roles(keeper) == {"classifier_keeper"}
    inactive = grant_installation_role(UserFactory(), "signatures_admin")
    inactive.is_active = False
    inactive.save()
    assert installation_roles(inactive) == set()


# --- the services -------------------------------------------------------------------------------------

def test_grant_and_revoke_are_audited(inst_admin, enterprise_admin):
    grant = installation_role_grant(actor=inst_admin, user=enterprise_admin, role="signatures_admin",
                                    note="  Розпорядження   № 5 ")
    assert grant.granted_by == inst_admin and grant.note == "Розпорядження № 5" and grant.is_active
    assert has_installation_role(enterprise_admin, "signatures_admin")  # the cache of this object was dropped
    event = AuditEvent.objects.get(action="installation_role.grant", object_id=str(grant.pk))
    assert event.actor == inst_admin and event.params["role"] == "signatures_admin"

    with pytest.raises(ApplicationError) as exc:
        installation_role_grant(actor=inst_admin, user=enterprise_admin, role="signatures_admin")
    assert exc.value.code == "already_granted" and exc.value.field == "role"
    with pytest.raises(ApplicationError) as exc:
        installation_role_grant(actor=inst_admin, user=enterprise_admin, role="mayor")
    assert exc.value.code == "unknown_role"

    revoked = installation_role_revoke(actor=inst_admin, grant=grant)
    assert revoked.revoked_by == inst_admin and revoked.revoked_at is not None
    assert not has_installation_role(enterprise_admin, "signatures_admin")
    assert AuditEvent.objects.filter(action="installation_role.revoke", object_id=str(grant.pk)).exists()
    with pytest.raises(ApplicationError) as exc:
        installation_role_revoke(actor=inst_admin, grant=grant)
    assert exc.value.code == "already_revoked"
    # Granted again after a revocation: a new row, the old one stays as history.
    installation_role_grant(actor=inst_admin, user=enterprise_admin, role="signatures_admin")
    assert InstallationRoleGrant.objects.filter(user=enterprise_admin).count() == 2


def test_only_an_installation_admin_grants_and_revokes(inst_admin, enterprise_admin, db):
    council_admin = EmployeeFactory(organisation=OrganisationFactory(kind="city_council"), roles=["admin"]).user
    keeper = grant_installation_role(UserFactory(), "signatures_admin")
    for actor in (enterprise_admin, council_admin, keeper):
        with pytest.raises(PermissionDeniedError):
            installation_role_grant(actor=actor, user=actor, role="installation_admin")
    grant = InstallationRoleGrant.objects.get(user=keeper)
    with pytest.raises(PermissionDeniedError):
        installation_role_revoke(actor=enterprise_admin, grant=grant)
    assert not InstallationRoleGrant.objects.filter(user__in=[enterprise_admin, council_admin]).exists()
    installation_role_grant(actor=UserFactory(is_superuser=True), user=enterprise_admin, role="website_editor")
    installation_role_revoke(actor=inst_admin, grant=grant)


def test_the_last_installation_admin_stays(inst_admin, db):
    own = InstallationRoleGrant.objects.get(user=inst_admin)
    with pytest.raises(ApplicationError) as exc:
        installation_role_revoke(actor=inst_admin, grant=own)
    assert exc.value.code == "last_installation_admin"
    assert InstallationRoleGrant.objects.get(pk=own.pk).revoked_at is None
    second = grant_installation_role(UserFactory(), "installation_admin")
    installation_role_revoke(actor=second, grant=own)
    inst_admin.refresh_from_db()
    del inst_admin._installation_roles  # the per-request cache of this object (another request in real life)
    assert not has_installation_role(inst_admin, "installation_admin")


def test_createadmin_makes_an_installation_admin(db):
    user = administrator_create(username="root", email="root@example.org", password="Довгий-пароль-2026!")
    assert InstallationRoleGrant.objects.get(user=user).role == "installation_admin"
    assert has_installation_role(user, "installation_admin")


# --- the data migration ---------------------------------------------------------------------------------

def test_migration_grants_the_councils_people_only(enterprise, enterprise_admin, db):
    council = OrganisationFactory(kind="city_council")
    committee = OrganisationFactory(kind="executive_committee")
    body = OrganisationFactory(kind="executive_body")
    council_admin = EmployeeFactory(organisation=council, roles=["admin"]).user
    committee_admin = EmployeeFactory(organisation=committee, roles=["admin", "registrar"]).user
    editor = EmployeeFactory(organisation=committee, roles=["web_editor"]).user
    body_admin = EmployeeFactory(organisation=body, roles=["admin", "web_editor"]).user
    dismissed = EmployeeFactory(organisation=council, roles=["admin"], is_active=False).user
    both = EmployeeFactory(organisation=enterprise, roles=["admin"]).user
    EmployeeFactory(organisation=committee, user=both, roles=["web_editor"])

    assert installation_roles_from_council(apps) == 3 + 1 + 3 + 1 + 1 + 1

    def held(user):
        return set(InstallationRoleGrant.objects.filter(user=user, revoked_at__isnull=True)
                   .values_list("role", flat=True))

    admin_roles = {"installation_admin", "signatures_admin", "classifier_keeper", "website_editor"}
    assert held(council_admin) == admin_roles and held(committee_admin) == admin_roles
    assert held(editor) == {"website_editor"}
    assert held(both) == {"website_editor"}  # the committee's web editor; the enterprise's admin gives nothing
    assert held(enterprise_admin) == held(body_admin) == held(dismissed) == set()
    assert installation_roles_from_council(apps) == 0  # a second run changes nothing


# --- the office page ------------------------------------------------------------------------------------

def test_page_lists_grants_and_the_menu_offers_it(client, inst_admin):
    keeper = grant_installation_role(UserFactory(last_name="Хранителенко"), "classifier_keeper")
    login_verified(client, inst_admin)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ролі установки" in html and keeper.full_name in html and "Хранитель класифікатора звернень" in html
    assert f'href="{PAGE}"' in client.get("/office/staff/").content.decode()


def test_grant_and_revoke_on_the_page(client, inst_admin, enterprise_admin):
    login_verified(client, inst_admin)
    response = client.post(PAGE, {"user": enterprise_admin.pk, "role": "website_editor", "note": "Наказ № 7"})
    assert response.status_code == 302 and response["Location"] == PAGE
    grant = InstallationRoleGrant.objects.get(user=enterprise_admin, role="website_editor")
    assert grant.note == "Наказ № 7" and grant.granted_by == inst_admin
    page = client.get(PAGE)
    assert "надано роль «Редактор сайту ради»" in page.content.decode()
    revoke = client.post(f"{PAGE}{grant.pk}/revoke/")
    assert revoke.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_by == inst_admin
    assert "відкликано" in client.get(PAGE).content.decode()


def test_bad_input_keeps_what_was_typed(client, inst_admin, enterprise_admin):
    login_verified(client, inst_admin)
    missing = client.post(PAGE, {"user": enterprise_admin.pk, "role": "", "note": "Наказ № 8 від 02.03.2026"})
    assert missing.status_code == 400
    html = missing.content.decode()
    assert missing.context["form"].errors["role"] and "Наказ № 8 від 02.03.2026" in html
    assert f'value="{enterprise_admin.pk}" selected' in html
    grant_installation_role(enterprise_admin, "signatures_admin")
    twice = client.post(PAGE, {"user": enterprise_admin.pk, "role": "signatures_admin", "note": "повторно"})
    assert twice.status_code == 400 and "уже має роль" in twice.content.decode()
    assert "повторно" in twice.content.decode()
    assert InstallationRoleGrant.objects.filter(user=enterprise_admin).count() == 1


def test_others_are_refused(client, inst_admin, enterprise_admin):
    grant = InstallationRoleGrant.objects.get(user=inst_admin)
    keeper = grant_installation_role(EmployeeFactory(roles=["executor"]).user, "signatures_admin")
    for user in (enterprise_admin, keeper):
        login_verified(client, user)
        assert client.get(PAGE).status_code == 403
        assert client.post(PAGE, {"user": user.pk, "role": "installation_admin"}).status_code == 403
        assert client.post(f"{PAGE}{grant.pk}/revoke/").status_code == 403
        assert f'href="{PAGE}"' not in client.get("/office/staff/").content.decode()
    assert not InstallationRoleGrant.objects.filter(role="installation_admin").exclude(user=inst_admin).exists()
    assert InstallationRoleGrant.objects.get(pk=grant.pk).revoked_at is None
