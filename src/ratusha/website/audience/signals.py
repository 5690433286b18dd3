"""Wagtail page signals → the site search index, the page cache and the news subscription.

Handlers hold no rules: they call services. A failure here is logged and never stops publishing
(the index can be rebuilt with ``ratusha manage site_search_rebuild``)."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

logger = logging.getLogger(__name__)


def _clear_cache() -> None:
    from ratusha.website.cache import site_cache_clear

    try:
        site_cache_clear()
    except Exception:  # noqa: BLE001 - a cache outage must not stop publishing
        logger.exception("site cache: clear failed")


def _reindex(page: Page, *, subtree: bool) -> None:
    from ratusha.website.audience.services.site_index import site_page_index, site_page_index_subtree

    try:
        if subtree:
            site_page_index_subtree(page=page)
        else:
            site_page_index(page=page)
    except Exception:  # noqa: BLE001 - see the module docstring
        logger.exception("site search index: page %s", page.pk)


def is_first_publication(page: Any) -> bool:
    return (page.first_published_at is not None and page.last_published_at is not None
            and page.first_published_at == page.last_published_at)


def notify_news_subscribers(page: Any) -> int:
    """A news item or announcement published for the first time: mail the "news" subscribers."""
    if page.__class__.__name__ != "NewsPage" or not is_first_publication(page):
        return 0
    if page.get_view_restrictions().exists():
        return 0
    from ratusha.website.audience.services.subscriptions import subscribers_notify

    return subscribers_notify(topic="news", title=page.title, url=page.get_url() or page.url_path,
                              summary=getattr(page, "summary", "") or page.search_description or "",
                              key=f"news:{page.pk}")


def on_page_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    _reindex(instance, subtree=False)
    _clear_cache()
    try:
        notify_news_subscribers(instance)
    except Exception:  # noqa: BLE001 - the announcement can be re-sent; publishing must not fail
        logger.exception("news subscription: page %s", instance.pk)


def on_page_changed(sender: Any, instance: Page, **kwargs: Any) -> None:
    _reindex(instance, subtree=True)
    _clear_cache()


def on_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page):
        from ratusha.website.audience.services.site_index import site_page_unindex

        try:
            site_page_unindex(page_id=instance.pk)
        except Exception:  # noqa: BLE001 - see the module docstring
            logger.exception("site search index: deleted page %s", instance.pk)
        _clear_cache()


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid="audience.page_published")
    page_unpublished.connect(on_page_changed, dispatch_uid="audience.page_unpublished")
    post_page_move.connect(on_page_changed, dispatch_uid="audience.page_moved")
    page_slug_changed.connect(on_page_changed, dispatch_uid="audience.page_slug")
    post_delete.connect(on_delete, dispatch_uid="audience.page_deleted")
