"""Rate limits shared by every process of an installation.

A fixed-window counter per ``scope`` and identity (usually the client address): ``rate_limit_hit``
counts one action and says whether it stayed within ``limit`` for the current window;
``rate_limit_check`` only looks. The counter lives where every web worker sees it:

* embedded mode: the database (``RateCounter``, one atomic upsert per hit on SQLite and PostgreSQL);
* scale mode (``RATUSHA_REDIS_URL`` set): Redis, through the ``shared`` cache (atomic ``INCR``).

A per-process cache would multiply every limit by the number of web workers.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone

from ratusha.core.models import RateCounter


@dataclass(frozen=True)
class RateState:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends (0 when allowed)

    @property
    def retry_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def _window(window_seconds: int) -> tuple[int, int]:
    """(window number, seconds until it ends) of a fixed window."""
    size = max(1, int(window_seconds))
    now = time.time()
    return int(now // size), max(1, int(size - now % size))


def _key(scope: str, ident: str | None, window_seconds: int) -> tuple[str, int]:
    number, left = _window(window_seconds)
    return f"rl:{scope}:{ident or 'unknown'}:{window_seconds}:{number}"[:200], left


def _seconds(window_minutes: int | None, window_seconds: int | None) -> int:
    if window_seconds is not None:
        return max(1, int(window_seconds))
    return max(60, int(window_minutes or 1) * 60)


def _uses_redis() -> bool:
    return getattr(settings, "RATELIMIT_STORE", "database") == "redis"


def _read(key: str) -> int:
    if _uses_redis():
        return int(caches["shared"].get(key, 0))
    return int(RateCounter.objects.filter(key=key).values_list("count", flat=True).first() or 0)


def _increment(key: str, left: int) -> int:
    if _uses_redis():
        cache = caches["shared"]
        cache.add(key, 0, timeout=left + 5)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=left + 5)
            return 1
    expires = timezone.now() + dt.timedelta(seconds=left + 5)
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    # One statement: concurrent hits from several processes never lose a count (SQLite ≥ 3.35, PostgreSQL).
    sql = (f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608 - no user input in the name
           f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [key, expires])
        return int(cursor.fetchone()[0])


def rate_limit_check(*, scope: str, ip: str | None, limit: int, window_minutes: int | None = None,
                     window_seconds: int | None = None) -> RateState:
    """Whether one more action of ``scope`` from ``ip`` is allowed now (nothing counted)."""
    key, left = _key(scope, ip, _seconds(window_minutes, window_seconds))
    count = _read(key)
    allowed = count < int(limit)
    return RateState(allowed=allowed, count=count, retry_after=0 if allowed else left)


def rate_limit_hit(*, scope: str, ip: str | None, limit: int, window_minutes: int | None = None,
                   window_seconds: int | None = None) -> RateState:
    """Count one action; ``allowed`` is False when it went over the limit."""
    key, left = _key(scope, ip, _seconds(window_minutes, window_seconds))
    count = _increment(key, left)
    allowed = count <= int(limit)
    return RateState(allowed=allowed, count=count, retry_after=0 if allowed else left)


def rate_counters_sweep() -> int:
    """Delete the database counters of windows that have ended; returns how many went."""
    deleted, _detail = RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
