"""Run every benchmark at one scale on SQLite and PostgreSQL; results go to bench/results/*.json.

    .venv/bin/python bench/run_all.py --scale 100k
    .venv/bin/python bench/run_all.py --scale 1m --only dataset,search,doclist,memory --backends postgresql

Order per backend: registrations (cost of one, then 16 writers as processes and as threads; fresh
small database, independent of the scale), dataset (fresh database, N synthetic cards + timed search indexing), search, doclist, memory
(these three reuse the dataset). Each step is a separate Python process. ``--wait-idle`` waits (up to
``--idle-timeout`` s) until the 1-minute load average drops below ``--idle-load`` before each step, so
other work on the machine does not end up in the numbers; the load averages are recorded in every
result. ``bench/report.py`` turns the results into the tables of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import benchlib

STEPS = ("registrations", "dataset", "search", "doclist", "memory")


def wait_idle(limit: float, timeout: float) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        load = benchlib.loadavg()
        if load and load[0] < limit:
            return
        benchlib.log(f"waiting for an idle machine (load {load})")
        time.sleep(20)
    benchlib.log(f"machine still busy after {timeout:.0f} s (load {benchlib.loadavg()}); running anyway")


def step_commands(step: str, backend: str, scale: str, args: argparse.Namespace) -> list[list[str]]:
    py = [sys.executable]
    here = benchlib.BENCH_DIR
    if step == "registrations":
        return [py + [str(here / "registration_cost.py"), "--backend", backend]] + [
            py + [str(here / "registrations.py"), "--backend", backend, "--mode", mode,
                  "--writers", str(args.writers), "--count", str(args.registrations)]
            for mode in ("processes", "threads")]
    if step == "dataset":
        return [py + [str(here / "dataset.py"), "--backend", backend, "--scale", scale]]
    if step == "search":
        return [py + [str(here / "search.py"), "--backend", backend, "--scale", scale]]
    if step == "doclist":
        return [py + [str(here / "doclist.py"), "--backend", backend, "--scale", scale]]
    if step == "memory":
        return [py + [str(here / "memory.py"), "--backend", backend, "--scale", scale]]
    raise ValueError(step)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="100k", help="100k or 1m (or a number of cards)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--only", default=",".join(STEPS), help=f"comma-separated subset of {STEPS}")
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--registrations", type=int, default=8000, help="timed registrations per run")
    parser.add_argument("--wait-idle", action="store_true")
    parser.add_argument("--idle-load", type=float, default=0.7)
    parser.add_argument("--idle-timeout", type=float, default=900)
    args = parser.parse_args()
    steps = [s for s in args.only.split(",") if s]
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps {sorted(unknown)}")
    failures = []
    for backend in [b for b in args.backends.split(",") if b]:
        dataset_failed = False
        for step in [s for s in STEPS if s in steps]:
            if dataset_failed and step in ("search", "doclist", "memory"):
                continue
            for cmd in step_commands(step, backend, args.scale, args):
                if args.wait_idle:
                    wait_idle(args.idle_load, args.idle_timeout)
                benchlib.log("$", " ".join(cmd[1:]))
                t0 = time.perf_counter()
                rc = subprocess.call(cmd, cwd=benchlib.REPO_DIR)
                benchlib.log(f"  exit {rc} after {time.perf_counter() - t0:.0f} s")
                if rc:
                    failures.append(" ".join(cmd[1:]))
                    dataset_failed = dataset_failed or step == "dataset"
    if failures:
        benchlib.log("FAILED:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
