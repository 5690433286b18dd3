"""Benchmark 2: search latency over the synthetic dataset (see ``dataset.py`` for how it is built).

    .venv/bin/python bench/search.py --backend postgresql --scale 100k

~200 queries (``synth.Generator.queries``: 1-3 inflected words, common and rare terms, a few with stray
quotes/operators) run one after another as ``bench.registrar`` (registrar + head of the city council,
executor in the executive committee) through the real, permission-filtered selector
``ratusha.search.selectors.search_documents(user=..., query=..., limit=PAGE_SIZE)`` — which counts all
matches visible to the user and returns the first page with highlighted snippets, exactly what the
search page shows. The first 20 queries are run once before timing (warm-up), then all queries are
timed; latency is per call of ``search_documents``. A second series repeats 50 queries with the
organisation + date filters the search page offers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import defaultdict
from typing import Any

import benchlib
import dataset

NAME = "search"
FILTERED_BUDGET_S = 180  # the filtered series stops early (and says so) when queries take seconds each


def _spread(values: list[int]) -> dict[str, int]:
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"min": ordered[0], "p50": pick(0.5), "p95": pick(0.95), "max": ordered[-1]}


def run(backend: str, n: int, queries: int, profile: bool) -> dict[str, Any]:
    marker = dataset.use(backend, n)
    from django.conf import settings
    from synth import Generator

    from ratusha.orgs.models import Organisation, User
    from ratusha.search.selectors import search_documents

    page = settings.PAGE_SIZE  # what the search page asks for
    user = User.objects.get(username="bench.registrar")
    plan = Generator().queries(queries)
    for q in plan[:20]:
        search_documents(user=user, query=q["query"], limit=page)

    rows = []
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    for q in plan:
        t0 = time.perf_counter()
        res = search_documents(user=user, query=q["query"], limit=page)
        elapsed = time.perf_counter() - t0
        rows.append({**q, "seconds": elapsed, "total": res.total, "hits": len(res.hits)})
    if profiler is not None:
        profiler.disable()
        path = benchlib.RESULTS_DIR / f"{NAME}-{backend}-{benchlib.scale_label(n)}.prof"
        profiler.dump_stats(path)
        benchlib.log("profile written to", path)

    council = Organisation.objects.get(code="council")
    since = dt.date.today() - dt.timedelta(days=365)
    filtered = []
    budget_end = time.perf_counter() + FILTERED_BUDGET_S
    for q in plan[:50]:
        if time.perf_counter() > budget_end:
            break
        t0 = time.perf_counter()
        res = search_documents(user=user, query=q["query"], organisation=council, date_from=since, limit=page)
        filtered.append({**q, "seconds": time.perf_counter() - t0, "total": res.total})

    by_kind: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        by_kind[r["kind"]].append(r["seconds"])
    slowest = sorted(rows, key=lambda r: -r["seconds"])[:10]
    result = {
        "backend": backend, "documents": n, "dataset": marker, "queries": len(rows),
        "latency": benchlib.percentiles_ms([r["seconds"] for r in rows]),
        "latency_by_kind": {k: benchlib.percentiles_ms(v) for k, v in sorted(by_kind.items())},
        "latency_with_filters_org_and_last_year": benchlib.percentiles_ms([r["seconds"] for r in filtered]),
        "filtered_queries_run": f"{len(filtered)} of 50 (time budget {FILTERED_BUDGET_S} s)",
        "filtered_slowest": [{"query": r["query"], "ms": round(r["seconds"] * 1000, 1), "total": r["total"]}
                             for r in sorted(filtered, key=lambda r: -r["seconds"])[:5]],
        "matches_per_query": _spread([r["total"] for r in rows]),
        "zero_result_queries": sum(1 for r in rows if r["total"] == 0),
        "slowest": [{"query": r["query"], "kind": r["kind"], "ms": round(r["seconds"] * 1000, 1),
                     "total": r["total"]} for r in slowest],
        "all": [{"query": r["query"], "kind": r["kind"], "ms": round(r["seconds"] * 1000, 2), "total": r["total"]}
                for r in rows],
        "method": f"search_documents(user=bench.registrar, query=..., limit={page}): count of visible matches "
                  f"+ first {page} with snippets; sequential, one connection, after 20 warm-up queries",
    }
    lat = result["latency"]
    benchlib.log(f"{backend} {benchlib.scale_label(n)}: search p50 {lat['p50_ms']} ms, p95 {lat['p95_ms']} ms, "
                 f"p99 {lat['p99_ms']} ms; slowest {result['slowest'][:3]}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=benchlib.BACKENDS, default="postgresql")
    parser.add_argument("--scale", default="100k")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="cProfile the timed series into results/*.prof")
    args = parser.parse_args()
    n = benchlib.parse_scale(args.scale)
    result = run(args.backend, n, args.queries, args.profile)
    benchlib.write_result(f"{NAME}-{args.backend}-{benchlib.scale_label(n)}", result)


if __name__ == "__main__":
    main()
