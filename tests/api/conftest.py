import pytest

from ratusha.api.services import api_key_create
from tests.exchange.conftest import (  # noqa: F401,F811 (fixtures)
    _own_blob_dir,
    council,
    council_clerk,
    enterprise,
    enterprise_clerk,
    enterprise_incoming,
    letter,
    transport,
)
from tests.factories import EmployeeFactory, JournalFactory

ALL_SCOPES = ["incoming:read", "incoming:register", "outgoing:send", "journals:read"]


@pytest.fixture
def enterprise_admin(enterprise):  # noqa: F811
    return EmployeeFactory(organisation=enterprise, roles=["admin"]).user


@pytest.fixture
def enterprise_key(enterprise, enterprise_admin):  # noqa: F811
    key, secret = api_key_create(actor=enterprise_admin, organisation=enterprise, name="СЕД Водоканалу",
                                 scopes=ALL_SCOPES)
    return key, secret


@pytest.fixture
def enterprise_outgoing(enterprise):  # noqa: F811
    return JournalFactory(organisation=enterprise, kind="outgoing", name="Вихідні", index_template="{case}/{seq}",
                          default_case_index="02-01")


@pytest.fixture
def api(client, enterprise_key):
    """The Django test client with the enterprise's key."""
    _key, secret = enterprise_key

    class Api:
        def get(self, path, **kw):
            return client.get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {secret}", **kw)

        def post(self, path, data, **kw):
            return client.post(f"/api/v1{path}", data=data, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {secret}", **kw)

    return Api()
