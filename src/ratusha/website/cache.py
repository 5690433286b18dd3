"""Full-page cache of the public site for anonymous visitors (a middleware early in the chain).

What is cached: GET/HEAD responses with status 200 to requests that carry no session cookie, for public
addresses (Wagtail pages, news, decisions, open data, feeds, sitemaps) — never the staff side, forms,
tracking or the site search. A response is stored only when it is safe to replay to anybody:

* no ``Set-Cookie`` (a page that issues a CSRF cookie has a form: it is never cached) and the request
  carried no CSRF cookie either, so a cached page never holds a CSRF token;
* not ``private``/``no-store``/``no-cache``; ``Vary`` only on ``Cookie``/``Accept-Encoding`` (every
  cached variant is the cookie-less one; the language cookie is part of the key);
* **no CSP nonce.** Django adds ``'nonce-…'`` to the CSP header only when a template used the nonce.
  Replaying such a page would hand the same nonce to every visitor: anyone who reads it could inject a
  script the policy accepts — the nonce would stop meaning anything. Public pages load their scripts as
  static files (``script-src 'self'``), so they need no nonce; a page that does use one is simply not
  cached (re-stamping a fresh nonce into stored HTML would mean rewriting the body on every hit).

Invalidation: a version is part of every key; ``site_cache_clear()`` bumps it. The version has two
parts: a counter in the cache (atomic ``incr``: with a shared cache — Redis, scale mode — every process on
every machine sees it at once) and the modification time of a file in the data dir (the embedded default
keeps a per-process memory cache, so the gunicorn workers of one machine learn about a publication by one
``stat`` call per request). Pages, news and decisions call it when they are published, unpublished or moved.

Cached responses say ``Cache-Control: public, max-age=60`` and carry an ``ETag``; ``If-None-Match``
gets a 304 without touching the view.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

CACHE_ALIAS = "default"
VERSION_KEY = "ratusha:site-cache:version"
VERSION_FILE = "site-cache.version"
KEY_PREFIX = "ratusha:site-cache:page"
MAX_AGE = 60  # seconds: browsers and proxies may reuse a page this long
TIMEOUT = 10 * 60  # seconds a page stays in the server cache (publication clears it at once)
MAX_BODY_BYTES = 512 * 1024  # bigger pages are not cached (the memory cache keeps ≤ 300 entries)
HEADER = "X-Cache"

# Never cached: staff and admin, forms and personal pages, the search, machine interfaces, files.
EXCLUDED_PREFIXES = (
    "/office/", "/cms/", "/django-admin/", "/api/", "/appeals/", "/reception/", "/subscribe/", "/search/",
    "/static/", "/media/", "/documents/", "/i18n/", "/open311/", "/exchange/", "/verify/", "/healthz",
    "/metrics",
)
_ALLOWED_VARY = frozenset({"cookie", "accept-encoding", "accept-language"})
# Cookies that do not change an anonymous page (the language cookie is part of the key instead).
_HARMLESS_COOKIES = frozenset({"csrftoken"})
# Headers replayed from the stored response (the rest are per-request: Date, Set-Cookie…).
_KEEP_HEADERS = ("Content-Type", "Content-Language", "Content-Security-Policy", "Cross-Origin-Opener-Policy",
                 "Referrer-Policy", "X-Content-Type-Options", "X-Frame-Options", "Vary", "Link", "Last-Modified",
                 "Content-Disposition")


def _cache() -> Any:
    return caches[CACHE_ALIAS]


def _version_file() -> Path:
    return Path(settings.DATA_DIR) / VERSION_FILE


def _file_version() -> int:
    try:
        return os.stat(_version_file()).st_mtime_ns
    except OSError:
        return 0


def _touch_version_file() -> None:
    path = _version_file()
    try:
        stamp = max(time.time_ns(), _file_version() + 1)  # strictly newer, even within one clock tick
        path.touch(exist_ok=True)
        os.utime(path, ns=(stamp, stamp))
    except OSError:  # a read-only data dir: the cache counter alone still works for this process
        pass


def site_cache_version() -> str:
    value = _cache().get(VERSION_KEY)
    if value is None:
        _cache().add(VERSION_KEY, 1, timeout=None)
        value = _cache().get(VERSION_KEY, 1)
    return f"{int(value)}.{_file_version()}"


def site_cache_clear() -> None:
    """Forget every cached page (bump the version: old entries are never read again and expire)."""
    cache = _cache()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or it expired): start a new one
        cache.set(VERSION_KEY, 2, timeout=None)
    _touch_version_file()


def path_is_cacheable(path: str) -> bool:
    return not path.startswith(EXCLUDED_PREFIXES)


def request_is_cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if not path_is_cacheable(request.path):
        return False
    cookies = set(request.COOKIES) - _HARMLESS_COOKIES - {settings.LANGUAGE_COOKIE_NAME}
    return not cookies  # a session, messages or any other cookie: the page may be personal


def _key(request: HttpRequest, version: str) -> str:
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    raw = "\n".join([request.get_host(), request.get_full_path(), language, "https" if request.is_secure() else ""])
    return f"{KEY_PREFIX}:{version}:{hashlib.sha256(raw.encode()).hexdigest()}"


def response_is_storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "Set-Cookie" in response:
        return False
    if set(request.COOKIES) & _HARMLESS_COOKIES:  # the page may have used the CSRF token silently
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache", "max-age=0")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if not vary <= _ALLOWED_VARY:
        return False
    if "'nonce-" in response.get("Content-Security-Policy", ""):
        return False  # see the module docstring: a replayed nonce is no nonce
    return len(response.content) <= MAX_BODY_BYTES


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _public_headers(response: HttpResponse, etag: str) -> None:
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["ETag"] = etag


def _not_modified(request: HttpRequest, etag: str) -> bool:
    wanted = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not wanted:
        return False
    tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
    return "*" in tags or etag in tags


class AnonymousPageCacheMiddleware:
    """Serve and store anonymous public pages; mark responses with ``X-Cache: HIT|MISS``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request_is_cacheable(request):
            return self.get_response(request)
        cache = _cache()
        key = _key(request, site_cache_version())
        entry = cache.get(key)
        if entry is not None:
            request.site_cache_hit = True  # type: ignore[attr-defined]  # counted by audience.page_views
            return self._replay(request, entry)
        response = self.get_response(request)
        if response_is_storable(request, response):
            etag = _etag(response.content)
            headers = {h: response[h] for h in _KEEP_HEADERS if h in response}
            cache.set(key, (response.content, headers, etag), timeout=TIMEOUT)
            _public_headers(response, etag)
            response[HEADER] = "MISS"
            if _not_modified(request, etag):
                return self._304(etag)
        return response

    def _replay(self, request: HttpRequest, entry: tuple[bytes, dict[str, str], str]) -> HttpResponse:
        content, headers, etag = entry
        if _not_modified(request, etag):
            return self._304(etag)
        response = HttpResponse(b"" if request.method == "HEAD" else content)
        for name, value in headers.items():
            response[name] = value
        response["Content-Length"] = str(len(content))
        _public_headers(response, etag)
        response[HEADER] = "HIT"
        return response

    @staticmethod
    def _304(etag: str) -> HttpResponse:
        response = HttpResponseNotModified()
        _public_headers(response, etag)
        response[HEADER] = "HIT"
        return response


# --- memo of page parts -------------------------------------------------------------------------------
# What every public page repeats (the menu, the footer's facts) and the home page's lists change only when
# something is published: they are kept per process for MEMO_SECONDS and dropped at once when the site
# version changes (``site_cache_clear``). A request that misses the page cache still renders its page;
# it only skips re-reading those parts.

MEMO_SECONDS = 60
_memo: dict[tuple, tuple[float, str, Any]] = {}


def memoized(key: tuple, build: Callable[[], Any]) -> Any:
    """``build()``'s value for ``key``, kept until the site version changes or MEMO_SECONDS pass."""
    version = site_cache_version()
    now = time.monotonic()
    found = _memo.get(key)
    if found is not None and found[1] == version and now - found[0] < MEMO_SECONDS:
        return found[2]
    value = build()
    if len(_memo) > 256:
        _memo.clear()
    _memo[key] = (now, version, value)
    return value
