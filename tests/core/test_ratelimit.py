"""Rate limits are shared by every process: the database in embedded mode, Redis in scale mode."""

from __future__ import annotations

import uuid

import pytest
import redis
from django.core.cache import caches

from ratusha.core import ratelimit
from ratusha.core.models import RateCounter
from tests.concurrency import run_concurrently

LIMIT = dict(limit=3, window_minutes=10)


@pytest.mark.django_db
def test_counts_within_the_window_and_refuses_past_the_limit():
    states = [ratelimit.rate_limit_hit(scope="t", ip="192.0.2.1", **LIMIT) for _ in range(4)]
    assert [s.count for s in states] == [1, 2, 3, 4]
    assert [s.allowed for s in states] == [True, True, True, False]
    assert states[-1].retry_after > 0 and states[-1].retry_minutes >= 1
    # Another address and another scope have their own counters; a check counts nothing.
    assert ratelimit.rate_limit_hit(scope="t", ip="192.0.2.2", **LIMIT).count == 1
    assert ratelimit.rate_limit_hit(scope="other", ip="192.0.2.1", **LIMIT).count == 1
    check = ratelimit.rate_limit_check(scope="t", ip="192.0.2.1", **LIMIT)
    assert check.count == 4 and not check.allowed
    assert ratelimit.rate_limit_check(scope="t", ip="192.0.2.1", **LIMIT).count == 4


@pytest.mark.django_db
def test_the_counter_is_in_the_database_that_every_worker_shares():
    ratelimit.rate_limit_hit(scope="verify", ip="192.0.2.9", **LIMIT)
    for cache in caches.all():  # a per-process cache emptied (another worker) changes nothing
        cache.clear()
    assert ratelimit.rate_limit_check(scope="verify", ip="192.0.2.9", **LIMIT).count == 1
    assert RateCounter.objects.filter(key__startswith="rl:verify:192.0.2.9:").get().count == 1


@pytest.mark.django_db
def test_sweep_deletes_ended_windows_only(time_machine):
    time_machine.move_to("2026-12-07 10:00:00+02:00")
    ratelimit.rate_limit_hit(scope="old", ip="a", limit=5, window_seconds=60)
    time_machine.shift(3600)
    ratelimit.rate_limit_hit(scope="new", ip="a", limit=5, window_seconds=60)
    assert ratelimit.rate_counters_sweep() == 1
    assert list(RateCounter.objects.values_list("key", flat=True).filter(key__startswith="rl:new:")) != []
    assert not RateCounter.objects.filter(key__startswith="rl:old:").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_lose_no_count():
    scope = f"c{uuid.uuid4().hex[:8]}"
    results = run_concurrently(
        lambda: ratelimit.rate_limit_hit(scope=scope, ip="192.0.2.3", limit=100, window_minutes=10),
        [()] * 8)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.count for r in results) == list(range(1, 9))
    assert ratelimit.rate_limit_check(scope=scope, ip="192.0.2.3", limit=100, window_minutes=10).count == 8


@pytest.fixture
def redis_store(settings):
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (CI starts it)")
    settings.CACHES = {**settings.CACHES, "shared": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": f"ratusha-test-{uuid.uuid4().hex[:8]}"}}
    settings.RATELIMIT_STORE = "redis"
    yield caches["shared"]
    caches["shared"].clear()


@pytest.mark.django_db
def test_scale_mode_counts_in_redis(redis_store):
    states = [ratelimit.rate_limit_hit(scope="t", ip="192.0.2.1", **LIMIT) for _ in range(4)]
    assert [s.allowed for s in states] == [True, True, True, False]
    assert not RateCounter.objects.exists(), "nothing written to the database in scale mode"
    assert ratelimit.rate_limit_check(scope="t", ip="192.0.2.1", **LIMIT).count == 4
