"""Build the synthetic registry used by the search, list and memory benchmarks, and time its indexing.

    .venv/bin/python bench/dataset.py --backend postgresql --scale 100k

1. fresh database (PostgreSQL ``ratusha_bench`` for 1M cards, ``ratusha_bench_<scale>`` otherwise,
   dropped and created; SQLite file in the data dir), ``migrate``;
2. the bench installation (``world.build_world``: 15 organisations, 3 journals each, staff);
3. N cards inserted with ``bulk_create`` (synthetic Ukrainian summaries and correspondents, 2022..today,
   gapless numbers per journal+year). Registration through ``document_register`` is measured
   separately (``registrations.py``);
4. PostgreSQL: ``VACUUM ANALYZE`` (what autovacuum does after a bulk load); SQLite: nothing (the app
   does not run ANALYZE either);
5. search indexing: ``ratusha.search.services.reindex_all()`` — analysis of every card (pymorphy3
   lemmas) + writes of the index rows + the FTS5 / GIN index — timed as THE indexing throughput;
   plus, as a breakdown, analysis alone in Python and ``index_document`` one card at a time (the path
   taken after each registration).

The data dir ``/tmp/ratusha-bench/dataset-<scale>-<backend>`` keeps ``dataset.json`` describing what it
holds, so ``search.py``, ``doclist.py`` and ``memory.py`` reuse the dataset instead of rebuilding it;
``--reindex`` re-times the indexing on it after the search code changed.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import benchlib

NAME = "dataset"


def data_dir(backend: str, n: int) -> Path:
    return benchlib.data_dir_for(f"{NAME}-{benchlib.scale_label(n)}", backend)


def pg_db(n: int) -> str:
    """PostgreSQL database of a dataset: ``ratusha_bench`` for 1M cards, ``ratusha_bench_<scale>`` else,
    so the 100k and 1M datasets can both be kept."""
    return benchlib.PG_DB if n == 1_000_000 else f"{benchlib.PG_DB}_{benchlib.scale_label(n)}"


def marker_path(backend: str, n: int) -> Path:
    return data_dir(backend, n) / "dataset.json"


def read_marker(backend: str, n: int) -> dict[str, Any] | None:
    path = marker_path(backend, n)
    if not path.exists():
        return None
    return json.loads(path.read_text())


def use(backend: str, n: int) -> dict[str, Any]:
    """Configure Django for the existing dataset of ``n`` cards (SystemExit if it is not there)."""
    marker = read_marker(backend, n)
    if not marker or marker.get("documents") != n or not marker.get("indexed"):
        raise SystemExit(f"no indexed {benchlib.scale_label(n)} dataset for {backend}: "
                         f"run bench/dataset.py --backend {backend} --scale {benchlib.scale_label(n)}")
    benchlib.configure(backend=backend, data_dir=data_dir(backend, n), pg_db=pg_db(n))
    benchlib.django_setup()
    from ratusha.registry.models import Document
    from ratusha.search.models import SearchEntry

    if Document.objects.count() != n:
        raise SystemExit(f"{backend}: the database no longer holds the {n} cards of the dataset; "
                         "rebuild it with bench/dataset.py")
    # The code under test may have changed since the dataset was built: migrate; a search index
    # older than the indexing code is reported (``dataset.py --reindex`` rebuilds and re-times it —
    # deliberately not automatic: a full rebuild of 1M cards takes many minutes).
    benchlib.migrate()
    marker["index_older_than_code"] = search_code_mtime() > marker.get("indexed_at", 0)
    if marker["index_older_than_code"]:
        benchlib.log(f"{backend}: WARNING the search index predates the indexing code; "
                     f"run bench/dataset.py --backend {backend} --scale {benchlib.scale_label(n)} --reindex")
    if SearchEntry.objects.count() != n:
        raise SystemExit(f"{backend}: the search index holds {SearchEntry.objects.count()} entries, not {n}; "
                         "run dataset.py --reindex")
    return marker


def _analysis_only(sample: int) -> dict[str, Any]:
    """Analysis alone (no database writes): lemma strings of ``sample`` cards, in Python."""
    from ratusha.registry.models import Document
    from ratusha.search import services

    docs = list(Document.objects.order_by("pk")[:sample])
    t0 = time.perf_counter()
    for doc in docs:
        services.entry_fields(doc, [])
    dt_ = time.perf_counter() - t0
    return {"documents": len(docs), "seconds": round(dt_, 3), "per_second": round(len(docs) / dt_, 1)}


def _one_by_one(sample: int) -> dict[str, Any]:
    """``index_document`` for single cards (what the task does after each registration)."""
    from ratusha.registry.models import Document
    from ratusha.search import services

    ids = list(Document.objects.order_by("-registered_at").values_list("pk", flat=True)[:sample])
    lat = []
    for pk in ids:
        t0 = time.perf_counter()
        services.index_document(document_id=pk)
        lat.append(time.perf_counter() - t0)
    total = sum(lat)
    return {"documents": len(ids), "per_second": round(len(ids) / total, 1), "latency": benchlib.percentiles_ms(lat)}


def build(backend: str, n: int, *, batch: int = 1000) -> dict[str, Any]:
    benchlib.configure(backend=backend, data_dir=data_dir(backend, n), fresh=True, pg_db=pg_db(n))
    timings: dict[str, float] = {}
    with benchlib.stopwatch(timings, "migrate_s"):
        benchlib.prepare_database(backend, pg_db=pg_db(n))
    import world
    from django.db import connection

    with benchlib.stopwatch(timings, "world_s"):
        w = world.build_world()

    def progress(done: int, seconds: float) -> None:
        if done % 50_000 == 0:
            benchlib.log(f"  inserted {done:,} cards ({done / seconds:,.0f}/s)")

    benchlib.log(f"{backend}: inserting {n:,} synthetic cards")
    insert_s = world.insert_documents(w, n, progress=progress)
    timings["insert_s"] = round(insert_s, 2)
    if backend == "postgresql":
        with benchlib.stopwatch(timings, "vacuum_analyze_s"):
            connection.ensure_connection()
            old_autocommit = connection.get_autocommit()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            assert old_autocommit  # noqa: S101 - VACUUM runs outside a transaction
    result = {
        "backend": backend, "documents": n,
        "insert": {"seconds": timings["insert_s"], "per_second": round(n / insert_s, 1),
                   "method": "Document.objects.bulk_create, batches of 5000 (numbering NOT via services)"},
        "timings": timings,
        **index(backend, n, batch=batch),
    }
    marker = {"backend": backend, "documents": n, "indexed": True, "built_at": time.time(),
              "indexed_at": time.time(), "bench_user": str(w.bench_user_id)}
    marker_path(backend, n).write_text(json.dumps(marker, indent=2))
    benchlib.log(f"{backend}: insert {result['insert']['per_second']:,}/s, indexing "
                 f"{result['indexing']['per_second']:,}/s, db {result['database_size']}")
    return result


def index(backend: str, n: int, *, batch: int = 1000) -> dict[str, Any]:
    """Time ``reindex_all`` over the whole dataset (the indexing throughput), plus the breakdown."""
    from django.db import connection

    from ratusha.search import services

    benchlib.log(f"{backend}: reindex_all over {n:,} cards")
    t0 = time.perf_counter()

    def index_progress(done: int) -> None:
        if done % 50_000 == 0:
            benchlib.log(f"  indexed {done:,} ({done / (time.perf_counter() - t0):,.0f}/s overall)")

    indexed = services.reindex_all(batch=batch, progress=index_progress)
    index_s = time.perf_counter() - t0
    if backend == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchentry")
    return {
        "indexed": indexed,
        "indexing": {"seconds": round(index_s, 2), "per_second": round(indexed / index_s, 1),
                     "method": f"ratusha.search.services.reindex_all(batch={batch}): analysis + index rows "
                               "+ FTS5/GIN maintenance, cards without files"},
        "indexing_breakdown": {"analysis_only_python": _analysis_only(min(n, 20_000)),
                               "index_document_one_by_one": _one_by_one(200)},
        "search_code_mtime": search_code_mtime(),
        "database_size": _db_size(backend),
    }


def search_code_mtime() -> float:
    """Newest change to the code that decides what the index holds (not views, forms, file extraction)."""
    root = benchlib.REPO_DIR / "src" / "ratusha" / "search"
    files = [root / "analysis.py", root / "services.py", root / "models.py",
             *root.glob("backends/*.py"), *root.glob("migrations/*.py")]
    return max(p.stat().st_mtime for p in files if p.exists())


def reindex(backend: str, n: int, *, batch: int = 1000) -> dict[str, Any]:
    """Re-time indexing on the existing dataset (after the search code changed); updates the result."""
    marker = use(backend, n)
    result_path = benchlib.RESULTS_DIR / f"{NAME}-{backend}-{benchlib.scale_label(n)}.json"
    previous = json.loads(result_path.read_text()) if result_path.exists() else {}
    result = {**{k: v for k, v in previous.items() if k in ("insert", "timings")},
              "backend": backend, "documents": n, **index(backend, n, batch=batch),
              "reindexed_on_existing_dataset": True}
    marker["indexed_at"] = time.time()
    marker_path(backend, n).write_text(json.dumps(marker, indent=2))
    benchlib.log(f"{backend}: indexing {result['indexing']['per_second']:,}/s")
    return result


def _db_size(backend: str) -> str:
    from django.db import connection

    if backend == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            return cursor.fetchone()[0]
    path = Path(connection.settings_dict["NAME"])
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return f"{size / 2**20:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=benchlib.BACKENDS, default="postgresql")
    parser.add_argument("--scale", default="100k", help="100k, 1m, or a number of cards")
    parser.add_argument("--batch", type=int, default=1000, help="reindex_all batch size")
    parser.add_argument("--reindex", action="store_true",
                        help="keep the cards, only re-time the search indexing (after search code changes)")
    args = parser.parse_args()
    n = benchlib.parse_scale(args.scale)
    result = reindex(args.backend, n, batch=args.batch) if args.reindex else build(args.backend, n, batch=args.batch)
    benchlib.write_result(f"{NAME}-{args.backend}-{benchlib.scale_label(n)}", result)


if __name__ == "__main__":
    main()
