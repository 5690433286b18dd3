"""Benchmark 4: resident memory of one gunicorn web worker after warm-up.

    .venv/bin/python bench/memory.py --backend postgresql --scale 100k

Starts ``python -m gunicorn ratusha.wsgi:application --workers 1 --bind 127.0.0.1:<free port>`` against
the synthetic dataset (``dataset.py``), logs in through the real login form as ``bench.registrar``,
then (loopback only) opens the start page, the journals, journal pages with filters and pages, document
cards, and ~200 searches. VmRSS / VmHWM of the WORKER process (not the master) is read from
``/proc/<pid>/status`` after start, after login and after the warm-up.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import benchlib
import dataset

NAME = "memory"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid: int) -> dict[str, int]:
    out = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        lines = fh.readlines()
    for line in lines:
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "VmSize"):
            out[key] = int(value.split()[0])  # kB
    return out


def worker_pid(master: int, timeout: float = 30) -> int:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open(f"/proc/{master}/task/{master}/children", encoding="ascii") as fh:
                children = fh.read().split()
        except OSError:
            children = []
        if children:
            return int(children[0])
        time.sleep(0.2)
    raise RuntimeError("gunicorn started no worker")


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.statuses: dict[int, int] = {}
        self.last_url = ""

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 - http://127.0.0.1 only

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(self.base + path, data=body,  # noqa: S310 - http://127.0.0.1 only
                                     headers={"Referer": self.base + path})
        return self._open(req)

    def _open(self, req) -> tuple[int, str]:
        try:
            with self.opener.open(req, timeout=60) as resp:
                status, text = resp.status, resp.read().decode("utf-8", "replace")
                self.last_url = resp.geturl()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode("utf-8", "replace")
        self.statuses[status] = self.statuses.get(status, 0) + 1
        return status, text


def login(browser: Browser, username: str, password: str) -> bool:
    status, page = browser.get("/office/login/")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not match:
        raise RuntimeError(f"login page: HTTP {status}")
    status, page = browser.post("/office/login/", {"csrfmiddlewaretoken": match.group(1), "username": username,
                                                   "password": password})
    status, page = browser.get("/office/")
    return status == 200 and "/login/" not in browser.last_url  # not redirected back to the login form


def run(backend: str, n: int, searches: int) -> dict[str, Any]:
    marker = dataset.use(backend, n)
    benchlib.collectstatic()
    from django.db import connection
    from synth import Generator
    from world import BENCH_PASSWORD, BENCH_USERNAME

    from ratusha.registry.models import Document, Journal

    journals = list(Journal.objects.filter(organisation__code__in=["council", "exec"]).values_list("pk", flat=True))
    cards = list(Document.objects.filter(organisation__code="council").order_by("-reg_date")
                 .values_list("pk", flat=True)[:30])
    queries = [q["query"] for q in Generator().queries(searches)]
    connection.close()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = benchlib.WORK_ROOT / f"gunicorn-{backend}.log"
    log_file = open(log_path, "w")  # noqa: SIM115 - closed after the server stops
    cmd = [str(benchlib.REPO_DIR / ".venv/bin/python"), "-m", "gunicorn", "ratusha.wsgi:application",
           "--workers", "1", "--bind", f"127.0.0.1:{port}", "--timeout", "120"]
    server = subprocess.Popen(cmd, cwd=benchlib.REPO_DIR, env=dict(os.environ), stdout=log_file,
                              stderr=subprocess.STDOUT)
    result: dict[str, Any] = {"backend": backend, "documents": n, "dataset": marker, "command": " ".join(cmd[1:])}
    try:
        browser = Browser(base)
        for _ in range(150):
            try:
                if browser.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        pid = worker_pid(server.pid)
        result["worker_pid"] = pid
        result["after_start_kB"] = proc_status(pid)
        result["logged_in"] = login(browser, BENCH_USERNAME, BENCH_PASSWORD)
        result["after_login_kB"] = proc_status(pid)
        t0 = time.perf_counter()
        requests = 0
        for path in ["/office/", "/office/journals/", "/office/search/"]:
            browser.get(path)
            requests += 1
        for jid in journals:
            for qs in ("", "?page=2", "?page=40", "?kind=letter&status=in_work", "?correspondent=коваленко"):
                browser.get(f"/office/journals/{jid}/" + (urllib.parse.quote(qs, safe="?=&") if qs else ""))
                requests += 1
        for pk in cards:
            browser.get(f"/office/documents/{pk}/")
            requests += 1
        for q in queries:
            browser.get("/office/search/?" + urllib.parse.urlencode({"q": q}))
            requests += 1
        for q in queries[:20]:
            browser.get("/office/search/?" + urllib.parse.urlencode({"q": q, "page": 3}))
            requests += 1
        result["warmup"] = {"requests": requests, "seconds": round(time.perf_counter() - t0, 1),
                            "http_statuses": browser.statuses}
        result["after_warmup_kB"] = proc_status(pid)
        rss_mb = result["after_warmup_kB"]["VmRSS"] / 1024
        result["rss_after_warmup_MB"] = round(rss_mb, 1)
        result["peak_rss_MB"] = round(result["after_warmup_kB"]["VmHWM"] / 1024, 1)
        result["master_rss_MB"] = round(proc_status(server.pid)["VmRSS"] / 1024, 1)
        benchlib.log(f"{backend}: worker RSS {rss_mb:.1f} MB after {requests} requests "
                     f"(peak {result['peak_rss_MB']} MB, statuses {browser.statuses})")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log_file.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=benchlib.BACKENDS, default="postgresql")
    parser.add_argument("--scale", default="100k")
    parser.add_argument("--searches", type=int, default=200)
    args = parser.parse_args()
    n = benchlib.parse_scale(args.scale)
    result = run(args.backend, n, args.searches)
    benchlib.write_result(f"{NAME}-{args.backend}-{benchlib.scale_label(n)}", result)


if __name__ == "__main__":
    main()
