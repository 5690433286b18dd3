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
