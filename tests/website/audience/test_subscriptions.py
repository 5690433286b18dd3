"""E-mail subscriptions end to end with a real SMTP server: double opt-in, one e-mail per news item,
one-click unsubscribe (RFC 8058), expired and forged links, the rate limit."""

import re
import time
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from ratusha.website.audience.constants import CONFIRM_SALT
from ratusha.website.audience.models import Delivery, Mailing, Subscriber
from ratusha.website.audience.services import subscribers_notify
from tests.smtp import SMTPServer
from tests.website.discovery.sitetree import add_news

pytestmark = pytest.mark.django_db(transaction=False)


def link_in(message, pattern: str) -> str:
    match = re.search(rf"http://\S+{pattern}\S+/", SMTPServer.text(message))
    assert match, SMTPServer.text(message)
    return match.group(0).removeprefix("http://127.0.0.1:8000")


def subscribe(client, email="olena@example.org", topics=("news",), **extra):
    data = {"email": email, "topics": list(topics), "consent": "on", **extra}
    return client.post(reverse("website:subscribe"), data)


def test_subscribe_confirm_notify_unsubscribe(client, site_tree, smtp_server, django_capture_on_commit_callbacks):
    assert client.get(reverse("website:subscribe")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client)
    assert response.status_code == 302 and response["Location"] == reverse("website:subscribe_sent")
    [confirmation] = smtp_server.messages
    assert confirmation["Subject"] == "Ратуша: підтвердіть підписку на розсилку"
    assert confirmation["To"] == "olena@example.org"
    assert "Новини та оголошення" in SMTPServer.text(confirmation)
    assert "Підтвердити підписку" in SMTPServer.html(confirmation)
    smtp_server.clear()

    # Unconfirmed: a news item mails nobody.
    with django_capture_on_commit_callbacks(execute=True):
        add_news(site_tree.news_index, title="Перша новина", summary="До підтвердження.", slug="first")
    assert smtp_server.messages == []

    confirm = link_in(confirmation, "/subscribe/confirm/")
    page = client.get(confirm)
    assert page.status_code == 200 and "Підтвердити підписку" in page.content.decode()
    assert Subscriber.objects.get().confirmed_at is None  # a GET (a mail scanner) confirms nothing
    done = client.post(confirm)
    assert "Підписку підтверджено" in done.content.decode()
    assert Subscriber.objects.get().topics == ["news"]

    with django_capture_on_commit_callbacks(execute=True):
        news = add_news(site_tree.news_index, title="Відкрито новий сквер", summary="Сквер на Театральній.",
                        slug="square")
    [mail] = smtp_server.messages
    assert mail["Subject"] == "Ратуша: Новина — Відкрито новий сквер"
    text = SMTPServer.text(mail)
    assert "Сквер на Театральній." in text and "http://127.0.0.1:8000/news/square/" in text
    assert "Відписатися" in SMTPServer.html(mail)
    unsubscribe = link_in(mail, "/subscribe/unsubscribe/")
    assert mail["List-Unsubscribe"] == f"<http://127.0.0.1:8000{unsubscribe}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    smtp_server.clear()

    # Republishing the same item mails nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        news.save_revision().publish()
        subscribers_notify(topic="news", title=news.title, url=news.url, summary="", key=f"news:{news.pk}")
    assert smtp_server.messages == []

    # One-click: the mail client POSTs without a CSRF token.
    one_click = Client(enforce_csrf_checks=True)
    response = one_click.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Ви відписалися" in response.content.decode()
    assert Subscriber.objects.get().unsubscribed_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        add_news(site_tree.news_index, title="Після відписки", summary="Не надсилати.", slug="after")
    assert smtp_server.messages == []


def test_unsubscribe_get_only_asks(client, db):
    subscriber = Subscriber.objects.create(email="a@example.org", topics=["news"],
                                           confirmed_at="2026-01-01T00:00:00Z")
    from ratusha.website.audience.services.subscriptions import unsubscribe_token

    response = client.get(reverse("website:unsubscribe", args=[unsubscribe_token(subscriber)]))
    assert response.status_code == 200 and "a@example.org" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None


def test_notify_decisions_only_to_their_subscribers_and_once(db, smtp_server, django_capture_on_commit_callbacks):
    Subscriber.objects.create(email="news@example.org", topics=["news"], confirmed_at="2026-01-01T00:00:00Z")
    Subscriber.objects.create(email="acts@example.org", topics=["decisions", "news"],
                              confirmed_at="2026-01-01T00:00:00Z")
    Subscriber.objects.create(email="pending@example.org", pending_topics=["decisions"])
    with django_capture_on_commit_callbacks(execute=True):
        assert subscribers_notify(topic="decisions", title="Про бюджет на 2027 рік", url="/decisions/1/",
                                  summary="Рішення № 125", key="decision:1") == 1
        assert subscribers_notify(topic="decisions", title="Про бюджет на 2027 рік", url="/decisions/1/",
                                  summary="Рішення № 125", key="decision:1") == 0
    [mail] = smtp_server.messages
    assert mail["To"] == "acts@example.org"
    assert mail["Subject"] == "Ратуша: Нове рішення — Про бюджет на 2027 рік"
    assert Mailing.objects.count() == 1 and Delivery.objects.get().sent_at is not None


@pytest.mark.parametrize("kind", ["expired", "forged", "garbage", "stale"])
def test_bad_confirmation_links_get_a_clear_page(client, db, kind):
    subscriber = Subscriber.objects.create(email="b@example.org", pending_topics=["news"], confirm_nonce="abc")
    if kind == "expired":
        with mock.patch("time.time", return_value=time.time() - 4 * 86400):
            token = signing.dumps({"s": subscriber.pk, "n": "abc"}, salt=CONFIRM_SALT, compress=True)
        message = "Термін дії посилання минув"
    elif kind == "forged":
        token = signing.dumps({"s": subscriber.pk, "n": "abc"}, salt="other", compress=True)
        message = "Посилання недійсне"
    elif kind == "garbage":
        token = "not-a-token"
        message = "Посилання недійсне"
    else:
        token = signing.dumps({"s": subscriber.pk, "n": "older"}, salt=CONFIRM_SALT, compress=True)
        message = "вже не діє"
    response = client.post(reverse("website:subscribe_confirm", args=[token]))
    assert response.status_code == 400
    assert message in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None
    bad = client.post(reverse("website:unsubscribe", args=["forged:token"]))
    assert bad.status_code == 400 and "Посилання недійсне" in bad.content.decode()


def test_form_errors_keep_input_and_say_what_is_wrong(client, db):
    response = client.post(reverse("website:subscribe"), {"email": "not-an-email", "topics": []})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="not-an-email"' in html
    assert "Перевірте адресу" in html and "Оберіть хоча б одну тему" in html and "Без згоди" in html
    assert Subscriber.objects.count() == 0


def test_rate_limit(client, db, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            assert subscribe(client, email=f"x{n}@example.org").status_code == 302
    response = subscribe(client, email="x9@example.org")
    assert response.status_code == 429 and "Забагато спроб" in response.content.decode()
    assert response["Retry-After"]
    assert len(smtp_server.messages) == 5


def test_honeypot_pretends_success_and_sends_nothing(client, db, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, website="http://spam.example")
    assert response.status_code == 302
    assert Subscriber.objects.count() == 0 and smtp_server.messages == []
