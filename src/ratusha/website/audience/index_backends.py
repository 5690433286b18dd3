"""The database side of the site search index, the same technique as the registry search
(``ratusha/search/backends``): SQLite FTS5 over the pre-lemmatised token strings kept in sync by
triggers, PostgreSQL a generated ``tsvector`` (``array_to_tsvector``, tokens stay as the analysis made
them) with a GIN index. Queries come from ``analysis.Query.to_fts5`` / ``to_tsquery``, so both databases
match exactly the same pages.
"""

from __future__ import annotations

from django.db import connection

from ratusha.search.analysis import Query

_SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS audience_page_fts USING fts5(
        title_lemmas, lemmas, content='audience_sitepageindex', content_rowid='page_id',
        tokenize="unicode61 remove_diacritics 0 tokenchars '_'")""",
    """CREATE TRIGGER IF NOT EXISTS audience_page_ai AFTER INSERT ON audience_sitepageindex BEGIN
        INSERT INTO audience_page_fts(rowid, title_lemmas, lemmas)
            VALUES (new.page_id, new.title_lemmas, new.lemmas);
    END""",
    """CREATE TRIGGER IF NOT EXISTS audience_page_ad AFTER DELETE ON audience_sitepageindex BEGIN
        INSERT INTO audience_page_fts(audience_page_fts, rowid, title_lemmas, lemmas)
            VALUES ('delete', old.page_id, old.title_lemmas, old.lemmas);
    END""",
    """CREATE TRIGGER IF NOT EXISTS audience_page_au AFTER UPDATE ON audience_sitepageindex BEGIN
        INSERT INTO audience_page_fts(audience_page_fts, rowid, title_lemmas, lemmas)
            VALUES ('delete', old.page_id, old.title_lemmas, old.lemmas);
        INSERT INTO audience_page_fts(rowid, title_lemmas, lemmas)
            VALUES (new.page_id, new.title_lemmas, new.lemmas);
    END""",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audience_page_ai",
    "DROP TRIGGER IF EXISTS audience_page_ad",
    "DROP TRIGGER IF EXISTS audience_page_au",
    "DROP TABLE IF EXISTS audience_page_fts",
]
_PG_CREATE = [
    """ALTER TABLE audience_sitepageindex ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS
        (array_to_tsvector(array_remove(string_to_array(title_lemmas || ' ' || lemmas, ' '), ''))) STORED""",
    "CREATE INDEX IF NOT EXISTS audience_page_tsv_gin ON audience_sitepageindex USING gin (tsv)",
]
_PG_DROP = [
    "DROP INDEX IF EXISTS audience_page_tsv_gin",
    "ALTER TABLE audience_sitepageindex DROP COLUMN IF EXISTS tsv",
]


def install(conn=None) -> None:
    """Create the vendor index (idempotent). On SQLite, a later migration that alters the table must call
    it again: Django rebuilds SQLite tables to alter them, which drops the triggers."""
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            for statement in _SQLITE_CREATE:
                cursor.execute(statement)
            cursor.execute("INSERT INTO audience_page_fts(audience_page_fts) VALUES ('rebuild')")
        elif conn.vendor == "postgresql":
            for statement in _PG_CREATE:
                cursor.execute(statement)
        else:  # pragma: no cover - only the two supported databases
            raise NotImplementedError(conn.vendor)


def uninstall(conn=None) -> None:
    conn = conn or connection
    with conn.cursor() as cursor:
        for statement in (_SQLITE_DROP if conn.vendor == "sqlite" else _PG_DROP):
            cursor.execute(statement)


def match_ids(query: Query, *, limit: int) -> list[int]:
    """Page ids whose tokens match every word of ``query`` (at most ``limit``, unordered by relevance:
    the provider ranks them)."""
    if not query:
        return []
    if connection.vendor == "postgresql":
        sql = "SELECT page_id FROM audience_sitepageindex WHERE tsv @@ %s::tsquery ORDER BY date DESC NULLS LAST LIMIT %s"
        params: list[object] = [query.to_tsquery(), limit]
    else:
        sql = ("SELECT rowid FROM audience_page_fts WHERE audience_page_fts MATCH %s LIMIT %s")
        params = [query.to_fts5(), limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
