"""Database-specific parts of the index. Both backends get the same token strings and the same query
(``analysis.Query``); the database only matches whole tokens, so results are identical."""

from __future__ import annotations

from types import ModuleType

from django.db import connection


def get_backend(conn=None) -> ModuleType:
    conn = conn or connection
    if conn.vendor == "postgresql":
        from ratusha.search.backends import postgres

        return postgres
    if conn.vendor == "sqlite":
        from ratusha.search.backends import sqlite

        return sqlite
    raise NotImplementedError(f"search: database {conn.vendor!r} is not supported")


def newest_keys(sql: str, params: list[object], *, key: str, below: int | None, limit: int) -> list[int]:
    """Run a backend's match ``sql`` as a keyset page: keys under ``below``, largest first."""
    params = list(params)
    if below is not None:
        sql += f" AND {key} < %s"
        params.append(below)
    sql += f" ORDER BY {key} DESC LIMIT %s"
    params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
