"""SQLite: an FTS5 table over ``search_searchentry`` (external content, rowid = entry id).

Triggers keep it in sync with every INSERT, UPDATE and DELETE of the entry table, whoever makes
them (services, bulk inserts, cascades, test flushes). NOTE: on SQLite Django rebuilds a table to
alter it, which drops its triggers; a later migration that alters ``SearchEntry`` must call
``install(schema_editor.connection)`` again (it is idempotent) — ``reindex_all`` does so too.
"""

from __future__ import annotations

from ratusha.search.analysis import Query
from ratusha.search.backends import newest_keys

FTS_TABLE = "search_fts"

# Tokens contain letters, digits and "_" only (analysis.encode); "_" joins compound parts.
_CREATE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        lemmas, file_lemmas, content='search_searchentry', content_rowid='id',
        tokenize="unicode61 remove_diacritics 0 tokenchars '_'")""",
    """CREATE TRIGGER IF NOT EXISTS search_entry_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, lemmas, file_lemmas) VALUES (new.id, new.lemmas, new.file_lemmas);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_entry_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, lemmas, file_lemmas)
            VALUES ('delete', old.id, old.lemmas, old.file_lemmas);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_entry_au AFTER UPDATE OF id, lemmas, file_lemmas
            ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, lemmas, file_lemmas)
            VALUES ('delete', old.id, old.lemmas, old.file_lemmas);
        INSERT INTO search_fts(rowid, lemmas, file_lemmas) VALUES (new.id, new.lemmas, new.file_lemmas);
    END""",
]
_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TABLE IF EXISTS search_fts",
]


def install(conn) -> None:
    """Create the FTS5 table and triggers if missing; (re)build the index if it was missing."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
                       [FTS_TABLE, "search_entry_ai", "search_entry_ad", "search_entry_au"])
        present = cursor.fetchone()[0]
        if present == 4:
            return
        for statement in _CREATE:
            cursor.execute(statement)
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def uninstall(conn) -> None:
    with conn.cursor() as cursor:
        for statement in _DROP:
            cursor.execute(statement)


def rebuild(conn) -> None:
    """Re-read the whole index from the entry table (after bulk work or to repair it)."""
    with conn.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def optimize(conn) -> None:
    with conn.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


def match_ids(query: Query, *, below: int | None, limit: int) -> list[int]:
    """Keys of the entries matching ``query``, newest (largest) first, below ``below``."""
    return newest_keys("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [query.to_fts5()],
                       key="rowid", below=below, limit=limit)


def match_range_sql(query: Query, *, low: int, high: int) -> tuple[str, list[object]]:
    """SQL (and params) selecting the keys between ``low`` and ``high`` that match ``query``."""
    return ("SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid BETWEEN %s AND %s",
            [query.to_fts5(), low, high])
