"""The public list (filters, the Ukrainian text search), RSS, sitemap, site search provider."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from ratusha.registry.constants import AccessMark, JournalKind
from ratusha.search.analysis import parse_query
from ratusha.website.acts.models import PublishedAct, Topic
from ratusha.website.acts.selectors import latest_acts, search_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def acts(register_act):
    today = dt.date.today()
    last_year = today.replace(year=today.year - 1, month=6, day=15)
    return {
        "budget": register_act("Про затвердження бюджету Тестової громади на 2027 рік"),
        "land": register_act("Про надання дозволу на розроблення проєкту землеустрою щодо земельної ділянки",
                             kind=JournalKind.EXECUTIVE_DECISIONS),
        "school": register_act("Про організацію харчування учнів у закладах освіти", kind=JournalKind.ORDERS,
                               reg_date=last_year),
        "secret": register_act("Про бюджетні кадрові питання", access=AccessMark.RESTRICTED),
    }


def _titles(response):
    return [a.title for a in response.context["acts"]]


def test_list_newest_first_public_only(client, acts):
    response = client.get("/decisions/")
    assert response.status_code == 200
    titles = _titles(response)
    assert len(titles) == 3 and "кадрові" not in " ".join(titles)
    assert titles[-1].startswith("Про організацію харчування")  # last year's order is oldest
    text = response.content.decode()
    assert "1-VIII" in text and "PDF" in text and ("байт" in text or "КБ" in text)


@pytest.mark.parametrize("params, expected", [
    ({"kind": "executive"}, ["land"]),
    ({"kind": "order"}, ["school"]),
    ({"topic": "zemlia"}, ["land"]),
    ({"topic": "osvita"}, ["school"]),
    ({"status": "draft"}, []),
    ({"kind": "nonsense", "year": "abc"}, ["budget", "land", "school"]),  # bad values are ignored
])
def test_filters(client, acts, params, expected):
    titles = _titles(client.get("/decisions/", params))
    wanted = {PublishedAct.objects.get(document=acts[k]).title for k in expected}
    assert set(titles) == wanted


def test_year_filter(client, acts):
    year = acts["school"].reg_date.year
    titles = _titles(client.get("/decisions/", {"year": year}))
    assert titles == [PublishedAct.objects.get(document=acts["school"]).title]


def test_inflected_search_word(client, acts):
    # «бюджетом» (instrumental) finds «бюджету»; «ділянками» finds «ділянки»; restricted never found.
    assert _titles(client.get("/decisions/", {"q": "бюджетом"})) == [
        PublishedAct.objects.get(document=acts["budget"]).title]
    assert len(_titles(client.get("/decisions/", {"q": "земельними ділянками"}))) == 1
    assert _titles(client.get("/decisions/", {"q": "1-VIII"})) == [
        PublishedAct.objects.get(document=acts["budget"]).title]
    response = client.get("/decisions/", {"q": "метеорит"})
    assert response.status_code == 200 and _titles(response) == []
    assert "нічого не знайдено" in response.content.decode()


def test_site_search_provider(acts):
    hits = search_provider(parse_query("бюджетів"), 10)
    assert [h.url for h in hits] == [PublishedAct.objects.get(document=acts["budget"]).get_absolute_url()]
    assert hits[0].kind == "Рішення ради"
    from ratusha.website.search import search_providers

    assert search_providers()["decisions"] is search_provider


def test_two_clicks_list_links_to_each_decision(client, acts):
    text = client.get("/decisions/").content.decode()
    for key in ("budget", "land", "school"):
        assert PublishedAct.objects.get(document=acts[key]).get_absolute_url() in text


def test_rss_feed_parses_with_items(client, acts):
    response = client.get("/decisions/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response in a test
    items = root.findall("./channel/item")
    assert len(items) == 3
    links = {i.findtext("link") for i in items}
    budget = PublishedAct.objects.get(document=acts["budget"])
    assert f"http://testserver{budget.get_absolute_url()}" in links
    item = next(i for i in items if i.findtext("link").endswith(budget.get_absolute_url()))
    assert "бюджету" in item.findtext("title") and item.findtext("pubDate")
    enclosure = item.find("enclosure")
    assert enclosure.get("type") == "application/pdf" and enclosure.get("url").endswith("/pdf/")
    assert "кадрові" not in response.content.decode()


def test_sitemap_section_registered(acts):
    from ratusha.website.acts.feeds import ActsSitemap
    from ratusha.website.sitemaps import site_sitemaps

    assert site_sitemaps()["decisions"] is ActsSitemap
    locations = {ActsSitemap().location(item) for item in ActsSitemap().items()}
    assert locations == {PublishedAct.objects.get(document=acts[k]).get_absolute_url()
                         for k in ("budget", "land", "school")}


def test_sitemap_xml_if_served(client, acts):
    response = client.get("/sitemap-decisions.xml")
    if response.status_code == 404:  # served by the "discovery" part under a name of its choosing
        response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ET.fromstring(response.content)  # noqa: S314 - our own response in a test


def test_latest_acts_for_home(acts):
    latest = latest_acts(2)
    assert len(latest) == 2 and all(a.pdf is not None for a in latest)


def test_topics_are_a_controlled_list():
    assert list(Topic.objects.values_list("slug", flat=True)) == [
        "biudzhet", "zemlia", "osvita", "zhkh", "sotszakhyst", "mistobuduvannia", "rehuliatorni", "inshe"]
