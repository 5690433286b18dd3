"""Pagination that stays fast on millions of rows: the total is counted only up to a cap."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Beyond this many matches the page says «понад N» instead of counting every row (an exact COUNT over
# a million-row journal costs hundreds of milliseconds); people narrow such lists with filters.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def _counted(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @cached_property
    def capped(self) -> bool:
        """True when there are more rows than ``cap`` (only the first ``cap`` can be paged)."""
        return self._counted > self.cap


def page_context(request, object_list, per_page: int | None = None) -> dict:
    """``page_obj`` and ``page_range`` for ``office/includes/pagination.html`` (``?page=`` of the request)."""
    from django.conf import settings

    paginator = CappedPaginator(object_list, per_page or settings.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return {"page_obj": page,
            "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))}
