"""Shared plumbing of the benchmarks (not tests): environment, databases, machine, statistics, results.

Every benchmark script is a separate program. It calls :func:`configure` BEFORE importing anything from
Django or Ratusha: that points ``RATUSHA_DATA_DIR`` at the script's own directory under
``/tmp/ratusha-bench`` (never the project's ``var/``), selects the database (SQLite file in that data
dir, or a PostgreSQL database of the bench: ``ratusha_bench`` for the 1M dataset, ``ratusha_bench_100k``,
``ratusha_bench_reg`` for the registrations) and sets ``DJANGO_SETTINGS_MODULE=ratusha.settings``.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS_DIR = Path(os.environ.get("RATUSHA_BENCH_RESULTS", str(BENCH_DIR / "results")))
WORK_ROOT = Path(os.environ.get("RATUSHA_BENCH_ROOT", "/tmp/ratusha-bench"))
PG_HOST = os.environ.get("RATUSHA_BENCH_PGHOST", "127.0.0.1")
PG_PORT = os.environ.get("RATUSHA_BENCH_PGPORT", "5432")
PG_USER = os.environ.get("RATUSHA_BENCH_PGUSER", "postgres")
PG_DB = os.environ.get("RATUSHA_BENCH_PGDB", "ratusha_bench")
# The registration benchmark gets a database of its own, so re-running it never destroys a dataset.
PG_DB_REGISTRATIONS = PG_DB + "_reg"


def pg_url(db: str = PG_DB) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{db}"


PG_URL = pg_url()
BACKENDS = ("sqlite", "postgresql")
SCALES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}

if str(REPO_DIR / "src") not in sys.path:
    sys.path.insert(0, str(REPO_DIR / "src"))


def data_dir_for(name: str, backend: str) -> Path:
    return WORK_ROOT / f"{name}-{backend}"


def configure(*, backend: str, data_dir: Path, fresh: bool = False, pg_db: str = PG_DB) -> None:
    """Environment for ``ratusha.settings``; ``fresh`` empties the data dir (and so the SQLite DB)."""
    if backend not in BACKENDS:
        raise SystemExit(f"unknown backend {backend!r}; use one of {BACKENDS}")
    if fresh and data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["RATUSHA_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ratusha.settings"
    os.environ.setdefault("RATUSHA_LOG_LEVEL", "ERROR")
    for var in ("DATABASE_URL", "RATUSHA_DATABASE_URL"):
        os.environ.pop(var, None)
    if backend == "postgresql":
        os.environ["DATABASE_URL"] = pg_url(pg_db)


def django_setup() -> None:
    import django

    django.setup()


def psql(sql: str, *, db: str = "postgres") -> str:
    out = subprocess.run(["psql", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-d", db, "-v",
                          "ON_ERROR_STOP=1", "-Atqc", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def recreate_pg_database(db: str = PG_DB) -> None:
    psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    psql(f"CREATE DATABASE \"{db}\" TEMPLATE template0 ENCODING 'UTF8'")


def migrate() -> float:
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    return time.perf_counter() - t0


def collectstatic() -> None:
    """The manifest storage needs ``collectstatic`` in the data dir before any page renders."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def prepare_database(backend: str, pg_db: str = PG_DB) -> float:
    """Empty database + migrate (call after :func:`configure` with ``fresh=True``)."""
    if backend == "postgresql":
        recreate_pg_database(pg_db)
    django_setup()
    return migrate()


def loadavg() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


LOAD_AT_START = loadavg()


# --- machine ----------------------------------------------------------------------------------

def _run(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def cpu_probe_ms() -> float:
    """CPU time (not wall) of ``sum(range(10**6))``, best of 5: a rough gauge of how fast one core runs
    Python, mostly independent of other load, to compare runs and machines."""
    best = float("inf")
    for _ in range(5):
        t0 = time.process_time()
        sum(range(10**6))
        best = min(best, time.process_time() - t0)
    return round(best * 1000, 1)


def machine_info() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlite3

    import django

    pg = ""
    try:
        pg = psql("SHOW server_version")
    except (OSError, subprocess.CalledProcessError):
        pg = "unavailable"
    pg_settings = {}
    for name in ("shared_buffers", "work_mem", "synchronous_commit", "max_connections"):
        with suppress(OSError, subprocess.CalledProcessError):
            pg_settings[name] = psql(f"SHOW {name}")
    return {
        "cpu_probe_ms": cpu_probe_ms(),
        "nproc": _run(["nproc"]),
        "cpu_model": cpu,
        "memory": _run(["free", "-h"]),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg,
        "postgresql_settings": pg_settings,
        "sqlite": sqlite3.sqlite_version,
    }


# --- statistics -------------------------------------------------------------------------------

def percentiles_ms(seconds: list[float]) -> dict[str, float]:
    """p50/p95/p99/mean/min/max in milliseconds (inclusive method: values are real observations)."""
    if not seconds:
        return {}
    ms = sorted(s * 1000 for s in seconds)
    q = [ms[0]] * 99 if len(ms) == 1 else statistics.quantiles(ms, n=100, method="inclusive")
    return {"n": len(ms), "p50_ms": round(q[49], 2), "p95_ms": round(q[94], 2), "p99_ms": round(q[98], 2),
            "mean_ms": round(statistics.fmean(ms), 2), "min_ms": round(ms[0], 2), "max_ms": round(ms[-1], 2)}


@contextmanager
def stopwatch(store: dict[str, float], key: str):
    t0 = time.perf_counter()
    try:
        yield
    finally:
        store[key] = round(time.perf_counter() - t0, 3)


def log(*parts: Any) -> None:
    print(time.strftime("%H:%M:%SZ", time.gmtime()), *parts, flush=True)


def write_result(name: str, payload: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    payload = {"benchmark": name, "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "machine": machine_info(), "loadavg_at_start": LOAD_AT_START, "loadavg_at_end": loadavg(),
               **payload}
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
    log("wrote", path.relative_to(REPO_DIR) if path.is_relative_to(REPO_DIR) else path)
    return path


def parse_scale(value: str) -> int:
    key = value.strip().lower()
    if key in SCALES:
        return SCALES[key]
    return int(key.replace("_", ""))


def scale_label(n: int) -> str:
    for label, size in SCALES.items():
        if size == n:
            return label
    return str(n)
