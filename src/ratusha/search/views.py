"""The search page of the office (thin: the work is in ``selectors.search_documents``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ratusha.search.forms import SearchForm
from ratusha.search.selectors import MAX_LIMIT, search_documents


class _Sized:
    """Lets Django's Paginator compute pages from a known total without the rows."""

    def __init__(self, total: int) -> None:
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, item: Any) -> list:
        return []


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except (TypeError, ValueError):
        return 1


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, user=request.user)
    results = None
    page_obj = None
    page_range: list[Any] = []
    if form.is_bound and form.is_valid() and form.cleaned_data.get("q", "").strip():
        data = form.cleaned_data
        per_page = max(1, min(int(getattr(settings, "PAGE_SIZE", 25)), MAX_LIMIT))
        number = _page_number(request.GET.get("page"))
        filters = {"organisation": data.get("organisation"), "journal": data.get("journal"),
                   "date_from": data.get("date_from"), "date_to": data.get("date_to"),
                   "correspondent": data.get("correspondent") or "", "kind": data.get("kind") or "",
                   "status": data.get("status") or ""}
        results = search_documents(user=request.user, query=data["q"], limit=per_page,
                                   offset=(number - 1) * per_page, **filters)
        paginator = Paginator(_Sized(results.total), per_page)
        page_obj = paginator.get_page(number)
        if results.total and page_obj.number != number:  # beyond the last page: show the last one
            results = search_documents(user=request.user, query=data["q"], limit=per_page,
                                       offset=(page_obj.number - 1) * per_page, **filters)
        page_range = list(paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))
    return render(request, "search/search.html", {
        "form": form, "results": results, "page_obj": page_obj, "page_range": page_range,
        "query_text": form.data.get("q", "") if form.is_bound else "",
    })
