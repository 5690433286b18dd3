"""Office pages: the list, open, mark read (POST + htmx), the header badge, the preferences form."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from ratusha.notifications.constants import DEFAULT_DELIVERY, Delivery, NotificationKind
from ratusha.notifications.models import Notification, NotificationPreference
from ratusha.notifications.selectors import preferences_for, unread_count
from ratusha.notifications.services import notifications_mark_read, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def me(olena, client):
    client.force_login(olena)
    return olena


def make(user, title="Нове доручення", url="/office/work/a/1/", kind=NotificationKind.ASSIGNMENT_ISSUED):
    return notify(recipient=user, kind=kind, title=title, url=url, body="Текст сповіщення")


def test_pages_need_sign_in(client):
    for name in ("notifications:list", "notifications:settings", "notifications:count"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_list_shows_only_own_unread_first(client, me):
    stranger = UserFactory()
    old = make(me, title="Старе прочитане")
    notifications_mark_read(user=me, ids=[old.pk])
    new = make(me, title="Свіже непрочитане")
    make(stranger, title="Чуже сповіщення")
    response = client.get(reverse("notifications:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Чуже сповіщення" not in html
    assert html.index("Свіже непрочитане") < html.index("Старе прочитане")
    assert "1 непрочитане" in html
    assert f'action="/office/notifications/{new.pk}/read/"' in html
    assert f'action="/office/notifications/{old.pk}/read/"' not in html  # read ones have no button


def test_list_is_paginated(client, me, settings):
    settings.PAGE_SIZE = 2
    for i in range(5):
        make(me, title=f"Сповіщення {i}")
    html = client.get(reverse("notifications:list"), {"page": 3}).content.decode()
    assert html.count('class="notif ') == 1
    assert "Показано 5–5 з 5" in html


def test_open_marks_read_and_redirects(client, me):
    n = make(me, url="/office/work/a/7/")
    response = client.get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/office/work/a/7/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_open_never_redirects_off_site(client, me):
    n = make(me, url="https://evil.example.com/")
    response = client.get(reverse("notifications:open", args=[n.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_others_notifications_are_404(client, me):
    theirs = make(UserFactory(), title="Чуже")
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_is_post_only_and_csrf_protected(me):
    n = make(me)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(me)
    assert csrf_client.get(reverse("notifications:read", args=[n.pk])).status_code == 405
    assert csrf_client.post(reverse("notifications:read", args=[n.pk])).status_code == 403
    assert csrf_client.post(reverse("notifications:read-all")).status_code == 403
    assert unread_count(me) == 1


def test_mark_read_plain_post_redirects_back(client, me):
    n = make(me)
    response = client.post(reverse("notifications:read", args=[n.pk]), {"page": "2"})
    assert response.status_code == 302 and response["Location"] == "/office/notifications/?page=2"
    assert unread_count(me) == 0


def test_mark_read_htmx_returns_item_and_updates_badge(client, me):
    n = make(me, title="Перше")
    make(me, title="Друге")
    response = client.post(reverse("notifications:read", args=[n.pk]), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notif-{n.pk}"' in html and "notif--unread" not in html.split('id="notif-bell"')[0]
    assert 'id="notif-bell"' in html and 'hx-swap-oob="outerHTML"' in html
    assert "1 непрочитане" in html
    assert unread_count(me) == 1


def test_mark_all_read(client, me):
    for i in range(3):
        make(me, title=f"№ {i}")
    other = make(UserFactory())
    response = client.post(reverse("notifications:read-all"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 сповіщення позначено прочитаними." in html
    assert "Непрочитаних немає" in html and "<html" not in html
    assert unread_count(me) == 0
    other.refresh_from_db()
    assert other.read_at is None
    response = client.post(reverse("notifications:read-all"), follow=True)
    assert "Непрочитаних сповіщень немає." in response.content.decode()


def test_count_fragment(client, me):
    html = client.get(reverse("notifications:count"), **HTMX).content.decode()
    assert 'id="notif-bell"' in html and "bell__count" not in html and "непрочитан" not in html
    for _ in range(3):
        make(me)
    response = client.get(reverse("notifications:count"), **HTMX)
    html = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert re.search(r'<span class="bell__count" aria-hidden="true">3</span>', html)
    assert '<span class="visually-hidden">: 3 непрочитані</span>' in html
    assert 'hx-trigger="every 60s"' in html and 'hx-get="/office/notifications/count/"' in html


def test_count_fragment_when_signed_out_asks_htmx_to_go_to_login(client):
    response = client.get(reverse("notifications:count"), **HTMX)
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("core:login")


def test_bell_in_the_office_header_costs_one_query(client, me, django_assert_num_queries):
    make(me)
    make(me)
    html = client.get(reverse("notifications:settings")).content.decode()
    header = html.split('<div class="shell">')[0]
    assert 'href="/office/notifications/"' in header and ": 2 непрочитані" in header
    from django.template import Context, Template

    template = Template("{% load notifications %}{% notification_bell %}")
    with django_assert_num_queries(1):
        template.render(Context({"user": me}))


def test_settings_form_shows_current_choices(client, me):
    NotificationPreference.objects.create(user=me, kind=NotificationKind.SIGN_REQUESTED, delivery=Delivery.OFF)
    response = client.get(reverse("notifications:settings"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") == len(NotificationKind)
    assert html.count("<legend") == len(NotificationKind)
    assert re.search(r'<input type="radio" name="sign_requested" value="off"[^>]*checked', html)
    assert re.search(r'<input type="radio" name="assignment_issued" value="immediate"[^>]*checked', html)
    assert "olena.kovalenko@rada.example.org" in html


def test_settings_form_saves(client, me):
    data = dict(DEFAULT_DELIVERY)
    data[NotificationKind.ASSIGNMENT_ISSUED] = Delivery.DIGEST
    response = client.post(reverse("notifications:settings"), data, follow=True)
    assert response.status_code == 200
    assert "Налаштування сповіщень збережено." in response.content.decode()
    assert preferences_for(me)[NotificationKind.ASSIGNMENT_ISSUED] == Delivery.DIGEST


def test_settings_form_bad_input_keeps_what_was_typed(client, me):
    data = {k: Delivery.OFF for k in NotificationKind.values}
    data[NotificationKind.ASSIGNMENT_ISSUED] = "sometimes"
    del data[NotificationKind.REPORT_SUBMITTED]
    response = client.post(reverse("notifications:settings"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Оберіть один із варіантів: одразу, у щоденному зведенні або не надсилати." in html
    assert "Оберіть, як надсилати e-mail про «Подано звіт про виконання»." in html
    assert 'href="#id_assignment_issued_0"' in html and 'id="id_assignment_issued_0"' in html
    assert 'aria-describedby="id_assignment_issued_error"' in html
    # the other choices the user made are kept
    assert re.search(r'<input type="radio" name="sign_requested" value="off"[^>]*checked', html)
    assert not NotificationPreference.objects.filter(user=me).exists()


def test_user_without_email_is_told(client):
    nobody = UserFactory(email="")
    client.force_login(nobody)
    html = client.get(reverse("notifications:settings")).content.decode()
    assert "немає адреси e-mail" in html
    assert Notification.objects.count() == 0
