"""RSS of decisions (``/decisions/feed/``) and the sitemap section «decisions»."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from ratusha.website.acts import selectors
from ratusha.website.acts.constants import FEED_ITEMS, ActKind
from ratusha.website.acts.models import PublishedAct


class ActsFeed(Feed):
    feed_type = Rss201rev2Feed
    title = _("Рішення та проєкти рішень")
    description = _("Нові рішення ради, виконавчого комітету, розпорядження та проєкти рішень, оприлюднені на "
                    "офіційному вебсайті.")
    language = "uk"

    def link(self) -> str:
        from django.urls import reverse

        return reverse("acts:list")

    def items(self) -> list[PublishedAct]:
        acts = list(selectors.listed_acts().order_by("-published_at")[:FEED_ITEMS])
        selectors.attach_pdfs(acts)
        return acts

    def item_title(self, item: PublishedAct) -> str:
        label = _("Проєкт рішення") if item.is_draft else ActKind(item.kind).label
        number = f" {item}" if item.number else ""
        return f"{label}{number}: {item.title}"

    def item_description(self, item: PublishedAct) -> str:
        if item.is_draft and item.session_date:
            return str(_("Проєкт рішення. Розгляд: %(date)s.") % {"date": f"{item.session_date:%d.%m.%Y}"})
        return item.title

    def item_link(self, item: PublishedAct) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: PublishedAct) -> str:
        return str(item.pk)

    item_guid_is_permalink = False

    def item_pubdate(self, item: PublishedAct) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: PublishedAct) -> dt.datetime | None:
        return item.content_updated_at

    def item_categories(self, item: PublishedAct) -> list[str]:
        return [item.topic.name] if item.topic_id else []

    def item_enclosures(self, item: PublishedAct) -> list[Any]:
        from django.utils.feedgenerator import Enclosure

        pdf = getattr(item, "pdf", None)
        if pdf is None:
            return []
        return [Enclosure(self._absolute(pdf.url), str(pdf.size), "application/pdf")]

    def get_object(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self._request = request
        return None

    def _absolute(self, url: str) -> str:
        request = getattr(self, "_request", None)
        return request.build_absolute_uri(url) if request is not None else url


class ActsSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 5000

    def items(self) -> Any:
        return selectors.listed_acts().order_by("-date", "pk")

    def location(self, item: PublishedAct) -> str:
        return item.get_absolute_url()

    def lastmod(self, item: PublishedAct) -> dt.datetime:
        return item.content_updated_at or item.updated_at or timezone.now()
