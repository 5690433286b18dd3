import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import EmployeeFactory, UnitFactory


def login_verified(client, user):
    """Sign in as ``user`` with the second factor done (administrators must use TOTP)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def org_admin(org):
    return EmployeeFactory(organisation=org, roles=["admin"]).user


@pytest.fixture
def admin_client(client, org_admin):
    return login_verified(client, org_admin)


@pytest.fixture
def unit(org):
    return UnitFactory(organisation=org, code="02", name="Фінансовий відділ")
