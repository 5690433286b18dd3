"""The site search and the subscriptions together with the decisions of the "acts" part."""

import pytest
from django.urls import reverse

from ratusha.registry.constants import AccessMark
from ratusha.website.audience.models import Subscriber
from tests.smtp import SMTPServer, smtp_server  # noqa: F401 - the fixture
from tests.website.acts.conftest import _own_blob_dir, clerk, council, journals, register_act  # noqa: F401

pytestmark = pytest.mark.django_db


def test_inflected_word_finds_pages_and_decisions(client, site_tree, register_act):  # noqa: F811
    register_act("Про затвердження бюджету Тестової громади на 2027 рік")
    register_act("Про бюджетні кадрові питання", access=AccessMark.RESTRICTED)
    response = client.get(reverse("website:search"), {"q": "бюджетом"})
    assert response.status_code == 200
    found = {(item["hit"].kind, item["hit"].title) for item in response.context["results"]}
    assert ("Новина", "Сесія ухвалила рішення про бюджет") in found
    assert any(title == "Про затвердження бюджету Тестової громади на 2027 рік" for _kind, title in found)
    assert not any("кадрові" in title for _kind, title in found)


def test_a_published_decision_mails_its_subscribers(site_tree, register_act, smtp_server,  # noqa: F811
                                                    django_capture_on_commit_callbacks):
    Subscriber.objects.create(email="acts@example.org", topics=["decisions"], confirmed_at="2026-01-01T00:00:00Z")
    Subscriber.objects.create(email="news@example.org", topics=["news"], confirmed_at="2026-01-01T00:00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        register_act("Про затвердження програми благоустрою")
    mails = [m for m in smtp_server.messages if m["To"] == "acts@example.org"]
    assert len(mails) == 1 and not [m for m in smtp_server.messages if m["To"] == "news@example.org"]
    assert "Про затвердження програми благоустрою" in mails[0]["Subject"]
    assert mails[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/decisions/" in SMTPServer.text(mails[0])
