"""Diagnostics: the SQL behind a search or a document list, with the database's plan and timing.

    .venv/bin/python bench/explain.py --backend postgresql --scale 100k search "ремонт"
    .venv/bin/python bench/explain.py --backend postgresql --scale 100k list
    .venv/bin/python bench/explain.py --backend sqlite --scale 100k list --journal exec

PostgreSQL: ``EXPLAIN (ANALYZE, BUFFERS)``; SQLite: ``EXPLAIN QUERY PLAN`` + the measured time.
Runs against the dataset of ``dataset.py`` as ``bench.registrar``.
"""

from __future__ import annotations

import argparse
import time

import benchlib
import dataset


def explain(sql: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("\n".join(r[0] for r in cursor.fetchall()))
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            for row in cursor.fetchall():
                print(" | ".join(str(c) for c in row))
            t0 = time.perf_counter()
            cursor.execute(sql)
            rows = cursor.fetchall()
            print(f"-- {len(rows)} rows in {(time.perf_counter() - t0) * 1000:.1f} ms")


def show(label: str, run) -> None:
    """Run ``run()``, then explain every SQL statement it executed (as sent, parameters inlined)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        run()
        elapsed = (time.perf_counter() - t0) * 1000
    print(f"\n######## {label}: {len(ctx.captured_queries)} queries, {elapsed:.1f} ms in Python")
    for q in ctx.captured_queries:
        print(f"\n----- ({q['time']} s)\n{q['sql']}\n")
        if q["sql"].lstrip().upper().startswith("SELECT"):
            explain(q["sql"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=benchlib.BACKENDS, default="postgresql")
    parser.add_argument("--scale", default="100k")
    parser.add_argument("what", choices=("search", "list"))
    parser.add_argument("query", nargs="?", default="ремонт")
    parser.add_argument("--journal", default="", help="org code whose incoming journal filters the list")
    args = parser.parse_args()
    dataset.use(args.backend, benchlib.parse_scale(args.scale))
    from django.conf import settings

    from ratusha.orgs.models import User
    from ratusha.registry.models import Journal
    from ratusha.registry.selectors import document_list

    user = User.objects.get(username="bench.registrar")
    if args.what == "search":
        from ratusha.search.selectors import search_documents

        show(f"search_documents({args.query!r})",
             lambda: search_documents(user=user, query=args.query, limit=settings.PAGE_SIZE))
    else:
        kwargs = {}
        if args.journal:
            kwargs["journal"] = Journal.objects.get(organisation__code=args.journal, kind="incoming")

        def page() -> None:
            qs = document_list(user=User.objects.get(pk=user.pk), **kwargs)
            qs.count()
            list(qs[: settings.PAGE_SIZE])

        show("document_list: count + first page", page)


if __name__ == "__main__":
    main()
