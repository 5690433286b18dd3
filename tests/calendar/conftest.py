import pytest

from tests.factories import EmployeeFactory, OrganisationFactory, grant_installation_role
from tests.office.test_browser import browser_page  # noqa: F401 - the Chromium fixture, shared


@pytest.fixture
def calendar_admin(db):
    """An `admin` of the city council granted the installation administrator's role: may change the calendar."""
    user = EmployeeFactory(organisation=OrganisationFactory(kind="city_council"), roles=["admin"]).user
    return grant_installation_role(user, "installation_admin")


@pytest.fixture
def enterprise_admin(db):
    """An `admin` of a municipal enterprise: may not change the council's calendar."""
    return EmployeeFactory(organisation=OrganisationFactory(kind="municipal_enterprise"), roles=["admin"]).user


@pytest.fixture
def staff_user(db):
    return EmployeeFactory(roles=["executor"]).user


@pytest.fixture
def admin_client(client, calendar_admin):
    from tests.orgs.conftest import login_verified

    return login_verified(client, calendar_admin)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
