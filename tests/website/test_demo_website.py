"""The demo website builder on a small set of organisations: 30 news items (about a third illustrated,
with alt text), every page type, the footer settings; idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from wagtail.models import Site

from ratusha.orgs.constants import OrgKind
from ratusha.training.demo_website import load_website
from ratusha.website.models import (
    AccessibilityPage,
    ContactsPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ServicesPage,
    SiteSettings,
    StandardPage,
    StructurePage,
)
from tests.factories import OrganisationFactory


@pytest.fixture
def council(db):
    return OrganisationFactory(kind=OrgKind.CITY_COUNCIL, name="Соснівська міська рада", edrpou="04051234",
                               address="майдан Незалежності, 1", phone="+380 (4532) 2-10-01")


def test_demo_website(client, council):
    today = dt.date(2026, 11, 26)
    messages: list[str] = []
    home = load_website(log=messages.append, today=today)
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert home.title == council.name
    news = list(NewsPage.objects.live().descendant_of(home))
    assert len(news) == 30
    illustrated = [n for n in news if n.image_id]
    assert 8 <= len(illustrated) <= 12 and all(len(n.image_alt) > 20 for n in illustrated)
    assert {n.kind for n in news} == {"news", "announcement"}
    dates = sorted(n.first_published_at.date() for n in news)
    assert dates[0] >= today - dt.timedelta(days=95) and dates[-1] <= today
    for item in news:
        words = len(item.search_text().split())
        assert 120 <= words <= 330, (item.title, words)
    for model in (NewsIndexPage, StructurePage, ContactsPage, AccessibilityPage, ServicesPage):
        assert model.objects.live().descendant_of(home).count() == 1, model
    titles = set(StandardPage.objects.live().values_list("title", flat=True))
    assert {"Про громаду", "Бюджет", "Доступ до публічної інформації", "Система обліку публічної інформації",
            "Графік прийому громадян"} <= titles
    settings_obj = SiteSettings.for_site(home.get_site())
    assert settings_obj.edrpou == "04051234" and settings_obj.working_hours
    assert len(home.specific.quick_links) >= 4
    html = client.get("/").content.decode()
    assert news[0].title in html or any(n.title in html for n in news)
    assert client.get("/news/").status_code == 200
    assert client.get(illustrated[0].url).status_code == 200
    assert messages and "30" in messages[-1]

    again = load_website(log=messages.append, today=today)  # idempotent
    assert again.pk == home.pk and NewsPage.objects.count() == 30 and HomePage.objects.count() == 1
