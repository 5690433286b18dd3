"""PostgreSQL: generated ``tsvector`` columns over the pre-lemmatised token strings, GIN-indexed.

The vectors are built with ``array_to_tsvector`` from the space-separated tokens, not re-parsed by a
text-search configuration: each token stays exactly what ``analysis`` produced (the 'simple'
parser would split ``01_10`` again), which is what makes the results equal to SQLite FTS5's.
The query is a ``tsquery`` literal of quoted tokens (``'рада' | 'радий'``), never parsed from input.
"""

from __future__ import annotations

from ratusha.search.analysis import Query
from ratusha.search.backends import newest_keys

_CREATE = [
    """ALTER TABLE search_searchentry
        ADD COLUMN IF NOT EXISTS tsv_card tsvector GENERATED ALWAYS AS
            (array_to_tsvector(array_remove(string_to_array(lemmas, ' '), ''))) STORED,
        ADD COLUMN IF NOT EXISTS tsv_all tsvector GENERATED ALWAYS AS
            (array_to_tsvector(array_remove(string_to_array(lemmas || ' ' || file_lemmas, ' '), ''))) STORED""",
    "CREATE INDEX IF NOT EXISTS search_entry_tsv_all_gin ON search_searchentry USING gin (tsv_all)",
]
_DROP = [
    "DROP INDEX IF EXISTS search_entry_tsv_all_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS tsv_all, DROP COLUMN IF EXISTS tsv_card",
]


def install(conn) -> None:
    """Add the columns and the index if missing (checked first: ALTER TABLE would lock the table)."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 'search_searchentry'::regclass "
                       "AND attname IN ('tsv_card', 'tsv_all') AND NOT attisdropped")
        columns = cursor.fetchone()[0]
        cursor.execute("SELECT to_regclass('search_entry_tsv_all_gin') IS NOT NULL")
        if columns == 2 and cursor.fetchone()[0]:
            return
        for statement in _CREATE:
            cursor.execute(statement)


def uninstall(conn) -> None:
    with conn.cursor() as cursor:
        for statement in _DROP:
            cursor.execute(statement)


def rebuild(conn) -> None:
    """Nothing to do: generated columns always follow the token strings."""


def optimize(conn) -> None:
    with conn.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")


def match_ids(query: Query, *, below: int | None, limit: int) -> list[int]:
    """Keys of the entries matching ``query``, newest (largest) first, below ``below``.

    PostgreSQL picks the plan by the words' frequency: a walk down the primary key that stops after
    ``limit`` matches for common words, the GIN index for rare ones.
    """
    return newest_keys("SELECT id FROM search_searchentry WHERE tsv_all @@ %s::tsquery",
                       [query.to_tsquery()], key="id", below=below, limit=limit)


def match_range_sql(query: Query, *, low: int, high: int) -> tuple[str, list[object]]:
    """SQL (and params) selecting the keys between ``low`` and ``high`` that match ``query``."""
    return ("SELECT id FROM search_searchentry WHERE id BETWEEN %s AND %s AND tsv_all @@ %s::tsquery",
            [low, high, query.to_tsquery()])
