"""Benchmark 3: the office document list over the synthetic dataset (see ``dataset.py``).

    .venv/bin/python bench/doclist.py --backend postgresql --scale 1m

Part A — the selector: ``ratusha.registry.selectors.document_list(user=bench.registrar, ...)`` with
several filter combinations; one sample = what a journal page needs: the total the page shows (counted
up to the cap of the page's ``CappedPaginator``, exactly if there is none) + the first
``settings.PAGE_SIZE`` rows evaluated. For comparison a shorter series with an exact ``count()``.

Part B — the real page: ``GET /office/journals/<id>/?<filters>`` through Django's test ``Client``
logged in as the same user (full middleware, view, form, paginator and template rendering).

Each combination is sampled ``--repeat`` times after one warm-up call; p50/p95/p99 per combination and
over all samples.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import Any

import benchlib
import dataset

NAME = "doclist"


def combos(user: Any) -> list[tuple[str, dict[str, Any], dict[str, str]]]:
    """(label, selector kwargs, query-string params of the journal page)."""
    from ratusha.orgs.models import Organisation
    from ratusha.registry.models import Journal

    council = Organisation.objects.get(code="council")
    executive = Organisation.objects.get(code="exec")
    exec_in = Journal.objects.get(organisation=executive, kind="incoming")
    council_in = Journal.objects.get(organisation=council, kind="incoming")
    today = dt.date.today()
    month_ago = today - dt.timedelta(days=30)
    year_ago = today - dt.timedelta(days=365)
    fmt = "%d.%m.%Y"
    return [
        ("all visible (no filter)", {}, None),
        ("organisation = city council", {"organisation": council}, None),
        ("journal = executive committee incoming", {"journal": exec_in}, {"_journal": exec_in.pk}),
        ("journal = city council incoming", {"journal": council_in}, {"_journal": council_in.pk}),
        ("journal + last 30 days", {"journal": exec_in, "date_from": month_ago, "date_to": today},
         {"_journal": exec_in.pk, "date_from": month_ago.strftime(fmt), "date_to": today.strftime(fmt)}),
        ("journal + kind=letter + status=in_work", {"journal": exec_in, "kind": "letter", "status": "in_work"},
         {"_journal": exec_in.pk, "kind": "letter", "status": "in_work"}),
        ("journal + correspondent «коваленко»", {"journal": exec_in, "correspondent": "коваленко"},
         {"_journal": exec_in.pk, "correspondent": "коваленко"}),
        ("organisation + last year + status=executed",
         {"organisation": council, "date_from": year_ago, "status": "executed"}, None),
        ("mine (registered by me or mine to execute)", {"mine": True}, None),
    ]


def page_count_cap() -> int:
    """The cap of the journal page's paginator (``core.pagination.CappedPaginator``), 0 = exact count."""
    try:
        from ratusha.core.pagination import COUNT_CAP
    except ImportError:
        return 0
    return int(COUNT_CAP)


def sample_selector(user, kwargs: dict[str, Any], page_size: int, cap: int = 0) -> tuple[float, int]:
    """One journal page's worth of work: the total (capped like the page's paginator when ``cap``)
    and the first page of rows with what the template touches."""
    from ratusha.registry.selectors import document_list

    t0 = time.perf_counter()
    qs = document_list(user=user, **kwargs)
    total = min(qs.order_by()[: cap + 1].count(), cap) if cap else qs.count()
    rows = list(qs[:page_size])
    for row in rows:  # what the template touches
        _ = (row.journal.name, row.organisation.short_name, row.executor_id and row.executor.short_name)
    return time.perf_counter() - t0, total


WHAT_IF_INDEXES = [
    # (name, columns): the order document_list sorts by, per journal and per organisation.
    ("bench_whatif_doc_journal_order", "journal_id, reg_date DESC, registered_at DESC, seq DESC"),
    ("bench_whatif_doc_org_order", "organisation_id, reg_date DESC, registered_at DESC, seq DESC"),
]


def what_if_indexes(create: bool) -> None:
    """EXPERIMENT: indexes matching ``document_list``'s ORDER BY, created in the bench database only."""
    from django.db import connection

    with connection.cursor() as cursor:
        for name, columns in WHAT_IF_INDEXES:
            if create:
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON registry_document ({columns})")
            else:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        if create and connection.vendor == "postgresql":
            cursor.execute("ANALYZE registry_document")  # SQLite: no ANALYZE, the app never runs it


def run(backend: str, n: int, repeat: int, http: bool, what_if: bool = False) -> dict[str, Any]:
    marker = dataset.use(backend, n)
    what_if_indexes(create=what_if)
    from django.conf import settings
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user = User.objects.get(username="bench.registrar")
    page_size = settings.PAGE_SIZE
    result: dict[str, Any] = {"backend": backend, "documents": n, "dataset": marker, "page_size": page_size,
                              "selector": {}, "http": {},
                              "what_if_indexes": WHAT_IF_INDEXES if what_if else None}
    all_selector: list[float] = []
    plan = combos(user)
    cap = page_count_cap()
    result["count"] = (f"capped at {cap:,} like the journal page (core.pagination.CappedPaginator)" if cap
                       else "exact count (the journal page had no capped paginator)")
    for label, kwargs, _params in plan:
        fresh = User.objects.get(pk=user.pk)  # a request gets a fresh user object (no cached roles)
        sample_selector(fresh, kwargs, page_size, cap=cap)
        samples, total = [], 0
        for _ in range(repeat):
            fresh = User.objects.get(pk=user.pk)
            seconds, total = sample_selector(fresh, kwargs, page_size, cap=cap)
            samples.append(seconds)
        all_selector.extend(samples)
        result["selector"][label] = {"total": total, **benchlib.percentiles_ms(samples)}
        benchlib.log(f"  selector {label}: {result['selector'][label]['p95_ms']} ms p95 ({total:,} rows)")
    result["selector_all"] = benchlib.percentiles_ms(all_selector)

    # For comparison: the same with an exact COUNT of every matching row.
    exact: dict[str, Any] = {}
    for label, kwargs, _params in plan:
        samples = []
        for _ in range(max(5, repeat // 4)):
            seconds, total = sample_selector(User.objects.get(pk=user.pk), kwargs, page_size, cap=0)
            samples.append(seconds)
        exact[label] = {"total": total, **benchlib.percentiles_ms(samples)}
    result["exact_count_for_comparison"] = exact

    if http:
        result["http"] = _http(plan, user, repeat)
    lat = result["selector_all"]
    benchlib.log(f"{backend} {benchlib.scale_label(n)}: document_list p50 {lat['p50_ms']} ms, "
                 f"p95 {lat['p95_ms']} ms; HTTP all {result['http'].get('all', {})}")
    return result


def _http(plan, user, repeat: int) -> dict[str, Any]:
    from urllib.parse import urlencode

    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("registry:journal", args=["00000000-0000-0000-0000-000000000000"])
    except NoReverseMatch:
        return {"skipped": "the journal page /office/journals/<id>/ does not exist yet"}
    benchlib.collectstatic()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    out: dict[str, Any] = {}
    everything: list[float] = []
    for label, _kwargs, params in plan:
        if params is None:
            continue
        params = dict(params)
        url = reverse("registry:journal", args=[params.pop("_journal")])
        if params:
            url += "?" + urlencode(params)
        response = client.get(url)
        if response.status_code != 200:
            out[label] = {"error": f"HTTP {response.status_code}", "url": url}
            continue
        samples = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            response = client.get(url)
            _ = response.content
            samples.append(time.perf_counter() - t0)
        everything.extend(samples)
        out[label] = {"url": url, "bytes": len(response.content), **benchlib.percentiles_ms(samples)}
        benchlib.log(f"  http {label}: {out[label]['p95_ms']} ms p95")
    out["all"] = benchlib.percentiles_ms(everything)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=benchlib.BACKENDS, default="postgresql")
    parser.add_argument("--scale", default="100k")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--what-if-index", action="store_true",
                        help="EXPERIMENT: add indexes matching the list's ORDER BY (dropped again after)")
    args = parser.parse_args()
    n = benchlib.parse_scale(args.scale)
    try:
        result = run(args.backend, n, args.repeat, not args.no_http, args.what_if_index)
    finally:
        if args.what_if_index:
            what_if_indexes(create=False)
    name = f"{NAME}-{args.backend}-{benchlib.scale_label(n)}" + ("-whatif" if args.what_if_index else "")
    benchlib.write_result(name, result)


if __name__ == "__main__":
    main()
