"""Schemathesis fuzzes the API against its own schema with a valid key: no 500s, no response outside
the schema (status code, content type, headers, body), invalid input refused."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ratusha.exchange.services import delivery_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_connection():
    """Like Django's test client: requests served straight through WSGI must not close the test's
    database connection (it holds the test's transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection]


def test_api_conforms_to_its_schema(keep_connection, enterprise_key, letter, council_clerk, enterprise, enterprise_incoming,
                                    enterprise_outgoing):
    from ratusha.wsgi import application

    delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])  # something to list and fetch
    _key, secret = enterprise_key
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)

        run()
