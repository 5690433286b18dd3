"""The harness of the two-installation test: real installations of Ratusha on loopback, each with its own
data dir, SQLite database and secrets, a web server (``ratusha manage runserver``) and an agent process
that runs the product's services and ``exchange`` commands in that installation; and a TCP proxy that
can cut a connection in the middle. The test process only orchestrates (it opens no database of theirs,
but for copying the freshly migrated file).
"""

from __future__ import annotations

import base64
import collections
import contextlib
import hashlib
import io
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
RATUSHA = str(VENV_BIN / "ratusha")
AGENT = Path(__file__).parent / "twoinst_scripts" / "agent.py"
CONTAINER_MIME = "application/vnd.etsi.asic-e+zip"
READY_WAIT_SECONDS = 90  # a wait for a server to come up, not a test of speed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, chars: int = 6000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return "(no log)"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of an installation: none of the test run's settings (its data dir, secrets, the
    PostgreSQL URL of a CI run), so each installation has its own SQLite file and keys."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("RATUSHA_", "DJANGO_", "PYTEST_")) and k not in ("DATABASE_URL",)
    }
    env.update(PYTHONUNBUFFERED="1", RATUSHA_EXCHANGE_ALLOW_HTTP="1", RATUSHA_LOG_LEVEL="WARNING", **extra)
    return env


class Installation:
    def __init__(self, name: str, root: Path, *, code: str, edrpou: str, org_name: str) -> None:
        self.name, self.code, self.edrpou, self.org_name = name, code, edrpou, org_name
        self.dir = root / name
        self.dir.mkdir(parents=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = clean_env(RATUSHA_DATA_DIR=str(self.dir), RATUSHA_BASE_URL=self.url, TWOINST_ORG=code)
        self.server: subprocess.Popen | None = None
        self.agent: subprocess.Popen | None = None
        self.server_log = self.dir / "server.log"
        self.agent_log = self.dir / "agent.log"
        self.card: dict = {}

    @property
    def database(self) -> Path:
        return self.dir / "ratusha.sqlite3"

    def logs(self) -> str:
        return (
            f"\n--- {self.name} server log ---\n{_tail(self.server_log)}"
            f"\n--- {self.name} agent log ---\n{_tail(self.agent_log)}"
        )

    def manage(self, *args: str, timeout: int = 300) -> str:
        """``ratusha manage …`` as an administrator would run it in this installation."""
        result = subprocess.run(
            [RATUSHA, "manage", *args],
            env=self.env,
            cwd=self.dir,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, (
            f"{self.name}: ratusha manage {' '.join(args)} failed "
            f"({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
        )
        return result.stdout

    # --- the web server -----------------------------------------------------------------------------

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        assert self.server is None
        log = open(self.server_log, "a", encoding="utf-8")  # noqa: SIM115 — lives as long as the server
        self.server = subprocess.Popen(
            [RATUSHA, "manage", "runserver", f"127.0.0.1:{self.port}", "--noreload", "--skip-checks"],
            env=self.env,
            cwd=self.dir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_WAIT_SECONDS
        while True:
            assert self.server.poll() is None, f"{self.name}: the server exited\n{self.logs()}"
            try:
                with urllib.request.urlopen(self.url + "/exchange/v1/", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                pass
            assert time.monotonic() < deadline, f"{self.name}: the server did not come up\n{self.logs()}"
            time.sleep(0.2)

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
            self.server = None

    # --- the agent ----------------------------------------------------------------------------------

    def start_agent(self) -> None:
        self.launch_agent()
        self.wait_agent()

    def launch_agent(self) -> None:
        log = open(self.agent_log, "a", encoding="utf-8")  # noqa: SIM115
        self.agent = subprocess.Popen(
            [sys.executable, str(AGENT)],
            env=self.env,
            cwd=self.dir,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            encoding="utf-8",
            start_new_session=True,
        )
        log.close()

    def wait_agent(self) -> None:
        line = self.agent.stdout.readline()
        assert line and json.loads(line).get("ready"), f"{self.name}: the agent did not start\n{self.logs()}"

    def call(self, op: str, **args):
        """Run one operation in this installation (see twoinst_scripts/agent.py)."""
        assert self.agent is not None and self.agent.poll() is None, f"{self.name}: no agent\n{self.logs()}"
        self.agent.stdin.write(json.dumps({"op": op, "args": args}, ensure_ascii=False) + "\n")
        self.agent.stdin.flush()
        line = self.agent.stdout.readline()
        assert line, f"{self.name}: the agent died during {op}\n{self.logs()}"
        answer = json.loads(line)
        assert "error" not in answer, f"{self.name}: {op}({args}) failed:\n{answer['error']}\n{self.logs()}"
        return answer["ok"]

    def close(self) -> None:
        self.stop()
        if self.agent is not None:
            self.agent.stdin.close()
            try:
                self.agent.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.agent.kill()
                self.agent.wait()
            self.agent = None


def migrations_key() -> str:
    """A digest of every app's migrations (and Django's version): the migrated database depends on nothing else."""
    import django
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    for app in sorted(apps.get_app_configs(), key=lambda a: a.label):
        for path in sorted((Path(app.path) / "migrations").glob("*.py")):
            digest.update(f"{app.label}/{path.name}\0".encode() + path.read_bytes())
    return digest.hexdigest()[:24]


def prepare(a: Installation, b: Installation) -> str:
    """Both databases, migrated: one ``migrate`` (33 s here) copied for the other, and kept in the temp dir
    under the digest of the migrations, so the next run on this machine copies it too. Returns what it did."""
    cache = Path(tempfile.gettempdir()) / "ratusha-twoinst" / f"migrated-{migrations_key()}.sqlite3"
    done = "cached"
    if not cache.exists():
        a.manage("migrate", "--noinput", "-v", "0")
        cache.parent.mkdir(exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.part")
        # SQLite's backup: one consistent file, whatever is still in the write-ahead log.
        with (
            contextlib.closing(sqlite3.connect(a.database)) as src,
            contextlib.closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
        os.replace(partial, cache)
        done = "migrated"
    for inst in (a, b):
        for suffix in ("-wal", "-shm"):
            Path(str(inst.database) + suffix).unlink(missing_ok=True)
        shutil.copyfile(cache, inst.database)
    return done


# --- a TCP proxy that can break a connection ----------------------------------------------------------


class Proxy:
    """Between A and B: passes connections through, or breaks the next one as told.

    ``cut_request``: forwards the first ``n`` bytes of the request, then closes both sides;
    ``cut_response``: forwards the whole request and reads B's whole answer, then gives A only its first
    ``n`` bytes (none by default) and closes the connection (B took the package, A never heard). With B down it answers 502 with an HTML
    page, as a reverse proxy in front of a stopped application would.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.faults: collections.deque[tuple[str, int]] = collections.deque()
        self.done: list[tuple[str, int]] = []  # (fault, bytes of the request that went through)
        self._stopping = False
        threading.Thread(target=self._serve, daemon=True).start()

    def fault(self, kind: str, n: int = 0) -> None:
        self.faults.append((kind, n))

    def close(self) -> None:
        self._stopping = True
        self.listener.close()

    def _serve(self) -> None:
        while not self._stopping:
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            kind, n = self.faults.popleft() if self.faults else ("pass", 0)
            threading.Thread(target=self._handle, args=(client, kind, n), daemon=True).start()

    def _handle(self, client: socket.socket, kind: str, n: int) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=60)
        except OSError:
            # Read the request first: closing with unread bytes would reset the connection instead.
            self.done.append(("down", _read_request(client)))
            page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            client.sendall(
                b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nConnection: close\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(page), page)
            )
            _close(client)
            return
        sent = [0]
        if kind == "cut_request":
            while sent[0] < n:
                chunk = client.recv(65536)
                if not chunk:
                    break
                chunk = chunk[: n - sent[0]]
                upstream.sendall(chunk)
                sent[0] += len(chunk)
            self.done.append((kind, sent[0]))  # before A can notice
            _close(upstream, client)
            return
        up = threading.Thread(target=_pump, args=(client, upstream, sent), daemon=True)
        up.start()
        if kind == "cut_response":
            answer = b""
            while chunk := upstream.recv(65536):  # B's whole answer; only its first n bytes reach A
                answer += chunk
            if n:
                client.sendall(answer[:n])
            _close(upstream, client)
        else:
            _pump(upstream, client, [0])
            _close(upstream, client)
        up.join(timeout=60)
        self.done.append((kind, sent[0]))


def _read_request(sock: socket.socket) -> int:
    data = b""
    while b"\r\n\r\n" not in data and (chunk := sock.recv(65536)):
        data += chunk
    head, _sep, body = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length and (chunk := sock.recv(65536)):
        body += chunk
    return len(head) + 4 + len(body)


def _pump(source: socket.socket, target: socket.socket, counter: list[int]) -> None:
    try:
        while chunk := source.recv(65536):
            target.sendall(chunk)
            counter[0] += len(chunk)
    except OSError:
        pass


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


# --- talking to an installation directly (what another installation would send) --------------------


def post(url: str, data: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310 — loopback
        url + "/exchange/v1/messages", data=data, method="POST", headers={"Content-Type": CONTAINER_MIME}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 — loopback
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def b64(data: str) -> bytes:
    return base64.b64decode(data)


def tamper(data: bytes, prefix: str = "files/") -> bytes:
    """The container rewritten with one byte of its first document file flipped."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    flipped = False
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if not flipped and info.filename.startswith(prefix) and content:
                content = bytes([content[0] ^ 0x01]) + content[1:]
                flipped = True
            dst.writestr(info, content)
    assert flipped, "no file to tamper with"
    return out.getvalue()
