"""A small Wagtail site for the discovery and audience tests: home → news index → news items,
a standard page. Pages are published through revisions, so Wagtail's signals fire as in the admin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from wagtail.models import Locale, Page, Site


@dataclass
class SiteTree:
    home: Any
    news_index: Any
    pages: dict[str, Any] = field(default_factory=dict)


def publish(page: Any) -> Any:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def build_home() -> tuple[Any, Any]:
    from ratusha.website.models import HomePage, NewsIndexPage

    # A transactional test flushes the tree and locale that Wagtail's migrations made: plant them again.
    Locale.objects.get_or_create(language_code="uk")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Головна", slug="home-test", live=False))
    publish(home)
    site, _created = Site.objects.update_or_create(is_default_site=True, defaults={
        "hostname": "testserver", "port": 80, "root_page": home, "site_name": "Тестова громада"})
    from ratusha.website.models import SiteSettings

    SiteSettings.for_site(site)  # created now, not by the first page view (its save clears the page cache)
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()  # Wagtail's welcome page
    news_index = home.add_child(instance=NewsIndexPage(title="Новини", slug="news", live=False))
    publish(news_index)
    return home, news_index


def add_news(news_index: Any, *, title: str, summary: str, slug: str, kind: str = "news",
             published: dt.datetime | None = None, image: Any = None) -> Any:
    from ratusha.website.models import NewsPage

    page = news_index.add_child(instance=NewsPage(title=title, slug=slug, summary=summary, kind=kind, live=False,
                                                  image=image, image_alt="Фото" if image else ""))
    publish(page)
    if published is not None:  # an older item: move its dates back (as imported news would have)
        from ratusha.website.audience.services.site_index import site_page_index

        NewsPage.objects.filter(pk=page.pk).update(first_published_at=published, last_published_at=published)
        page.refresh_from_db()
        site_page_index(page=page)
    return page


def add_standard(parent: Any, *, title: str, intro: str, slug: str) -> Any:
    from ratusha.website.models import StandardPage

    page = parent.add_child(instance=StandardPage(title=title, slug=slug, intro=intro, live=False))
    return publish(page)


def now() -> dt.datetime:
    return timezone.now()
