"""Rate-limit counters for tests: they live in the database (embedded mode) and the caches."""

from django.core.cache import caches

from ratusha.core.models import RateCounter


def rate_limits_clear() -> None:
    RateCounter.objects.all().delete()
    for cache in caches.all():
        cache.clear()
