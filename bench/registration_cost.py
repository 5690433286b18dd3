"""Diagnostics for benchmark 1: what one registration costs, and how long it holds the journal lock.

    .venv/bin/python bench/registration_cost.py --backend postgresql [--what-if]

One writer, no contention. For each ``document_register`` call it records: wall time, CPU time of the
Python process, CPU time of the PostgreSQL backend serving it (``/proc/<pg_backend_pid>/stat``; same
machine), SQL statements executed, and the *critical section*: from the first statement on
``registry_journalcounter`` (the counter row lock is taken there) to the end of COMMIT, with the number
of round trips inside it. With 16 writers on one journal, registrations/s can never exceed
1 / critical section, and on 2 cores never 2 / (Python CPU + database CPU) per registration.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from typing import Any

import benchlib
import registrations


def backend_cpu_s(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(backend: str, count: int, what_if: bool) -> dict[str, Any]:
    journal_id, users = registrations.setup(backend, 1)
    if what_if:
        import whatif

        whatif.apply()
    from django.db import connection
    from synth import Generator

    from ratusha.orgs.models import User
    from ratusha.registry.models import Journal
    from ratusha.registry.services import document_register

    user = User.objects.get(pk=users[0])
    journal = Journal.objects.get(pk=journal_id)
    gen = Generator(seed=5)
    today = dt.date.today()
    texts = [(gen.summary(), gen.correspondent()) for _ in range(count + 20)]
    connection.ensure_connection()
    pg_pid = None
    if backend == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pg_pid = cursor.fetchone()[0]

    current: dict[str, Any] = {}

    def wrapper(execute, sql, params, many, context):
        if "registry_journalcounter" in sql and "lock_start" not in current:
            current["lock_start"] = time.perf_counter()
        current["queries"] = current.get("queries", 0) + 1
        if "lock_start" in current and "lock_end" not in current:
            current["in_lock"] = current.get("in_lock", 0) + 1
        return execute(sql, params, many, context)

    original_commit = connection.commit

    def commit() -> None:
        original_commit()
        if "lock_start" in current and "lock_end" not in current:
            current["lock_end"] = time.perf_counter()
            current["in_lock"] = current.get("in_lock", 0) + 1  # COMMIT itself

    connection.commit = commit
    samples = []

    def register(i: int) -> None:
        summary, correspondent = texts[i]
        document_register(actor=user, journal=journal, kind="letter", summary=summary,
                          correspondent=correspondent, correspondent_index=f"c-{i}", correspondent_date=today,
                          received_date=today, delivery_method="post", access="internal", pages=2)

    with connection.execute_wrapper(wrapper):
        for i in range(20):  # warm-up
            current.clear()
            register(count + i)
        for i in range(count):
            current.clear()
            cpu0, be0, t0 = time.process_time(), backend_cpu_s(pg_pid) if pg_pid else 0.0, time.perf_counter()
            register(i)
            t1 = time.perf_counter()
            samples.append({"wall": t1 - t0, "cpu": time.process_time() - cpu0,
                            "db_cpu": (backend_cpu_s(pg_pid) - be0) if pg_pid else 0.0,
                            "lock": current.get("lock_end", t1) - current.get("lock_start", t0),
                            "queries": current.get("queries", 0), "in_lock": current.get("in_lock", 0)})
    connection.commit = original_commit

    def mean(key: str) -> float:
        return sum(s[key] for s in samples) / len(samples)

    py_ms, db_ms = mean("cpu") * 1000, mean("db_cpu") * 1000
    lock = benchlib.percentiles_ms([s["lock"] for s in samples])
    result = {
        "backend": backend, "registrations": count, "what_if": what_if,
        "wall": benchlib.percentiles_ms([s["wall"] for s in samples]),
        "python_cpu_ms_mean": round(py_ms, 3),
        "database_backend_cpu_ms_mean": round(db_ms, 3) if pg_pid else None,
        "sql_statements_per_registration": round(mean("queries"), 1),
        "round_trips_while_holding_counter_lock": round(mean("in_lock"), 1),
        "critical_section": lock,
        "ceiling_from_critical_section_per_s": round(1000 / lock["p50_ms"], 0),
        "ceiling_from_cpu_on_2_cores_per_s": round(2000 / (py_ms + db_ms), 0) if pg_pid else None,
        "note": "single writer, no contention; PostgreSQL backend CPU read from /proc (jiffies: 10 ms "
                "resolution, averaged over all calls)",
    }
    benchlib.log(f"{backend}{' what-if' if what_if else ''}: wall p50 {result['wall']['p50_ms']} ms, python CPU "
                 f"{py_ms:.2f} ms, db CPU {db_ms:.2f} ms, {result['sql_statements_per_registration']} statements, "
                 f"{result['round_trips_while_holding_counter_lock']} under the lock, critical section p50 "
                 f"{lock['p50_ms']} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=benchlib.BACKENDS, default="postgresql")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--what-if", action="store_true", help="with bench/whatif.py applied")
    args = parser.parse_args()
    result = run(args.backend, args.count, args.what_if)
    name = f"registration-cost-{args.backend}" + ("-whatif" if args.what_if else "")
    benchlib.write_result(name, result)


if __name__ == "__main__":
    main()
