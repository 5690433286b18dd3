"""The page-view report for editors (Wagtail admin; the admin's own access check wraps the URL)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ratusha.website.audience.selectors import page_views_top
from ratusha.website.audience.services.page_views import page_views_flush

PERIODS = (7, 30)
BAR_WIDTH = 480  # SVG user units of the longest bar


def page_views_report(request: HttpRequest) -> HttpResponse:
    try:
        days = int(request.GET.get("days", "7"))
    except ValueError:
        days = 7
    if days not in PERIODS:
        days = 7
    page_views_flush()  # this process's latest counts are in the report too
    rows = page_views_top(days=days, limit=20)
    top = max((int(r["views"]) for r in rows), default=0)
    bars = []
    for index, row in enumerate(rows):
        width = round(BAR_WIDTH * int(row["views"]) / top) if top else 0
        bars.append({**row, "width": max(width, 1), "y": index * 28, "text_y": index * 28 + 15,
                     "label_x": max(width, 1) + 6})
    return render(request, "audience/admin/page_views.html", {
        "days": days, "periods": PERIODS, "rows": rows, "bars": bars, "total": sum(int(r["views"]) for r in rows),
        "chart_height": max(len(bars) * 28, 28), "chart_width": BAR_WIDTH + 80,
        "page_title": _("Перегляди сторінок"),
    })
