"""Cookie-less page views: counted per path and day, no cookie or address stored, robots excluded."""

import pytest
from django.urls import reverse

from ratusha.website.audience.models import PageViewDay
from ratusha.website.audience.selectors import page_views_top
from ratusha.website.audience.services.page_views import (
    page_views_flush,
    path_is_counted,
    pending_page_views,
)

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def counts() -> dict[str, int]:
    page_views_flush()
    return {row.path: row.count for row in PageViewDay.objects.all()}


def test_views_are_counted_without_cookies_including_cache_hits(client, site_tree):
    for _ in range(3):
        response = client.get("/news/schools/?utm=x", headers={"user-agent": BROWSER})
        assert not response.cookies  # nothing set
    assert response["X-Cache"] == "HIT"
    client.get("/transport/", headers={"user-agent": BROWSER})
    assert counts() == {"/news/schools/": 3, "/transport/": 1}
    # Nothing but the path, the day and a number is stored.
    assert [f.name for f in PageViewDay._meta.get_fields()] == ["id", "path", "day", "count"]


def test_flush_adds_to_existing_rows(client, site_tree):
    client.get("/news/", headers={"user-agent": BROWSER})
    assert counts() == {"/news/": 1}
    client.get("/news/", headers={"user-agent": BROWSER})
    assert pending_page_views()  # in memory until the batch is written
    assert counts() == {"/news/": 2}
    assert PageViewDay.objects.count() == 1


@pytest.mark.parametrize("agent", ["", "Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0",
                                   "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0", "python-requests/2.32"])
def test_robots_are_not_counted(client, site_tree, agent):
    client.get("/news/", headers={"user-agent": agent})
    assert counts() == {}


def test_errors_staff_and_non_pages_are_not_counted(client, site_tree, user):
    client.get("/no-such-page/", headers={"user-agent": BROWSER})
    client.get("/robots.txt", headers={"user-agent": BROWSER})
    client.get(reverse("website:news_feed"), headers={"user-agent": BROWSER})
    client.post("/search/", headers={"user-agent": BROWSER})
    client.get("/office/login/", headers={"user-agent": BROWSER})
    assert counts() == {}
    assert not path_is_counted("/cms/pages/") and not path_is_counted("/static/ratusha/css/app.css")


def test_the_batch_is_written_after_n_views(client, site_tree, monkeypatch):
    from ratusha.website.audience.services import page_views

    monkeypatch.setattr(page_views, "PAGE_VIEW_FLUSH_EVERY", 3)
    for _ in range(3):
        client.get("/news/", headers={"user-agent": BROWSER})
    assert not pending_page_views()
    assert PageViewDay.objects.get(path="/news/").count == 3


def test_report_for_editors(client, site_tree, user):
    from django.test import RequestFactory
    from wagtail import hooks

    from ratusha.website.audience.admin_views import page_views_report

    for path, n in (("/news/", 3), ("/transport/", 1)):
        for _ in range(n):
            client.get(path, headers={"user-agent": BROWSER})
    page_views_flush()
    assert page_views_top(days=7) == [{"path": "/news/", "views": 3}, {"path": "/transport/", "views": 1}]
    request = RequestFactory().get("/cms/page-views/?days=30")
    request.user = user
    response = page_views_report(request)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'role="img"' in html
    assert html.index(">/news/<") < html.index(">/transport/<")
    labels = [str(fn().label) for fn in hooks.get_hooks("register_admin_menu_item")
              if fn.__module__.startswith("ratusha.website.audience")]
    assert labels == ["Перегляди сторінок"]
    assert reverse("audience_page_views") == "/cms/page-views/"
