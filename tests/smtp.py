"""A real SMTP server on loopback (aiosmtpd) for tests that check the e-mails Ratusha sends.

Use the ``smtp_server`` fixture (it also points Django's SMTP backend at the server)::

    from tests.smtp import smtp_server  # noqa: F401  (re-export the fixture in your conftest/test)

    def test_mail(smtp_server, django_capture_on_commit_callbacks):
        ...
        [message] = smtp_server.messages          # email.message.EmailMessage, policy.default
        assert message["Subject"] == "Ратуша: …"  # decoded (RFC 2047), folded lines unfolded
        assert message.get_body(("plain",)).get_content() == "…"

or, without pytest-django's ``settings``, the context manager ``running_smtp_server()``.
"""

from __future__ import annotations

import contextlib
import email
import socket
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.utils.deprecation import RemovedInDjango2028Warning


def free_port() -> int:
    """A loopback TCP port nobody listens on (also handy as a «server is down» address)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SMTPServer:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)  # (MAIL FROM, RCPT TO)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 — aiosmtpd's hook name
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.envelopes.clear()

    @staticmethod
    def text(message: EmailMessage) -> str:
        """The decoded text/plain body, line breaks as ``\\n`` (on the wire text lines end in CRLF)."""
        return message.get_body(("plain",)).get_content().replace("\r\n", "\n")

    @staticmethod
    def html(message: EmailMessage) -> str:
        return message.get_body(("html",)).get_content().replace("\r\n", "\n")


@contextlib.contextmanager
def running_smtp_server(host: str = "127.0.0.1") -> Iterator[SMTPServer]:
    from aiosmtpd.controller import Controller

    server = SMTPServer(host=host, port=free_port())
    controller = Controller(server, hostname=host, port=server.port, enable_SMTPUTF8=True)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


def _mail_settings(host: str, port: int) -> dict:
    """Settings that make Django send through the real SMTP backend to ``host:port``."""
    backend = "django.core.mail.backends.smtp.EmailBackend"
    if hasattr(django_settings, "MAILERS"):  # Django ≥ 6.1 style configuration
        return {"MAILERS": {"default": {"BACKEND": backend, "OPTIONS": {
            "host": host, "port": port, "use_tls": False, "use_ssl": False, "timeout": 10}}}}
    return {"EMAIL_BACKEND": backend, "EMAIL_HOST": host, "EMAIL_PORT": port, "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "", "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False, "EMAIL_TIMEOUT": 10}


@contextlib.contextmanager
def mail_to(host: str, port: int) -> Iterator[None]:
    """Django's default mailer sends to ``host:port`` inside the block."""
    override = override_settings(**_mail_settings(host, port))
    with warnings.catch_warnings():  # EMAIL_* settings are deprecated in Django 6.1 (MAILERS)
        warnings.simplefilter("ignore", RemovedInDjango2028Warning)
        override.enable()
    try:
        yield
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RemovedInDjango2028Warning)
            override.disable()


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    """A running loopback SMTP server; Django's e-mail goes to it for the test's duration."""
    with running_smtp_server() as server, mail_to(server.host, server.port):
        yield server


@pytest.fixture
def smtp_down() -> Iterator[int]:
    """Django's e-mail points at a loopback port where no server listens (connection refused)."""
    port = free_port()
    with mail_to("127.0.0.1", port):
        yield port
