"""Reads of the audience app (page-view reports for editors)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils import timezone

from ratusha.website.audience.models import PageViewDay


def page_views_top(*, days: int, limit: int = 20, today: dt.date | None = None) -> list[dict[str, object]]:
    """The most viewed paths of the last ``days`` days (today included): ``path``, ``views``."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=days - 1)
    rows = (PageViewDay.objects.filter(day__gte=since, day__lte=today).values("path")
            .annotate(views=Sum("count")).order_by("-views", "path")[:limit])
    return [{"path": r["path"], "views": int(r["views"])} for r in rows]
