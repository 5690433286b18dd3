"""Speed of exchange between installations (issue 7): two real installations on loopback.

    .venv/bin/python bench/exchange.py [--letters 100] [--big-mb 24]

Installation A (the sender) sends letters to installation B (the recipient), which runs as in
production: gunicorn (2 sync workers) serving ``ratusha.wsgi`` on SQLite in its own data dir. A's side
runs in a ``ratusha manage shell`` process and measures, per letter of 100 KB and of 2 MB:
sealing the package (``delivery_send``: ASiC-E + CAdES over the manifest), and one outbox round trip
(A POSTs, B opens, checks the seal against its directory, stores, answers with a sealed ack, A checks
the ack and writes the delivery receipt). Then one big package (``--big-mb``) end to end, and the
peak memory (VmHWM) of B's workers. Results: ``bench/results/exchange.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import benchlib

ROOT = Path("/tmp/ratusha-bench-exchange")
RATUSHA = [sys.executable, "-m", "ratusha.cli"]

SETUP = """
import os
from django.contrib.auth import get_user_model
from ratusha.orgs.models import Employee, Organisation
from ratusha.registry.models import Journal
from ratusha.signatures.services import installation_ca_create
code, edrpou, name = os.environ["ORG_CODE"], os.environ["ORG_EDRPOU"], os.environ["ORG_NAME"]
installation_ca_create(actor=None, name=name + " ЦС", organisation_name=name)
org = Organisation.objects.create(kind="city_council", name=name, short_name=name[:40], code=code, edrpou=edrpou)
user = get_user_model().objects.create_user(username=code + "-clerk", password="bench-only-123")
Employee.objects.create(user=user, organisation=org, roles=["registrar"])
for kind in ("incoming", "outgoing"):
    Journal.objects.create(organisation=org, kind=kind, name=kind, index_template="{seq}")
"""

MEASURE = """
import json, os, statistics, time
from django.contrib.auth import get_user_model
from ratusha.exchange.models import OutboxMessage, Peer
from ratusha.exchange.services import delivery_send
from ratusha.exchange.services.outbound import outbox_send
from ratusha.registry.models import Journal
from ratusha.registry.services import FileInput, document_register

user = get_user_model().objects.get(username="council-clerk")
journal = Journal.objects.get(kind="outgoing")
peer = Peer.objects.get()

def pdf(size):
    body = os.urandom(size).hex()[:size].encode()
    return b"%PDF-1.4\\n% bench\\n" + body + b"\\n%%EOF\\n"

def run(count, size):
    seal, trip = [], []
    for i in range(count):
        doc = document_register(actor=user, journal=journal, kind="letter", summary=f"Лист {i}",
                                files=[FileInput(name=f"лист-{i}.pdf", content=pdf(size))])
        started = time.perf_counter()
        [delivery] = delivery_send(actor=user, document=doc, peers=[peer])
        seal.append(time.perf_counter() - started)
        message = OutboxMessage.objects.get(delivery=delivery)
        started = time.perf_counter()
        sent = outbox_send(pk=message.pk)
        trip.append(time.perf_counter() - started)
        assert sent.state == "sent", (sent.state, sent.last_error)
    return {"count": count, "file_bytes": size, "seal_s": seal, "round_trip_s": trip}

out = {"small": run(int(os.environ["LETTERS"]), 100_000),
       "medium": run(max(5, int(os.environ["LETTERS"]) // 10), 2_000_000),
       "big": run(1, int(os.environ["BIG_MB"]) * 1_000_000)}
print("RESULT " + json.dumps(out))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(data_dir: Path, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RATUSHA_DATABASE_URL", "DATABASE_URL")}
    env.update(RATUSHA_DATA_DIR=str(data_dir), RATUSHA_BASE_URL=f"http://127.0.0.1:{port}",
               RATUSHA_EXCHANGE_ALLOW_HTTP="1", DJANGO_SETTINGS_MODULE="ratusha.settings", **extra)
    return env


def manage(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([*RATUSHA, "manage", *args], env=env, input=stdin, text=True, capture_output=True,
                          check=False)
    if done.returncode:
        raise SystemExit(f"manage {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=100)
    parser.add_argument("--big-mb", type=int, default=24, help="one file; the registry takes up to 25 MB a file")
    args = parser.parse_args()
    shutil.rmtree(ROOT, ignore_errors=True)
    a_dir, b_dir = ROOT / "a", ROOT / "b"
    a_dir.mkdir(parents=True)
    b_dir.mkdir(parents=True)
    a_port, b_port = free_port(), free_port()
    a_env, b_env = env_for(a_dir, a_port), env_for(b_dir, b_port)
    benchlib.log("migrating A (B gets a copy of the migrated database)…")
    manage(a_env, "migrate", "--noinput", "-v0")
    shutil.copy(a_dir / "ratusha.sqlite3", b_dir / "ratusha.sqlite3")
    manage({**a_env, "ORG_CODE": "council", "ORG_EDRPOU": "04051234", "ORG_NAME": "Соснівська міська рада"},
           "shell", stdin=SETUP)
    manage({**b_env, "ORG_CODE": "vyshneva", "ORG_EDRPOU": "26350001", "ORG_NAME": "Вишнева сільська рада"},
           "shell", stdin=SETUP)
    cards = {}
    for name, env, org in (("a", a_env, "council"), ("b", b_env, "vyshneva")):
        cards[name] = Path(tempfile.mkstemp(suffix=".json", dir=ROOT)[1])
        cards[name].write_text(manage(env, "exchange", "enable", "--org", org), encoding="utf-8")
    manage(a_env, "exchange", "peer-add", str(cards["b"]))
    manage(b_env, "exchange", "peer-add", str(cards["a"]))
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "ratusha.wsgi:application", "--bind",
                               f"127.0.0.1:{b_port}", "--workers", "2", "--timeout", "120"], env=b_env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{b_port}/exchange/v1/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.3)
        benchlib.log(f"sending {args.letters} letters of 100 KB, {max(5, args.letters // 10)} of 2 MB, "
                     f"one of {args.big_mb} MB…")
        output = manage({**a_env, "LETTERS": str(args.letters), "BIG_MB": str(args.big_mb)}, "shell",
                        stdin=MEASURE)
        raw = json.loads(output.split("RESULT ", 1)[1])
        workers = [int(p) for p in subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                                   text=True, check=False).stdout.split()]
        peak_mb = max((vm_hwm_kb(pid) for pid in workers), default=0) / 1024
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    results = {}
    for key, run in raw.items():
        total = sum(run["round_trip_s"])
        results[key] = {"letters": run["count"], "file_bytes": run["file_bytes"],
                        "seal_ms": benchlib.percentiles_ms(run["seal_s"]),
                        "round_trip_ms": benchlib.percentiles_ms(run["round_trip_s"]),
                        "packages_per_second_serial": round(run["count"] / total, 1) if total else None}
    payload = {"recipient": "gunicorn 2 sync workers, SQLite",
               "results": results, "recipient_worker_peak_rss_mb": round(peak_mb, 1)}
    path = benchlib.write_result("exchange", payload)
    benchlib.log(json.dumps(results, indent=1))
    benchlib.log(f"peak RSS of B's workers: {peak_mb:.0f} MB; written {path}")


if __name__ == "__main__":
    main()
