"""RSS 2.0 of the site's news and announcements (``/news/feed/``): the latest 30 published items with
their publication dates, summary and the image as an enclosure."""

from __future__ import annotations

import copy
import datetime as dt
import mimetypes
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _

FEED_ITEMS = 30


class NewsFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "uk"

    request: HttpRequest

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any):
        # The URLconf holds one instance for every thread: the request goes on a per-request copy.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def title(self) -> str:
        from ratusha.appeals.emails import council_name

        return _("%(site)s — новини та оголошення") % {"site": council_name()}

    def description(self) -> str:
        return _("Новини та оголошення офіційного вебсайту")

    def link(self) -> str:
        index = self._index_page()
        return index.get_url(self.request) if index is not None else "/"

    def feed_url(self) -> str:
        return self.request.path

    def _index_page(self) -> Any:
        from ratusha.website.models import NewsIndexPage

        return NewsIndexPage.objects.live().public().order_by("path").first()

    def items(self) -> list[Any]:
        from ratusha.website.models import NewsPage

        return list(NewsPage.objects.live().public().filter(first_published_at__isnull=False)
                    .select_related("image").order_by("-first_published_at", "-pk")[:FEED_ITEMS])

    def item_title(self, item: Any) -> str:
        return item.title

    def item_description(self, item: Any) -> str:
        return (getattr(item, "summary", "") or item.search_description or "").strip()

    def item_link(self, item: Any) -> str:
        return item.get_url(self.request) or item.url_path

    def item_pubdate(self, item: Any) -> dt.datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Any) -> dt.datetime | None:
        return item.last_published_at

    def item_categories(self, item: Any) -> list[str]:
        kind = getattr(item, "get_kind_display", None)
        return [str(kind())] if callable(kind) else []

    def item_enclosures(self, item: Any) -> list[Enclosure]:
        image = getattr(item, "image", None)
        if image is None or not image.file:
            return []
        try:
            url = self.request.build_absolute_uri(image.file.url)
            length = image.file_size or image.get_file_size() or 0
        except (OSError, ValueError):  # a missing file: the item without its picture, not a 500
            return []
        mime = mimetypes.guess_type(image.file.name)[0] or "image/jpeg"
        return [Enclosure(url, str(length), mime)]
