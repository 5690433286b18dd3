"""RSS, the sitemap index and its sections, robots.txt — parsed as XML/text."""
# ruff: noqa: S314 - parsing our own responses in tests (the brief asks for xml.etree)

import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from django.urls import reverse

from ratusha.website.sitemaps import register_sitemap, site_sitemaps
from tests.website.discovery.sitetree import add_news

pytestmark = pytest.mark.django_db
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_news_feed_is_rss2_with_dates_and_summaries(client, site_tree):
    response = client.get(reverse("website:news_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    rss = ET.fromstring(response.content)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    assert channel.findtext("language") == "uk"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Ремонт у школах міста", "Сесія ухвалила рішення про бюджет"]
    first = items[0]
    assert first.findtext("description") == "Влітку відремонтують дахи трьох шкіл."
    assert first.findtext("link") == "http://testserver/news/schools/"
    assert first.findtext("guid") == "http://testserver/news/schools/"
    published = parsedate_to_datetime(first.findtext("pubDate"))
    assert published == site_tree.pages["schools"].first_published_at.replace(microsecond=0)
    assert first.findtext("category") == "Оголошення"
    assert first.find("enclosure") is None  # no image


def test_news_feed_has_at_most_30_items_newest_first(client, site_tree):
    for n in range(31):
        add_news(site_tree.news_index, title=f"Новина {n}", summary="Коротко.", slug=f"n{n}")
    rss = ET.fromstring(client.get(reverse("website:news_feed")).content)
    items = rss.find("channel").findall("item")
    assert len(items) == 30
    dates = [parsedate_to_datetime(i.findtext("pubDate")) for i in items]
    assert dates == sorted(dates, reverse=True)


def test_news_feed_encloses_the_image(client, site_tree, tmp_path, settings):
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image

    settings.MEDIA_ROOT = str(tmp_path)
    from io import BytesIO

    from PIL import Image as PILImage

    buffer = BytesIO()
    PILImage.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    image = Image(title="Фото")
    image.file.save("photo.png", ImageFile(BytesIO(buffer.getvalue()), name="photo.png"), save=False)
    image.save()
    add_news(site_tree.news_index, title="Новина з фото", summary="Є фото.", slug="photo", image=image)
    rss = ET.fromstring(client.get(reverse("website:news_feed")).content)
    item = rss.find("channel").findall("item")[0]
    enclosure = item.find("enclosure")
    assert enclosure is not None
    assert enclosure.get("type") == "image/png"
    assert enclosure.get("url").startswith("http://testserver/") and enclosure.get("url").endswith(".png")
    assert int(enclosure.get("length")) == len(buffer.getvalue())


def test_sitemap_index_lists_sections_that_list_live_pages(client, site_tree):
    site_tree.pages["budget"].unpublish()
    response = client.get(reverse("website:sitemap"))
    assert response.status_code == 200
    index = ET.fromstring(response.content)
    assert index.tag == f"{SM}sitemapindex"
    locations = [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap")]
    assert "http://testserver/sitemap-pages.xml" in locations
    section = ET.fromstring(client.get("/sitemap-pages.xml").content)
    assert section.tag == f"{SM}urlset"
    urls = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in section.findall(f"{SM}url")}
    assert "http://testserver/news/schools/" in urls and "http://testserver/transport/" in urls
    assert "http://testserver/news/budget/" not in urls
    assert urls["http://testserver/news/schools/"] == site_tree.pages["schools"].last_published_at.date().isoformat()


def test_sitemap_sections_paginate(client, site_tree):
    from django.contrib.sitemaps import Sitemap

    class Numbers(Sitemap):
        limit = 2

        def items(self):
            return ["/a/", "/b/", "/c/"]

        def location(self, item):
            return item

    saved = site_sitemaps()
    try:
        register_sitemap("numbers", Numbers)
        index = ET.fromstring(client.get(reverse("website:sitemap")).content)
        locations = [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap")]
        assert "http://testserver/sitemap-numbers.xml" in locations
        assert "http://testserver/sitemap-numbers.xml?p=2" in locations
        page2 = ET.fromstring(client.get("/sitemap-numbers.xml?p=2").content)
        assert [u.findtext(f"{SM}loc") for u in page2.findall(f"{SM}url")] == ["http://testserver/c/"]
        assert client.get("/sitemap-numbers.xml?p=9").status_code == 404
        assert client.get("/sitemap-nothing.xml").status_code == 404
    finally:
        from ratusha.website import sitemaps as module

        module._sitemaps.clear()
        module._sitemaps.update(saved)


def test_robots_txt(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for prefix in ("/office/", "/cms/", "/django-admin/", "/api/", "/appeals/track/"):
        assert f"Disallow: {prefix}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
