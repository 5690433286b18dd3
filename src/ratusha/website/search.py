"""Site search: one query over every kind of public content (pages, news, decisions…).

Each public part of the site registers a *provider* — a function that takes the parsed query (the
Ukrainian analysis of ``ratusha.search.analysis.parse_query``, so «рішенням» finds «рішення») and returns
hits. The site's ``/search/`` page asks every provider and merges the results. Providers must return
only public content: the site search runs for anonymous visitors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ratusha.search.analysis import Query


@dataclass(frozen=True)
class SiteHit:
    kind: str  # shown as a label: «Новина», «Рішення», «Сторінка» …
    title: str
    url: str
    summary: str = ""
    date: dt.date | None = None
    score: float = 0.0  # higher first; providers scale to roughly 0..1


SearchProvider = Callable[[Query, int], list[SiteHit]]
_providers: dict[str, SearchProvider] = {}


def register_search_provider(name: str, provider: SearchProvider) -> None:
    """Register (or replace, by name) a provider; call from an ``AppConfig.ready``."""
    _providers[name] = provider


def search_providers() -> dict[str, SearchProvider]:
    return dict(_providers)


# --- the "pages" provider: Wagtail pages and news from the site index -----------------------------

# Title matches rank first: score = BASE + TITLE_WEIGHT × (share of the query words found in the title).
_BASE_SCORE = 0.4
_TITLE_WEIGHT = 0.6


def pages_provider(query: Query, limit: int) -> list[SiteHit]:
    """Live public Wagtail pages (news, announcements, other pages) matching every query word."""
    from wagtail.models import Page

    from ratusha.website.audience.index_backends import match_ids
    from ratusha.website.audience.models import SitePageIndex

    ids = match_ids(query, limit=max(limit * 4, limit))
    if not ids:
        return []
    # The index follows publication signals; the page tree is the authority on what is public now.
    public = set(Page.objects.live().public().filter(pk__in=ids).values_list("pk", flat=True))
    rows = SitePageIndex.objects.filter(page_id__in=public)
    hits: list[SiteHit] = []
    for row in rows:
        title_tokens = set(row.title_lemmas.split())
        in_title = sum(1 for word in query.words if not title_tokens.isdisjoint(word.tokens))
        score = _BASE_SCORE + _TITLE_WEIGHT * in_title / max(len(query.words), 1)
        hits.append(SiteHit(kind=row.get_kind_display(), title=row.title, url=row.url, summary=row.summary,
                            date=row.date, score=score))
    return merge_hits([hits])[:limit]


def merge_hits(groups: list[list[SiteHit]]) -> list[SiteHit]:
    """All providers' hits in one list: higher score first, then newer, then by title."""
    merged = [hit for group in groups for hit in group]
    merged.sort(key=lambda h: (-h.score, -(h.date.toordinal() if h.date else 0), h.title.casefold()))
    return merged


def site_search(query: Query, *, limit_per_provider: int = 200) -> tuple[list[SiteHit], list[str]]:
    """Ask every provider; returns the merged hits and the names of providers that failed (a broken
    provider is logged and skipped — the search page itself never fails)."""
    import logging

    groups: list[list[SiteHit]] = []
    failed: list[str] = []
    for name, provider in search_providers().items():
        try:
            groups.append(list(provider(query, limit_per_provider)))
        except Exception:  # noqa: BLE001 - one part of the site must not break the whole search
            logging.getLogger(__name__).exception("site search provider %r failed", name)
            failed.append(name)
    return merge_hits(groups), failed
