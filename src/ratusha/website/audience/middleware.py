"""Counting page views without cookies (placed before the page cache, so cache hits count too)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ratusha.website.audience.services.page_views import is_bot, page_view_count, path_is_counted


class PageViewMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (request.method == "GET" and response.status_code == 200 and path_is_counted(request.path)
                and response.get("Content-Type", "").startswith("text/html")
                and not is_bot(request.META.get("HTTP_USER_AGENT", ""))):
            page_view_count(path=request.path)
        return response
