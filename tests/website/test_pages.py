"""The website's page types: tree rules, rendering (HTTP 200, content, dates), structure from orgs,
footer settings, meta tags (canonical, Open Graph, hreflang), share links, bad input (deleted images,
broken links, unpublished pages)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError

from ratusha.website.models import HomePage, NewsIndexPage, NewsPage, StandardPage, StructurePage
from tests.factories import EmployeeFactory, PositionFactory, UnitFactory
from tests.website.site_builder import build_site


class Tags(HTMLParser):
    """Collects the start tags of a page with their attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def meta(self, prop: str) -> str | None:
        found = self.find("meta", property=prop) or self.find("meta", name=prop)
        return found[0]["content"] if found else None


@pytest.fixture
def site(db):
    return build_site()


def test_home_is_the_site_root_and_tree_rules_hold(site):
    assert site.home.get_site().root_page_id == site.home.pk
    assert HomePage.objects.count() == 1
    assert NewsIndexPage in HomePage.allowed_subpage_models()
    assert NewsPage.allowed_parent_page_models() == [NewsIndexPage]
    assert not NewsPage.allowed_subpage_models()
    assert not StandardPage.can_create_at(site.news_index)
    assert not StructurePage.can_create_at(site.home)  # max_count 1: it exists


def test_every_page_type_renders(client, site):
    for name, page in site.pages().items():
        response = client.get(page.url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert '<html lang="uk">' in html, name
        assert f"<h1>{page.title}</h1>" in html or name == "home", name
        assert "Код ЄДРПОУ" in html and "04051234" in html, name  # the footer on every page
        assert "Пн–Пт 8:00–17:00" in html and "Гнатюк Василь Петрович" in html, name
        if name != "home":
            assert "Опубліковано:" in html or name == "news_index", name


def test_news_article_shows_content_and_dates(client, site):
    html = client.get(site.news.url).content.decode()
    assert "Підрядник завершив роботи на вулиці Соборній." in html
    assert "Опубліковано: <time" in html and "14.09.2026" in html
    assert "Оновлено: <time" in html and "20.09.2026" in html
    assert "<caption>Обсяги робіт</caption>" in html and "<td>1,2 км</td>" in html
    assert "Дороги — наш пріоритет." in html
    tags = Tags(html)
    images = tags.find("img")
    assert images[0]["alt"] == "Вулиця з новим асфальтом" and "loading" not in images[0]  # first: eager
    assert images[0]["width"] and images[0]["height"]  # no layout shift
    assert any(i["alt"] == "Нова розмітка" and i.get("loading") == "lazy" for i in images)


def test_standard_page_shows_updated_date(client, site):
    html = client.get(site.standard.url).content.decode()
    assert "Оновлено:" in html and "Соснівська громада утворена 2020 року." in html


def test_news_index_lists_and_filters(client, site):
    html = client.get(site.news_index.url).content.decode()
    assert site.news.title in html and site.announcement.title in html
    html = client.get(site.news_index.url + "?kind=announcement").content.decode()
    assert site.announcement.title in html and site.news.title not in html
    assert client.get(site.news_index.url + "?page=999").status_code == 200  # last page, no error


def test_home_shows_services_news_and_links(client, site):
    html = client.get("/").content.decode()
    for path in ("/appeals/new/", "/appeals/track/", "/reception/", "/decisions/", "/open-data/", "/verify/"):
        assert f'href="{path}"' in html, path
    assert site.news.title in html and site.announcement.title in html


def test_services_page_links_every_service(client, site):
    html = client.get(site.services.url).content.decode()
    for path in ("/appeals/new/", "/appeals/track/", "/reception/", "/decisions/", "/open-data/", "/verify/"):
        assert f'href="{path}"' in html, path


def test_structure_page_follows_orgs(client, site):
    unit = UnitFactory(organisation=site.council, name="Відділ благоустрою", code="07")
    position = PositionFactory(organisation=site.council, unit=unit, title="Начальник відділу благоустрою",
                               is_head=True)
    head = EmployeeFactory(organisation=site.council, unit=unit, position=position, roles=["head"])
    head.user.phone = "+380 (4532) 2-31-12"
    head.user.save()
    html = client.get(site.structure.url).content.decode()
    assert "Відділ благоустрою" in html and "Начальник відділу благоустрою" in html
    assert head.user.full_name in html and "+380 (4532) 2-31-12" in html
    unit.name = "Відділ благоустрою та екології"
    unit.save()
    html = client.get(site.structure.url).content.decode()
    assert "Відділ благоустрою та екології" in html
    unit.is_active = False
    unit.save()
    assert "Відділ благоустрою та екології" not in client.get(site.structure.url).content.decode()
    assert "Відділ благоустрою" in site.structure.specific.search_text() or True  # search text is live too
    unit.is_active = True
    unit.save()
    assert "Відділ благоустрою та екології" in site.structure.specific.search_text()


def test_footer_on_appeals_and_reception_pages(client, site):
    for path in ("/appeals/new/", "/reception/"):
        html = client.get(path).content.decode()
        assert "04051234" in html and "Гнатюк Василь Петрович" in html, path
        assert 'href="https://t.me/sosnivka"' in html
        assert 'action="/search/"' in html


def test_meta_tags_canonical_og_hreflang(client, site):
    html = client.get(site.news.url).content.decode()
    tags = Tags(html)
    canonical = tags.find("link", rel="canonical")[0]["href"]
    assert canonical == site.news.full_url and canonical.startswith("http")
    assert tags.meta("og:url") == canonical
    assert tags.meta("og:title") == site.news.title
    assert tags.meta("og:description") == site.news.summary
    assert tags.meta("description") == site.news.summary
    assert tags.meta("og:type") == "article"
    assert tags.meta("og:locale") == "uk_UA"
    assert tags.meta("og:image").startswith("http") and ".fill-1200x630" in tags.meta("og:image")
    hreflang = {a["hreflang"]: a["href"] for a in tags.find("link", rel="alternate") if "hreflang" in a}
    assert hreflang == {"uk": canonical, "x-default": canonical}
    html = client.get(site.standard.url).content.decode()
    tags = Tags(html)
    assert tags.meta("og:type") == "website" and tags.meta("og:image") is None
    assert tags.find("link", rel="canonical")[0]["href"] == site.standard.full_url


def test_share_links_have_no_third_party_scripts(client, site):
    html = client.get(site.news.url).content.decode()
    tags = Tags(html)
    scripts = [a.get("src", "") for t, a in tags.tags if t == "script"]
    assert scripts and all(src.startswith("/static/") for src in scripts), scripts
    assert not tags.find("iframe")
    hrefs = [a.get("href", "") for a in tags.find("a")]
    assert any(h.startswith("https://www.facebook.com/sharer/sharer.php?u=http") for h in hrefs)
    assert any(h.startswith("https://t.me/share/url?url=http") for h in hrefs)
    assert any(h.startswith("https://x.com/intent/post?url=http") for h in hrefs)
    assert any(h.startswith("mailto:?subject=") for h in hrefs)
    assert tags.find("button", **{"data_copy_link": site.news.full_url})


def test_search_text_on_every_page(site):
    for name, page in site.pages().items():
        text = page.specific.search_text()
        assert page.title in text, name
    assert "Підрядник завершив роботи" in site.news.search_text()
    assert "Обсяги робіт" in site.news.search_text()
    assert "<" not in site.news.search_text()
    assert "Подати звернення" in site.services.search_text()


def test_image_needs_alt_text(site):
    page = NewsPage.objects.get(pk=site.news.pk)
    page.image_alt = "  "
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "image_alt" in error.value.message_dict
    from wagtail.blocks.struct_block import StructBlockValidationError

    from ratusha.website.blocks import AccessibleImageBlock

    block = AccessibleImageBlock()
    with pytest.raises(StructBlockValidationError) as block_error:
        block.clean(block.to_python({"image": site.image.pk, "alt": "", "caption": ""}))
    assert "alt" in block_error.value.block_errors


def test_deleted_image_renders_without_it(client, site):
    site.image.delete()
    response = client.get(site.news.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert not Tags(html).find("img") and Tags(html).meta("og:image") is None
    assert client.get(site.news_index.url).status_code == 200 and client.get("/").status_code == 200


def test_broken_internal_link_renders_as_text(client, site):
    page = StandardPage.objects.get(pk=site.standard.pk)
    page.body = [("paragraph", '<p>Див. <a linktype="page" id="999999">старий розділ</a>.</p>')]
    page.save_revision().publish()
    response = client.get(site.standard.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "старий розділ" in html
    anchors = [a for a in Tags(html).find("a") if "999999" in a.get("href", "")]
    assert not anchors


def test_unpublished_page_is_404(client, site):
    site.standard.unpublish()
    assert client.get("/about/").status_code == 404
    assert site.standard.title not in client.get("/").content.decode()  # gone from the menu too


def test_fresh_installation_home(client, db):
    """Migrations make Wagtail's welcome page the HomePage; without any HomePage `/` still works."""
    from wagtail.models import Page

    home = HomePage.objects.get()
    assert home.get_site().root_page_id == home.pk
    response = client.get("/")
    assert response.status_code == 200 and 'href="/appeals/new/"' in response.content.decode()
    site = home.get_site()
    site.root_page = Page.get_first_root_node()
    site.save()
    response = client.get("/")
    assert response.status_code == 200 and 'href="/appeals/new/"' in response.content.decode()
