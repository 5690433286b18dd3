"""Browser tests of the website's page templates in Chromium: axe (WCAG 2.1 A/AA + 2.2 AA) on every
page type at desktop and mobile width, no console or CSP errors, keyboard: the skip link comes first
and moves focus to the main content."""

from __future__ import annotations

import pytest

from tests.browser import CHROMIUM, SHOTS, WCAG_TAGS, chromium, new_page  # noqa: F401 (fixture)
from tests.website.site_builder import build_site

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: Wagtail's root page, locale and the editors' group (data migrations) come
    # back after the flush, for the tests that run later.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
TAGS = [*WCAG_TAGS, "wcag22aa"]


@pytest.fixture
def media_served(settings):
    settings.MEDIA_URL = "/media/"
    settings.ROOT_URLCONF = "tests.website.media_urls"


def _axe(page, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    assert page.console_errors == [], f"{name}: {page.console_errors}"
    shots = SHOTS / "website"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def test_pages_accessible_keyboard_and_mobile(chromium, live_server, media_served):  # noqa: F811
    site = build_site()
    page = new_page(chromium)
    for name, wagtail_page in site.pages().items():
        page.goto(live_server.url + wagtail_page.url)
        assert page.locator("h1").count() == 1, name
        _axe(page, name)

    # keyboard: the first Tab stop is the skip link, and it moves focus to <main>
    page.goto(live_server.url + site.news.url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # the copy-link button appears with the Clipboard API (progressive enhancement), no third-party code
    assert page.locator("[data-copy-link]").count() == 1
    hosts = page.evaluate("Array.from(document.scripts).map(s => s.src ? new URL(s.src).host : '')")
    assert set(hosts) <= {live_server.url.split("//")[1], ""}, hosts
    page.context.close()

    # mobile width: no horizontal scrolling, the service tiles and the news still there, axe clean
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="uk-UA", is_mobile=True)
    mobile = context.new_page()
    mobile.console_errors = []
    mobile.on("console", lambda m: mobile.console_errors.append(m.text) if m.type == "error" else None)
    for name in ("home", "news", "structure"):
        mobile.goto(live_server.url + site.pages()[name].url)
        overflow = mobile.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (name, overflow)
        _axe(mobile, f"{name}-mobile")
    mobile.goto(live_server.url + "/")
    assert mobile.locator(".svc-tile").count() == 6
    assert mobile.locator(".news-card").count() == 2
    context.close()
