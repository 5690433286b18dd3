"""`check --deploy` is clean for a production-like environment, and the embedded `make run` defaults
(http://127.0.0.1) still serve plain http: no redirect to https, no HSTS, no secure-only cookies (finding 13).

Each case runs in a subprocess with the real settings module (not the test settings) and its own environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

PRODUCTION = {
    "RATUSHA_BASE_URL": "https://rada.example.ua",
    "RATUSHA_ALLOWED_HOSTS": "rada.example.ua",
    "RATUSHA_CSRF_TRUSTED_ORIGINS": "https://rada.example.ua",
    "RATUSHA_SECRET_KEY": "a-long-random-production-secret-key-" + "x7Qz9" * 10,
    # Domain-wide decisions the council takes for its domain (off by default, docs/configuration.md):
    "RATUSHA_HSTS_INCLUDE_SUBDOMAINS": "1",
    "RATUSHA_HSTS_PRELOAD": "1",
}


def _env(tmp_path: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RATUSHA_") and k != "DATABASE_URL"}
    env.update(
        {
            "PYTHONPATH": str(SRC),
            "DJANGO_SETTINGS_MODULE": "ratusha.settings",
            "RATUSHA_DATA_DIR": str(tmp_path / "data"),
        }
    )
    env.update(extra)
    return env


def test_check_deploy_is_clean_in_production_like_environment(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=_env(tmp_path, PRODUCTION),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 silenced" in result.stdout or "no issues" in result.stdout


def test_check_deploy_still_warns_when_https_is_switched_off(tmp_path):
    """The settings are real: turning them off brings Django's warnings back (the clean run is no accident)."""
    off = {
        **PRODUCTION,
        "RATUSHA_SSL_REDIRECT": "0",
        "RATUSHA_HSTS_SECONDS": "0",
        "RATUSHA_SECURE_COOKIES": "0",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=_env(tmp_path, off),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    for code in ("W004", "W008", "W012", "W016"):
        assert f"security.{code}" in result.stderr + result.stdout, code


PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import override_settings
# Not what is probed: pages render without the collected static files' manifest (`ratusha run` collects it).
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client()
health = client.get("/healthz")
login = client.get("/office/login/")
secure_health = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "ssl_redirect": settings.SECURE_SSL_REDIRECT, "hsts": settings.SECURE_HSTS_SECONDS,
    "cookie_secure": settings.SESSION_COOKIE_SECURE, "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "proxy_header": settings.SECURE_PROXY_SSL_HEADER, "xfo": settings.X_FRAME_OPTIONS,
    "health": health.status_code, "login": login.status_code,
    "login_hsts": login.get("Strict-Transport-Security"), "login_xfo": login.get("X-Frame-Options"),
    "csrf_cookie_secure": bool(login.cookies["csrftoken"]["secure"]) if "csrftoken" in login.cookies else None,
    "proxied_https_secure": secure_health.wsgi_request.is_secure(),
}))
"""


def _probe(tmp_path: Path, extra: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=_env(tmp_path, extra), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_make_run_defaults_serve_plain_http_on_loopback(tmp_path):
    """`make run` sets no RATUSHA_* for HTTPS and serves http://127.0.0.1:8000."""
    seen = _probe(tmp_path, {})
    assert seen["ssl_redirect"] is False and seen["hsts"] == 0
    assert seen["cookie_secure"] is False and seen["csrf_secure"] is False
    assert seen["proxy_header"] is None  # a client's X-Forwarded-Proto is not trusted
    assert seen["proxied_https_secure"] is False
    assert seen["health"] == 200 and seen["login"] == 200  # not a redirect to https
    assert seen["login_hsts"] is None
    assert seen["csrf_cookie_secure"] is False  # the login form works over plain http
    assert seen["login_xfo"] == "DENY"


def test_https_base_url_turns_on_the_production_defaults(tmp_path):
    seen = _probe(
        tmp_path,
        {
            "RATUSHA_BASE_URL": "https://rada.example.ua",
            "RATUSHA_ALLOWED_HOSTS": "testserver,rada.example.ua",
        },
    )
    assert seen["ssl_redirect"] is True and seen["hsts"] == 31_536_000
    assert seen["cookie_secure"] is True and seen["csrf_secure"] is True
    assert seen["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert seen["health"] == 200  # load balancers probe /healthz over plain http
    assert seen["login"] == 301  # plain http is sent to https
    assert seen["proxied_https_secure"] is True


def test_debug_keeps_plain_http_even_with_an_https_base_url(tmp_path):
    seen = _probe(tmp_path, {"RATUSHA_BASE_URL": "https://rada.example.ua", "RATUSHA_DEBUG": "1"})
    assert seen["ssl_redirect"] is False and seen["hsts"] == 0 and seen["cookie_secure"] is False
