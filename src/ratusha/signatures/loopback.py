"""A short-lived loopback HTTP server with the installation CA's /pki/ services, from keys in memory.

Used when the web server is not running but a signature needs the installation's TSA and OCSP/CRL — the
demo loader signs its documents at B-LT this way. It answers from a snapshot of revocation statuses
taken when it starts (nothing reads the database from its thread).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ratusha.signatures.services._common import engine
from ratusha.signatures.services.ca import CAMaterial

MAX_BODY = 64 * 1024


def _handler(material: CAMaterial, statuses: dict[int, tuple[str, dt.datetime | None]]) -> type:
    revoked = [(serial, at) for serial, (status, at) in statuses.items() if status == "revoked" and at]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
            return

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            if self.path == f"/pki/{material.ca_id}.crl":
                der = engine().crl_build(ca_key=material.ca_key, ca_cert=material.ca_cert, revoked=revoked)
                self._send(200, der, "application/pkix-crl")
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            if length <= 0 or length > MAX_BODY:
                self._send(400, b"bad request", "text/plain")
                return
            body = self.rfile.read(length)
            try:
                if self.path == "/pki/tsa":
                    answer = engine().timestamp_respond(body, tsa_key=material.tsa_key, tsa_cert=material.tsa_cert)
                    self._send(200, answer, "application/timestamp-reply")
                elif self.path == f"/pki/ocsp/{material.ca_id}":
                    answer = engine().ocsp_respond(body, ca_key=material.ca_key, ca_cert=material.ca_cert,
                                                   status_of=lambda serial: statuses.get(serial, ("good", None)))
                    self._send(200, answer, "application/ocsp-response")
                else:
                    self._send(404, b"not found", "text/plain")
            except Exception:  # noqa: BLE001 - a bad request gets a 400, the server keeps running
                self._send(400, b"bad request", "text/plain")

    return Handler


@contextlib.contextmanager
def pki_server(material: CAMaterial, *, host: str = "127.0.0.1", port: int = 0,
               statuses: dict[int, tuple[str, dt.datetime | None]] | None = None) -> Iterator[str]:
    """Serve /pki/ on ``host:port`` (0: any free port) while the block runs; yields the base URL."""
    server = ThreadingHTTPServer((host, port), _handler(material, dict(statuses or {})))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="ratusha-pki-loopback", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
