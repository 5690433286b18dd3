"""The site search index of Wagtail pages (``SitePageIndex``), kept in sync by page signals.

Only live pages that anyone may see (no view restriction on them or their ancestors) are indexed; a page
that stops being public leaves the index. Index tokens come from the registry search's Ukrainian analysis
(``ratusha.search.analysis.lemma_string``), so «школах» finds «школа».
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from ratusha.core.audit import audit_log
from ratusha.search.analysis import lemma_string
from ratusha.website.audience.constants import SiteHitKind
from ratusha.website.audience.models import SitePageIndex

logger = logging.getLogger(__name__)
SUMMARY_CHARS = 20_000  # of a page's text kept for highlighted fragments


def page_text(page: Any) -> str:
    """The searchable text of a (specific) page: its ``search_text()`` if the page type has one."""
    method = getattr(page, "search_text", None)
    if callable(method):
        try:
            return str(method() or "")
        except Exception:  # noqa: BLE001 - a broken page body must not stop publishing
            logger.exception("search_text() failed for page %s", page.pk)
    return " ".join(filter(None, [page.title, getattr(page, "search_description", "")]))


def page_kind(page: Any) -> str:
    kind = getattr(page, "kind", "")
    if page.__class__.__name__ == "NewsPage":
        return SiteHitKind.ANNOUNCEMENT if kind == SiteHitKind.ANNOUNCEMENT else SiteHitKind.NEWS
    return SiteHitKind.PAGE


def page_summary(page: Any, text: str) -> str:
    summary = (getattr(page, "summary", "") or getattr(page, "search_description", "") or "").strip()
    body = text.strip()
    if body.startswith(page.title):
        body = body[len(page.title):].strip()
    if summary and summary not in body:
        body = f"{summary} {body}"
    return (body or summary)[:SUMMARY_CHARS]


def page_date(page: Any) -> dt.date | None:
    stamp = page.first_published_at or page.last_published_at
    return timezone.localdate(stamp) if stamp else None


def _is_public(page: Page) -> bool:
    return page.live and not page.get_view_restrictions().exists() and page.depth > 1


def _entry_values(page: Any) -> dict[str, Any]:
    text = page_text(page)
    return {
        "kind": page_kind(page),
        "title": page.title[:500],
        "url": (page.get_url() or page.url_path or "")[:1000],
        "date": page_date(page),
        "summary": page_summary(page, text),
        "title_lemmas": lemma_string(page.title),
        "lemmas": lemma_string(text),
    }


def site_page_index(*, page: Page) -> bool:
    """Index one page (or drop it when it is no longer live and public); True when it is indexed."""
    page = page.specific
    with transaction.atomic():
        if not _is_public(page):
            deleted, _ = SitePageIndex.objects.filter(page_id=page.pk).delete()
            if deleted:
                audit_log(actor=None, action="site_index.remove", object_type="wagtailcore.page",
                          object_id=str(page.pk), object_repr=page.title[:300])
            return False
        SitePageIndex.objects.update_or_create(page_id=page.pk, defaults=_entry_values(page))
        audit_log(actor=None, action="site_index.update", object_type="wagtailcore.page",
                  object_id=str(page.pk), object_repr=page.title[:300])
    return True


def site_page_index_subtree(*, page: Page) -> int:
    """Re-index a page and its descendants (after a move, unpublication or a change of restrictions)."""
    count = 0
    for each in Page.objects.descendant_of(page, inclusive=True).specific().iterator():
        count += site_page_index(page=each)
    return count


def site_page_unindex(*, page_id: int) -> None:
    with transaction.atomic():
        if SitePageIndex.objects.filter(page_id=page_id).delete()[0]:
            audit_log(actor=None, action="site_index.remove", object_type="wagtailcore.page",
                      object_id=str(page_id))


def site_index_rebuild() -> int:
    """Rebuild the whole index from the page tree; returns the number of pages indexed."""
    with transaction.atomic():
        SitePageIndex.objects.all().delete()
        entries = [SitePageIndex(page_id=page.pk, **_entry_values(page))
                   for page in Page.objects.live().public().filter(depth__gt=1).specific().iterator()]
        SitePageIndex.objects.bulk_create(entries, batch_size=200)
        audit_log(actor=None, action="site_index.rebuild", object_type="audience.sitepageindex",
                  params={"pages": len(entries)})
    return len(entries)
