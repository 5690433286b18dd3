"""Search reads. Results never include a card the user may not open: every match is checked against
``registry.selectors.documents_visible_to(user)`` and the filters before it is counted or shown.

Order: newest registration first (reg_date, then registered_at). The index key of an entry *is* that
order (``services.sort_key``), so matches are read from the index newest first in growing chunks and
checked for visibility chunk by chunk; the walk stops once ``COUNT_LIMIT`` visible matches are
found. A very common word therefore costs about the same as a rare one, and the same Python walk over
the same keys gives identical results on SQLite and PostgreSQL. ``SearchResults.exact`` is False when
there are more than ``COUNT_LIMIT`` results ("more than N").

Each hit's ``score`` tells where the words were found: all in the card's own fields (summary,
correspondent, indexes) — ``SCORE_CARD`` — or partly in its files — ``SCORE_FILE``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet, Value
from django.db.models.expressions import RawSQL

from ratusha.registry.models import Document
from ratusha.registry.selectors import documents_visible_to
from ratusha.search.analysis import Query, parse_query
from ratusha.search.backends import get_backend
from ratusha.search.services import correspondent_key
from ratusha.search.snippets import make_snippet

SCORE_CARD = 2  # every word found in the card fields
SCORE_FILE = 1  # some word found only in an attached file

MAX_LIMIT = 100
COUNT_LIMIT = 1000


@dataclass(frozen=True)
class Hit:
    document: Document
    snippet_html: str
    score: int
    snippet_source: str = "summary"


@dataclass(frozen=True)
class SearchResults:
    total: int  # at most COUNT_LIMIT; see ``exact``
    hits: list[Hit] = field(default_factory=list)
    query: Query | None = None
    exact: bool = True  # False: there are more than ``total`` matches

    def __bool__(self) -> bool:
        return self.total > 0


FIRST_CHUNK = COUNT_LIMIT + 100
MAX_CHUNK = 50_000


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _filtered(*, user: Any, organisation: Any = None, journal: Any = None, date_from: dt.date | None = None,
              date_to: dt.date | None = None, correspondent: str = "", kind: str = "",
              status: str = "") -> QuerySet[Document]:
    qs = documents_visible_to(user)
    if organisation not in (None, ""):
        qs = qs.filter(organisation_id=_pk(organisation))
    if journal not in (None, ""):
        qs = qs.filter(journal_id=_pk(journal))
    if date_from:
        qs = qs.filter(reg_date__gte=date_from)
    if date_to:
        qs = qs.filter(reg_date__lte=date_to)
    key = correspondent_key(correspondent)
    if key:
        # Both sides normalised in Python: the same substring semantics on SQLite and PostgreSQL.
        qs = qs.filter(search_entry__correspondent_norm__contains=key)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


def _visible_keys(query: Query, documents: QuerySet[Document], wanted: int) -> list[int]:
    """Index keys of up to ``wanted`` matches within ``documents``, newest first."""
    backend = get_backend()
    keys: list[int] = []
    below = None
    chunk = FIRST_CHUNK
    while len(keys) < wanted:
        ids = backend.match_ids(query, below=below, limit=chunk)
        if not ids:
            break
        sql, params = backend.match_range_sql(query, low=ids[-1], high=ids[0])
        # The SQL is fixed text from the backend; the user's words travel only as a bound parameter.
        # The key range bounds the join first, and ``key + 0`` stops SQLite from probing every
        # (filtered card × chunk key) pair through the entry index: 2.7 s → 12 ms on 100k cards with an
        # organisation + date filter (docs/benchmarks.md §2).
        visible = set(documents.filter(search_entry__id__gte=ids[-1], search_entry__id__lte=ids[0])
                      .annotate(key=F("search_entry__id") + Value(0))
                      .filter(key__in=RawSQL(sql, params))  # noqa: S611
                      .order_by().values_list("search_entry__id", flat=True))
        keys.extend(key for key in ids if key in visible)
        if len(ids) < chunk:
            break
        below = ids[-1]
        chunk = min(chunk * 4, MAX_CHUNK)
    return keys[:wanted]


def search_documents(*, user: Any, query: str | None, organisation: Any = None, journal: Any = None,
                     date_from: dt.date | None = None, date_to: dt.date | None = None,
                     correspondent: str = "", kind: str = "", status: str = "", limit: int = 20,
                     offset: int = 0) -> SearchResults:
    """Full-text search over the cards ``user`` may open, newest first. An empty query finds nothing."""
    parsed = parse_query(query)
    if not parsed:
        return SearchResults(total=0, hits=[], query=parsed)
    limit = max(0, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    documents = _filtered(user=user, organisation=organisation, journal=journal, date_from=date_from,
                          date_to=date_to, correspondent=correspondent, kind=kind, status=status)
    keys = _visible_keys(parsed, documents, COUNT_LIMIT + 1)
    exact = len(keys) <= COUNT_LIMIT
    total = min(len(keys), COUNT_LIMIT)
    page = keys[offset:min(offset + limit, total)]
    if not page:
        return SearchResults(total=total, hits=[], query=parsed, exact=exact)
    rows = (documents.filter(search_entry__id__in=page).order_by()
            .select_related("organisation", "journal", "executor", "search_entry"))
    by_key = {row.search_entry.id: row for row in rows}
    hits = []
    for key in page:
        document = by_key.get(key)
        if document is None:  # re-indexed between the two reads
            continue
        entry = document.search_entry
        in_card = parsed.matches(entry.lemmas.split())
        snippet = make_snippet(parsed, document.summary, "" if in_card else entry.plain)
        hits.append(Hit(document=document, snippet_html=snippet.html,
                        score=SCORE_CARD if in_card else SCORE_FILE, snippet_source=snippet.source))
    return SearchResults(total=total, hits=hits, query=parsed, exact=exact)
