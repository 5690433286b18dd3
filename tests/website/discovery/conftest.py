import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.website.discovery.sitetree import SiteTree, add_news, add_standard, build_home


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_tree(db) -> SiteTree:
    home, news_index = build_home()
    tree = SiteTree(home=home, news_index=news_index)
    base = timezone.now() - dt.timedelta(days=40)
    tree.pages["budget"] = add_news(news_index, title="Сесія ухвалила рішення про бюджет",
                                    summary="Депутати затвердили бюджет громади на наступний рік.",
                                    slug="budget", published=base)
    tree.pages["schools"] = add_news(news_index, title="Ремонт у школах міста",
                                     summary="Влітку відремонтують дахи трьох шкіл.", slug="schools",
                                     kind="announcement", published=base + dt.timedelta(days=1))
    tree.pages["transport"] = add_standard(home, title="Громадський транспорт",
                                           intro="Маршрути автобусів і тролейбусів, розклад руху.",
                                           slug="transport")
    return tree
