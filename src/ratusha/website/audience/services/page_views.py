"""Cookie-less page-view counts (for editors): per path per day, nothing about the visitor.

Each counted view adds one to an in-memory counter of the process; the counters are written to
``PageViewDay`` in one batch every ``PAGE_VIEW_FLUSH_EVERY`` views or ``PAGE_VIEW_FLUSH_SECONDS``
seconds (checked on the next view). The counters live in the web process that served the views, so the
flush runs there (a worker's cron could not reach them); at most one batch per process is at risk if the
process is killed. No cookie is set or read, no address,
user agent or other fingerprint is stored; the user agent is only looked at to skip robots.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ratusha.core.audit import audit_log
from ratusha.website.audience.constants import (
    BOT_USER_AGENT_RE,
    PAGE_VIEW_EXCLUDED_PREFIXES,
    PAGE_VIEW_FLUSH_EVERY,
    PAGE_VIEW_FLUSH_SECONDS,
    PAGE_VIEW_MAX_PATH,
)
from ratusha.website.audience.models import PageViewDay

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_pending: Counter[tuple[str, dt.date]] = Counter()
_state = {"views": 0, "since": time.monotonic()}


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(BOT_USER_AGENT_RE.search(user_agent))


def path_is_counted(path: str) -> bool:
    return path.startswith("/") and not path.startswith(PAGE_VIEW_EXCLUDED_PREFIXES) and len(path) <= PAGE_VIEW_MAX_PATH


def page_view_count(*, path: str, day: dt.date | None = None) -> None:
    """Count one view of ``path`` in memory; flush when the batch is full or old enough."""
    day = day or timezone.localdate()
    with _lock:
        _pending[(path, day)] += 1
        _state["views"] += 1
        due = (_state["views"] >= PAGE_VIEW_FLUSH_EVERY
               or time.monotonic() - _state["since"] >= PAGE_VIEW_FLUSH_SECONDS)
    if due:
        try:
            page_views_flush()
        except Exception:  # noqa: BLE001 - statistics must never break a page; the counts are kept
            logger.exception("page views: flush failed")


def pending_page_views() -> dict[tuple[str, dt.date], int]:
    with _lock:
        return dict(_pending)


def _take() -> dict[tuple[str, dt.date], int]:
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _state["views"] = 0
        _state["since"] = time.monotonic()
    return batch


def _give_back(batch: dict[tuple[str, dt.date], int]) -> None:
    with _lock:
        _pending.update(batch)


def page_views_flush() -> int:
    """Write this process's counters to the database; returns the number of views written."""
    batch = _take()
    if not batch:
        return 0
    try:
        with transaction.atomic():
            for (path, day), count in sorted(batch.items()):
                if not PageViewDay.objects.filter(path=path, day=day).update(count=F("count") + count):
                    try:
                        with transaction.atomic():
                            PageViewDay.objects.create(path=path, day=day, count=count)
                    except IntegrityError:  # another process created the row meanwhile
                        PageViewDay.objects.filter(path=path, day=day).update(count=F("count") + count)
            total = sum(batch.values())
            audit_log(actor=None, action="page_views.flush", object_type="audience.pageviewday",
                      params={"rows": len(batch), "views": total})
    except Exception:
        _give_back(batch)  # nothing is lost: the next flush tries again
        raise
    return total
