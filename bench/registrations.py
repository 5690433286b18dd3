"""Benchmark 1: registrations/s with N concurrent writers into ONE journal, then 0 gaps / 0 duplicates.

Every registration is the real ``ratusha.registry.services.document_register`` (permission check,
validation, duplicate-letter check, gapless numbering under the counter lock, the card, the audit event
in the hash chain, the search-index task queued on commit). Writers are worker PROCESSES (each with its
own interpreter, ``django.setup()`` and database connection) or THREADS of one process (own connection
each, one GIL). Each writer is a different registrar of the same organisation.

    .venv/bin/python bench/registrations.py --backend postgresql --mode processes --writers 16 --count 8000

Throughput = registrations measured / (last writer's end - first writer's start); each writer first
registers one warm-up card (not timed) and then waits at a barrier so all start together.
Afterwards: the journal's numbers must be exactly 1..N (no gap, no duplicate), the counter must say N,
and ``audit_verify()`` must find the hash chain intact.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import multiprocessing as mp
import os
import threading
import time
import traceback
from typing import Any

import benchlib

NAME = "registrations"


def _texts(worker: int, n: int) -> list[tuple[str, str]]:
    from synth import Generator

    gen = Generator(seed=1000 + worker)
    return [(gen.summary(), gen.correspondent()) for _ in range(n)]


def _register_many(worker: int, user_id: Any, journal_id: Any, count: int, barrier, retries: int) -> dict:
    """Body of one writer (process or thread). Returns timings and errors."""
    from django.db import OperationalError, close_old_connections, connection

    from ratusha.orgs.models import User
    from ratusha.registry.models import Journal
    from ratusha.registry.services import document_register

    texts = _texts(worker, count + 1)
    user = User.objects.get(pk=user_id)
    journal = Journal.objects.select_related("organisation").get(pk=journal_id)
    today = dt.date.today()
    result = {"worker": worker, "ok": 0, "errors": [], "retries": 0, "latencies": []}

    def one(i: int) -> None:
        summary, correspondent = texts[i]
        for attempt in range(retries + 1):
            try:
                document_register(
                    actor=user, journal=journal, kind="letter", summary=summary, correspondent=correspondent,
                    correspondent_index=f"{worker}-{i}/{today:%y}", correspondent_date=today,
                    received_date=today, delivery_method="post", access="internal", pages=2)
                return
            except OperationalError as exc:  # SQLite "database is locked" after busy_timeout
                if attempt == retries:
                    raise
                result["retries"] += 1
                result.setdefault("retry_reasons", []).append(str(exc)[:120])
                time.sleep(0.01)

    try:
        one(count)  # warm-up: imports, first queries, prepared caches — not timed
        barrier.wait()
        result["start"] = time.monotonic()
        for i in range(count):
            t0 = time.perf_counter()
            try:
                one(i)
                result["ok"] += 1
            except Exception as exc:  # noqa: BLE001 - every failure is reported, none hidden
                result["errors"].append(f"{type(exc).__name__}: {exc}"[:300])
            result["latencies"].append(time.perf_counter() - t0)
        result["end"] = time.monotonic()
    except Exception:  # noqa: BLE001
        result["errors"].append(traceback.format_exc()[-1500:])
        with contextlib.suppress(Exception):
            barrier.abort()
    finally:
        connection.close()
        close_old_connections()
    return result


def _process_main(backend: str, data_dir: str, worker: int, user_id: Any, journal_id: Any, count: int,
                  barrier, queue, retries: int, what_if: bool) -> None:
    from pathlib import Path

    benchlib.configure(backend=backend, data_dir=Path(data_dir), pg_db=benchlib.PG_DB_REGISTRATIONS)
    benchlib.django_setup()
    if what_if:
        import whatif

        whatif.apply()
    queue.put(_register_many(worker, user_id, journal_id, count, barrier, retries))


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def setup(backend: str, writers: int):
    """Fresh database with one organisation, one incoming journal and ``writers`` registrars."""
    benchlib.configure(backend=backend, data_dir=benchlib.data_dir_for(NAME, backend), fresh=True,
                       pg_db=benchlib.PG_DB_REGISTRATIONS)
    benchlib.prepare_database(backend, pg_db=benchlib.PG_DB_REGISTRATIONS)
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from ratusha.orgs.models import Employee, Organisation, Unit, User
    from ratusha.registry.models import Journal

    org = Organisation.objects.create(kind="city_council", name="Синьогірська міська рада",
                                      short_name="Синьогірська МР", code="council")
    unit = Unit.objects.create(organisation=org, code="01", name="Загальний відділ")
    journal = Journal.objects.create(organisation=org, kind="incoming", name="Вхідні документи",
                                     index_template="{seq}/{case}", default_case_index="01-10")
    unusable = make_password(None)
    users = []
    for i in range(writers):
        user = User.objects.create(username=f"registrar{i}", first_name="Діловод", last_name=f"№{i}",
                                   password=unusable)
        Employee.objects.create(user=user, organisation=org, unit=unit, roles=["registrar"])
        users.append(user.pk)
    connection.close()
    return journal.pk, users


def verify(journal_id: Any) -> dict[str, Any]:
    from django.db.models import Count

    from ratusha.core.audit import audit_verify
    from ratusha.registry.models import Document, JournalCounter

    seqs = list(Document.objects.filter(journal_id=journal_id).order_by("seq").values_list("seq", flat=True))
    n = len(seqs)
    duplicates = (Document.objects.filter(journal_id=journal_id).values("year", "seq")
                  .annotate(c=Count("id")).filter(c__gt=1).count())
    present = set(seqs)
    gaps = [k for k in range(1, (max(seqs) if seqs else 0) + 1) if k not in present]
    counter = JournalCounter.objects.filter(journal_id=journal_id).values_list("last_number", flat=True).first()
    t0 = time.perf_counter()
    problem = audit_verify()
    return {"documents": n, "numbers_exactly_1_to_n": seqs == list(range(1, n + 1)), "gaps": len(gaps),
            "duplicates": duplicates, "counter_last_number": counter, "audit_chain_intact": problem is None,
            "audit_problem": str(problem) if problem else None,
            "audit_verify_s": round(time.perf_counter() - t0, 2)}


def run(backend: str, mode: str, writers: int, count: int, retries: int, what_if: bool = False) -> dict[str, Any]:
    journal_id, users = setup(backend, writers)
    per_worker = [count // writers + (1 if i < count % writers else 0) for i in range(writers)]
    data_dir = str(benchlib.data_dir_for(NAME, backend))
    results: list[dict] = []
    benchlib.log(f"{backend}/{mode}: {writers} writers x ~{per_worker[0]} registrations")
    if mode == "processes":
        ctx = mp.get_context("spawn")
        barrier = ctx.Barrier(writers + 1)
        queue = ctx.Queue()
        procs = [ctx.Process(target=_process_main, args=(backend, data_dir, i, users[i], journal_id,
                                                         per_worker[i], barrier, queue, retries, what_if))
                 for i in range(writers)]
        for p in procs:
            p.start()
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        cpu0 = cpu_jiffies()
        for _ in procs:
            results.append(queue.get())
        cpu1 = cpu_jiffies()
        for p in procs:
            p.join()
    else:
        if what_if:
            import whatif

            whatif.apply()
        barrier = threading.Barrier(writers + 1)
        out: list[dict] = [{} for _ in range(writers)]

        def target(i: int) -> None:
            out[i] = _register_many(i, users[i], journal_id, per_worker[i], barrier, retries)

        threads = [threading.Thread(target=target, args=(i,)) for i in range(writers)]
        for t in threads:
            t.start()
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        cpu0 = cpu_jiffies()
        for t in threads:
            t.join()
        cpu1 = cpu_jiffies()
        results = out
    ok = sum(r["ok"] for r in results)
    errors = [e for r in results for e in r["errors"]]
    starts = [r["start"] for r in results if "start" in r]
    ends = [r["end"] for r in results if "end" in r]
    wall = (max(ends) - min(starts)) if starts and ends else float("nan")
    latencies = [x for r in results for x in r["latencies"]]
    busy, total = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    cpu = {"machine_busy_fraction": round(busy / total, 3) if total else None,
           "cpu_ms_per_registration": round(busy * tick_ms / ok, 2) if ok else None,
           "note": "all CPUs of the machine (Python writers + PostgreSQL backends + anything else running)"}
    check = verify(journal_id)
    expected_total = ok + len(results)  # measured + one warm-up each
    summary = {
        "backend": backend, "mode": mode, "writers": writers, "requested": count,
        "what_if": "bench/whatif.py: lean counter UPDATE..RETURNING + audit without savepoint" if what_if else None,
        "registered_timed": ok, "wall_s": round(wall, 3), "per_second": round(ok / wall, 1) if wall else None,
        "latency": benchlib.percentiles_ms(latencies), "errors": len(errors), "error_samples": errors[:5],
        "retries": sum(r["retries"] for r in results),
        "cpu": cpu,
        "verification": check,
        "verified_ok": (check["numbers_exactly_1_to_n"] and check["gaps"] == 0 and check["duplicates"] == 0
                        and check["documents"] == expected_total and check["counter_last_number"] == expected_total
                        and check["audit_chain_intact"]),
    }
    benchlib.log(f"{backend}/{mode}: {summary['per_second']}/s wall {summary['wall_s']}s errors {len(errors)} "
                 f"verified {summary['verified_ok']} ({check})")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=benchlib.BACKENDS, default="postgresql")
    parser.add_argument("--mode", choices=("processes", "threads"), default="processes")
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--count", type=int, default=8000, help="timed registrations in total")
    parser.add_argument("--retries", type=int, default=3, help="retries on OperationalError (SQLite lock)")
    parser.add_argument("--what-if", action="store_true",
                        help="EXPERIMENT: shorter lock hold (bench/whatif.py), to size a proposed fix")
    parser.add_argument("--out", default="", help="result file name (default registrations-<backend>-<mode>)")
    args = parser.parse_args()
    summary = run(args.backend, args.mode, args.writers, args.count, args.retries, args.what_if)
    default = f"{NAME}-{args.backend}-{args.mode}" + ("-whatif" if args.what_if else "")
    if args.writers != 16:
        default += f"-{args.writers}w"
    benchlib.write_result(args.out or default, summary)


if __name__ == "__main__":
    main()
