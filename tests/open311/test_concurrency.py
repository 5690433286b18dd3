"""Clients posting at the same moment get distinct service_request_ids and nothing is lost."""

import pytest

from ratusha.appeals.models import Appeal
from ratusha.appeals.open311.models import ServiceRequest
from ratusha.appeals.open311.services import RequestInput, service_request_create
from tests.concurrency import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_posts_get_distinct_numbers(city):
    def post(n: int) -> int:
        data = RequestInput(api_key=city.raw_key, service_code="graffiti", address_string=f"вул. Миру, {n}")
        return service_request_create(data=data).number

    results = run_concurrently(post, [(n,) for n in range(4)])
    assert all(isinstance(r, int) for r in results), results
    assert sorted(results) == [1, 2, 3, 4]
    assert ServiceRequest.objects.count() == Appeal.objects.count() == 4
