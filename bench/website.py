"""Speed of the public website (issue 5): requests per second and latency under 64 connections, cached and
uncached, for the home page, a news article and a decision page; Lighthouse (mobile) scores.

    .venv/bin/python bench/website.py [--duration 15] [--workers 4] [--skip-lighthouse]

The site runs as in production: gunicorn (sync workers) serving ``ratusha.wsgi`` with the demo data on
SQLite, in its own data dir under /tmp/ratusha-bench. Load comes from ``wrk`` (Debian's package) on the
same machine — so the numbers are for the server and the load generator sharing the machine's cores.
"Uncached" adds a unique query string to every request (a Lua script), so the anonymous page cache
never hits and every request renders the page. Lighthouse 12 (npm, installed on first use into
``bench/.node``) drives Debian's Chromium with its default mobile emulation and throttling.
Results: ``bench/results/website.json``; ``bench/report.py`` renders them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import benchlib

NODE_DIR = benchlib.BENCH_DIR / ".node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
UNCACHED_LUA = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "?nocache=" .. counter .. "-" .. math.random(1, 1000000000))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(data_dir: Path) -> None:
    env = dict(os.environ)
    marker = data_dir / "demo.done"
    if marker.exists():
        benchlib.log("demo data already loaded in", data_dir)
        return
    benchlib.log("migrating and loading the demo (first run, a few minutes)…")
    run = [sys.executable, "-m", "ratusha.cli", "manage"]
    subprocess.run([*run, "migrate", "--noinput", "-v", "0"], check=True, env=env)
    subprocess.run([*run, "demo", "--no-logins"], check=True, env=env)
    marker.write_text(time.strftime("%Y-%m-%dT%H:%M:%SZ"))


def pages() -> dict[str, str]:
    """Paths of the measured pages, read from the demo data."""
    benchlib.django_setup()
    from ratusha.website.models import NewsPage

    out = {"home": "/"}
    news = NewsPage.objects.live().order_by("-first_published_at").first()
    if news is not None:
        out["news_article"] = news.url
    try:
        from ratusha.website.acts.models import PublishedAct

        act = PublishedAct.objects.filter(status="adopted").order_by("-published_at").first()
        if act is not None:
            out["decision"] = act.get_absolute_url()
    except ImportError:
        pass
    return out


def start_server(port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ratusha.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "sync", "--log-level", "warning", "--timeout", "60"],
        env=dict(os.environ), start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not start")


def wrk(url: str, *, duration: int, connections: int, lua: Path | None) -> dict:
    cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency", url]
    if lua is not None:
        cmd[1:1] = ["-s", str(lua)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {m.group(1): _ms(m.group(2)) for m in re.finditer(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"requests_per_s": rps, "latency_ms": latency, "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else "", "raw": out}


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return round(float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)


def lighthouse(url: str, out_dir: Path) -> dict:
    if not LIGHTHOUSE.exists():
        benchlib.log("installing Lighthouse 12 into", NODE_DIR)
        NODE_DIR.mkdir(exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--prefix", str(NODE_DIR), "lighthouse@12"], check=True)
    report = out_dir / (re.sub(r"\W+", "_", url.split("//", 1)[1]) + ".json")
    env = dict(os.environ, CHROME_PATH=shutil.which("chromium") or "/usr/bin/chromium")
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                    "--only-categories=performance,accessibility,best-practices,seo",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                    "--disable-component-update --disable-sync --no-first-run"], check=True, env=env)
    data = json.loads(report.read_text())
    scores = {k: v["score"] for k, v in data["categories"].items()}
    failing = {k: [a for a in v["auditRefs"] if data["audits"][a["id"]].get("score") not in (None, 1)
                   and a.get("weight", 0) > 0] for k, v in data["categories"].items()}
    return {"scores": scores, "failing_audits": {k: [a["id"] for a in v] for k, v in failing.items() if v},
            "metrics": {m: data["audits"][m]["displayValue"] for m in
                        ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                         "cumulative-layout-shift", "speed-index") if m in data["audits"]}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--skip-lighthouse", action="store_true")
    args = parser.parse_args()
    data_dir = benchlib.data_dir_for("website", "sqlite")
    benchlib.configure(backend="sqlite", data_dir=data_dir)
    os.environ["RATUSHA_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    prepare(data_dir)
    subprocess.run([sys.executable, "-m", "ratusha.cli", "manage", "collectstatic", "--noinput", "-v", "0"],
                   check=True, env=dict(os.environ))
    targets = pages()
    port = free_port()
    server = start_server(port, args.workers)
    lua = data_dir / "uncached.lua"
    lua.write_text(UNCACHED_LUA)
    results: dict = {"config": {"server": f"gunicorn sync × {args.workers}", "connections": args.connections,
                                "duration_s": args.duration, "database": "SQLite (demo data)",
                                "load_generator": "wrk -t2 on the same machine"}, "pages": {}}
    try:
        for name, path in targets.items():
            url = f"http://127.0.0.1:{port}{path}"
            for _ in range(20):  # warm every worker's cache
                urllib.request.urlopen(url, timeout=10).read()
            benchlib.log("wrk", name, path)
            cached = wrk(url, duration=args.duration, connections=args.connections, lua=None)
            uncached = wrk(url, duration=args.duration, connections=args.connections, lua=lua)
            results["pages"][name] = {"path": path, "cached": cached, "uncached": uncached}
            benchlib.log(f"  cached {cached['requests_per_s']:.0f} rps p99 {cached['latency_ms'].get('99')} ms; "
                         f"uncached {uncached['requests_per_s']:.0f} rps p99 {uncached['latency_ms'].get('99')} ms")
        if not args.skip_lighthouse:
            out_dir = data_dir / "lighthouse"
            out_dir.mkdir(exist_ok=True)
            results["lighthouse"] = {}
            for name, path in targets.items():
                benchlib.log("lighthouse", name)
                results["lighthouse"][name] = lighthouse(f"http://127.0.0.1:{port}{path}", out_dir)
                benchlib.log("  ", results["lighthouse"][name]["scores"])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    for page in results["pages"].values():
        for mode in ("cached", "uncached"):
            page[mode].pop("raw", None)
    benchlib.write_result("website", results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
