import pytest
from django.core.cache import cache

from ratusha.website.audience.services import page_views
from tests.smtp import smtp_server  # noqa: F401 - the fixture
from tests.website.discovery.conftest import site_tree  # noqa: F401 - the fixture


@pytest.fixture(autouse=True)
def _clean_state():
    cache.clear()
    page_views._take()  # counters of earlier tests
    yield
    cache.clear()
    page_views._take()
