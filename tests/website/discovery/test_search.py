"""The site search: Ukrainian inflection, kinds and dates, highlighting, paging, bad input."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ratusha.search.analysis import parse_query
from ratusha.website.audience.models import SitePageIndex
from ratusha.website.audience.services.site_index import site_index_rebuild
from ratusha.website.search import SiteHit, register_search_provider, search_providers, site_search
from tests.website.discovery.sitetree import add_news

pytestmark = pytest.mark.django_db


def titles(client, q, **params):
    response = client.get(reverse("website:search"), {"q": q, **params})
    assert response.status_code == 200, response.content[:500]
    return [item["hit"].title for item in response.context["results"]], response


@pytest.mark.parametrize(("word", "expected"), [
    ("бюджету", "Сесія ухвалила рішення про бюджет"),
    ("рішенням", "Сесія ухвалила рішення про бюджет"),
    ("школах", "Ремонт у школах міста"),
    ("школа", "Ремонт у школах міста"),
    ("тролейбусами", "Громадський транспорт"),
])
def test_inflected_words_find_pages(client, site_tree, word, expected):
    found, _ = titles(client, word)
    assert found == [expected]


def test_all_words_must_match_and_stop_words_are_dropped(client, site_tree):
    assert titles(client, "бюджет громади")[0] == ["Сесія ухвалила рішення про бюджет"]
    assert titles(client, "бюджет школи")[0] == []
    assert titles(client, "про бюджет")[0] == ["Сесія ухвалила рішення про бюджет"]


def test_result_shows_kind_date_highlight_and_keeps_the_query(client, site_tree):
    _found, response = titles(client, "школах")
    html = response.content.decode()
    assert "Оголошення" in html  # the kind label of an announcement
    date = site_tree.pages["schools"].first_published_at
    assert timezone.localtime(date).strftime("%d.%m.%Y") in html
    assert "<mark>школах</mark>" in html and "<mark>шкіл</mark>" in html
    assert 'value="школах"' in html


def test_unpublished_and_restricted_pages_leave_the_results(client, site_tree):
    page = site_tree.pages["budget"]
    page.unpublish()
    assert not SitePageIndex.objects.filter(page_id=page.pk).exists()
    assert titles(client, "бюджет")[0] == []


def test_deleted_page_leaves_the_index(client, site_tree):
    page = site_tree.pages["schools"]
    page.delete()
    assert titles(client, "школа")[0] == []


def test_new_publication_is_indexed_at_once(client, site_tree):
    add_news(site_tree.news_index, title="Нові велодоріжки", summary="Місто будує велодоріжки.", slug="bikes")
    assert titles(client, "велодоріжкою")[0] == ["Нові велодоріжки"]


def test_title_matches_rank_first(client, site_tree):
    add_news(site_tree.news_index, title="Звіт міського голови",
             summary="Голова звітував про ремонт доріг та транспорт.", slug="report")
    found, _ = titles(client, "транспорт")
    assert found == ["Громадський транспорт", "Звіт міського голови"]


def test_paging_keeps_the_query(client, site_tree):
    base = timezone.now() - dt.timedelta(days=5)
    for n in range(12):
        add_news(site_tree.news_index, title=f"Прийом громадян {n}", summary="Графік прийому.", slug=f"p{n}",
                 published=base + dt.timedelta(hours=n))
    first, response = titles(client, "прийомом")
    assert response.context["total"] == 12 and len(first) == 10
    assert "q=%D0%BF%D1%80%D0%B8%D0%B9%D0%BE%D0%BC%D0%BE%D0%BC&amp;page=2" in response.content.decode()
    second, _ = titles(client, "прийомом", page=2)
    assert len(second) == 2 and not set(first) & set(second)
    assert titles(client, "прийомом", page="999")[0] == second  # past the end: the last page
    assert titles(client, "прийомом", page="x")[0] == first


@pytest.mark.parametrize(("q", "message"), [
    ("", "Введіть слово"),
    ("   ", "Введіть слово"),
    ("%%% ### !!!", "немає слів"),
    ("бюджет " * 100, "Запит задовгий"),
])
def test_bad_queries_get_a_clear_message(client, site_tree, q, message):
    response = client.get(reverse("website:search"), {"q": q})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_query_syntax_is_just_words(client, site_tree):
    for q in ['"бюджет', "бюджет OR школа", "бюджет*", "NEAR(бюджет школа)", "'; DROP TABLE x; --", "\x00бюджет"]:
        response = client.get(reverse("website:search"), {"q": q})
        assert response.status_code in (200, 400)


def test_no_results_offers_single_words_and_sections(client, site_tree):
    response = client.get(reverse("website:search"), {"q": "бюджет космодрому"})
    html = response.content.decode()
    assert "нічого не знайдено" in html
    assert "?q=%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82" in html  # «бюджет» alone
    assert 'href="/decisions/"' in html


def test_providers_are_merged_and_a_broken_one_is_skipped(client, site_tree):
    saved = search_providers()

    def decisions(query, limit):
        return [SiteHit(kind="Рішення", title="Про бюджет громади на 2027 рік", url="/decisions/1/",
                        summary="Рішення сесії", date=dt.date(2026, 12, 20), score=1.0)]

    def broken(query, limit):
        raise RuntimeError("down")

    try:
        register_search_provider("test-decisions", decisions)
        register_search_provider("test-broken", broken)
        hits, failed = site_search(parse_query("бюджетом"))
        assert [h.title for h in hits] == ["Про бюджет громади на 2027 рік", "Сесія ухвалила рішення про бюджет"]
        assert failed == ["test-broken"]
        response = client.get(reverse("website:search"), {"q": "бюджетом"})
        assert "Рішення" in response.content.decode() and "результати можуть бути неповними" in response.content.decode()
    finally:
        from ratusha.website import search as search_module

        search_module._providers.clear()
        search_module._providers.update(saved)


def test_rebuild_service_and_command(client, site_tree):
    SitePageIndex.objects.all().delete()
    assert titles(client, "бюджет")[0] == []
    assert site_index_rebuild() == 5  # home, news index, two news items, the standard page
    assert titles(client, "бюджет")[0] == ["Сесія ухвалила рішення про бюджет"]
    from django.core.management import call_command

    call_command("site_search_rebuild")
    assert titles(client, "школах")[0] == ["Ремонт у школах міста"]
