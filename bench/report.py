"""Print the results in bench/results/*.json as the Markdown tables of docs/benchmarks.md.

    .venv/bin/python bench/report.py                               # print the tables
    .venv/bin/python bench/report.py --write docs/benchmarks.md    # replace the generated block in the doc

``--write`` replaces only the text between ``<!-- bench:tables:begin -->`` and
``<!-- bench:tables:end -->``; the analysis around it is written by hand.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

RESULTS = Path(os.environ.get("RATUSHA_BENCH_RESULTS", str(Path(__file__).resolve().parent / "results")))
SCALES = ("100k", "1m")
BACKENDS = ("sqlite", "postgresql")
LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def ok(value: float | None, limit: float, *, higher_is_better: bool = False) -> str:
    if value is None:
        return "—"
    good = value >= limit if higher_is_better else value <= limit
    return "✅" if good else "❌"


def load_note(r: dict[str, Any]) -> str:
    a, b = r.get("loadavg_at_start") or [None], r.get("loadavg_at_end") or [None]
    return f"{a[0]}→{b[0]}"


def registrations() -> list[str]:
    out = ["| database | writers | mode | registrations/s | p50 / p95 per call (ms) | numbers 1..N, gaps, dups | "
           "audit chain | machine CPU busy | target ≥ 500/s | load avg |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for backend in BACKENDS:
        for mode in ("processes", "threads", "processes-whatif", "processes-4w"):
            r = load(f"registrations-{backend}-{mode}")
            if not r:
                continue
            if mode.endswith("whatif"):
                mode = "processes, **what-if**"
            elif mode.endswith("4w"):
                mode = "processes (4 writers)"
            v = r["verification"]
            out.append(
                f"| {LABEL[backend]} | {r['writers']} | {mode} | **{r['per_second']}** | "
                f"{r['latency']['p50_ms']} / {r['latency']['p95_ms']} | "
                f"{'yes' if v['numbers_exactly_1_to_n'] else 'NO'} (N={v['documents']}), {v['gaps']}, "
                f"{v['duplicates']} | {'intact' if v['audit_chain_intact'] else 'BROKEN'} | "
                f"{round(100 * r['cpu']['machine_busy_fraction']) if r.get('cpu') else '?'} % | "
                f"{ok(r['per_second'], 500, higher_is_better=True)} | {load_note(r)} |")
    return out


def indexing() -> list[str]:
    out = ["| database | cards | bulk insert (cards/s) | **indexing `reindex_all` (cards/s)** | analysis only (cards/s) | "
           "`index_document` one by one (cards/s, p95 ms) | DB size | target ≥ 1,000/s | load avg |",
           "|---|---|---|---|---|---|---|---|---|"]
    for scale in SCALES:
        for backend in BACKENDS:
            r = load(f"dataset-{backend}-{scale}")
            if not r:
                continue
            b = r["indexing_breakdown"]
            one = b["index_document_one_by_one"]
            out.append(
                f"| {LABEL[backend]} | {r['documents']:,} | {r['insert']['per_second']:,.0f} | "
                f"**{r['indexing']['per_second']:,.0f}** ({r['indexing']['seconds']:,.0f} s) | "
                f"{b['analysis_only_python']['per_second']:,.0f} | {one['per_second']:,.0f}, "
                f"{one['latency']['p95_ms']} | {r['database_size']} | "
                f"{ok(r['indexing']['per_second'], 1000, higher_is_better=True)} | {load_note(r)} |")
    return out


def search() -> list[str]:
    out = ["| database | cards | queries | p50 (ms) | **p95 (ms)** | p99 (ms) | max (ms) | p95 with org+year filter | "
           "matches/query p50 (max) | target p95 ≤ 50 ms | load avg |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for scale in SCALES:
        for backend in BACKENDS:
            r = load(f"search-{backend}-{scale}")
            if not r:
                continue
            lat = r["latency"]
            flt = r["latency_with_filters_org_and_last_year"]
            m = r["matches_per_query"]
            runs = r.get("filtered_queries_run", "50 of 50").split()[0]
            out.append(
                f"| {LABEL[backend]} | {r['documents']:,} | {r['queries']} | {lat['p50_ms']} | **{lat['p95_ms']}** | "
                f"{lat['p99_ms']} | {lat['max_ms']} | {flt.get('p95_ms', '—')} (n={runs}) | {m['p50']:,} ({m['max']:,}) | "
                f"{ok(lat['p95_ms'], 50)} | {load_note(r)} |")
    return out


def search_by_kind() -> list[str]:
    out = ["| database | cards | query kind | n | p50 (ms) | p95 (ms) |", "|---|---|---|---|---|---|"]
    for scale in SCALES:
        for backend in BACKENDS:
            r = load(f"search-{backend}-{scale}")
            if not r:
                continue
            for kind, lat in r["latency_by_kind"].items():
                out.append(f"| {LABEL[backend]} | {r['documents']:,} | {kind} | {lat['n']} | {lat['p50_ms']} | "
                           f"{lat['p95_ms']} |")
    return out


def doclist() -> list[str]:
    out = ["| database | cards | filter | rows matching | `document_list` as the page counts: p50 / **p95** (ms) | "
           "with an exact COUNT: p50 / p95 (ms) | HTTP journal page p50 / **p95** (ms) | target p95 ≤ 100 ms |",
           "|---|---|---|---|---|---|---|---|"]
    notes = []
    for scale in SCALES:
        for backend in BACKENDS:
            r = load(f"doclist-{backend}-{scale}")
            if not r:
                continue
            notes.append(f"{LABEL[backend]} {scale}: total {r.get('count', 'exact count')}; load {load_note(r)}")
            exact = r.get("exact_count_for_comparison", {})
            for label, s in r["selector"].items():
                h = r["http"].get(label) if isinstance(r.get("http"), dict) else None
                http = f"{h['p50_ms']} / **{h['p95_ms']}**" if h and "p95_ms" in h else "—"
                e = exact.get(label)
                ex = f"{e['p50_ms']} / {e['p95_ms']} ({e['total']:,})" if e else "—"
                worst = max(s["p95_ms"], h["p95_ms"] if h and "p95_ms" in h else 0)
                out.append(f"| {LABEL[backend]} | {r['documents']:,} | {label} | {s['total']:,} | "
                           f"{s['p50_ms']} / **{s['p95_ms']}** | {ex} | {http} | {ok(worst, 100)} |")
            a = r["selector_all"]
            h = r["http"].get("all", {}) if isinstance(r.get("http"), dict) else {}
            out.append(f"| {LABEL[backend]} | {r['documents']:,} | **all samples** | | {a['p50_ms']} / **{a['p95_ms']}** "
                       f"| | {h.get('p50_ms', '—')} / **{h.get('p95_ms', '—')}** | "
                       f"{ok(max(a['p95_ms'], h.get('p95_ms', 0)), 100)} |")
    return out + [""] + [f"- {n}" for n in notes]


def registration_cost() -> list[str]:
    out = ["| database | variant | wall p50 (ms) | Python CPU (ms) | DB backend CPU (ms) | statements | "
           "round trips under the counter lock | critical section p50 (ms) | ceiling 1/critical section (/s) | "
           "ceiling from CPU on 2 cores (/s) |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for backend in BACKENDS:
        for suffix, variant in (("", "as is"), ("-whatif", "what-if (bench/whatif.py)")):
            r = load(f"registration-cost-{backend}{suffix}")
            if not r:
                continue
            out.append(f"| {LABEL[backend]} | {variant} | {r['wall']['p50_ms']} | {r['python_cpu_ms_mean']} | "
                       f"{r['database_backend_cpu_ms_mean'] if r['database_backend_cpu_ms_mean'] is not None else '(in process)'} | "
                       f"{r['sql_statements_per_registration']} | {r['round_trips_while_holding_counter_lock']} | "
                       f"{r['critical_section']['p50_ms']} | {r['ceiling_from_critical_section_per_s']:.0f} | "
                       f"{r['ceiling_from_cpu_on_2_cores_per_s'] or '—'} |")
    return out


def memory() -> list[str]:
    out = ["| database | cards | requests | worker RSS after warm-up (MB) | peak RSS VmHWM (MB) | RSS after start / "
           "after login (MB) | target ≤ 150 MB | load avg |",
           "|---|---|---|---|---|---|---|---|"]
    for scale in SCALES:
        for backend in BACKENDS:
            r = load(f"memory-{backend}-{scale}")
            if not r:
                continue
            out.append(
                f"| {LABEL[backend]} | {r['documents']:,} | {r['warmup']['requests']} "
                f"({', '.join(f'{k}: {v}' for k, v in r['warmup']['http_statuses'].items())}) | "
                f"**{r['rss_after_warmup_MB']}** | {r['peak_rss_MB']} | "
                f"{r['after_start_kB']['VmRSS'] / 1024:.1f} / {r['after_login_kB']['VmRSS'] / 1024:.1f} | "
                f"{ok(r['rss_after_warmup_MB'], 150)} | {load_note(r)} |")
    return out


def machine() -> list[str]:
    for path in sorted(RESULTS.glob("*.json")):
        m = json.loads(path.read_text()).get("machine")
        if m:
            mem = m["memory"].splitlines()[1].split()[1] if m.get("memory") else "?"
            return [f"- CPU: {m['cpu_model']}, `nproc` = {m['nproc']}; RAM {mem} (`free -h`); Linux {m['kernel']}",
                    f"- Python {m['python']}, Django {m['django']}, PostgreSQL {m['postgresql']} "
                    f"(settings {m.get('postgresql_settings')}), SQLite {m['sqlite']}"]
    return []


BEGIN, END = "<!-- bench:tables:begin -->", "<!-- bench:tables:end -->"


def tables() -> str:
    sections = [("Machine", machine()), ("1. Registrations", registrations()),
                ("1b. Cost of one registration", registration_cost()), ("2a. Indexing", indexing()),
                ("2b. Search latency", search()), ("2c. Search latency by query kind", search_by_kind()),
                ("3. Document list", doclist()), ("4. Memory", memory())]
    return "\n".join(f"### {title}\n\n" + "\n".join(lines) + "\n" for title, lines in sections)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", type=Path, help="Markdown file whose generated block is replaced")
    args = parser.parse_args()
    text = tables()
    if not args.write:
        print(text)
        return
    doc = args.write.read_text()
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    args.write.write_text(doc[:start] + "\n\n" + text + "\n" + doc[end:])
    print(f"updated {args.write}")


if __name__ == "__main__":
    main()
