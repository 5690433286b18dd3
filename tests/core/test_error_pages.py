"""Error pages in Ukrainian, in the look of where they happen: 400, 403, 404, 500 and the CSRF failure page,
which keeps what a person typed (finding 11, 13)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

APPEAL_TEXT = "Прошу відремонтувати ліхтар біля будинку № 5.\nТемно з жовтня <script>alert(1)</script>"


def _csrf_client(**cookies) -> Client:
    client = Client(enforce_csrf_checks=True)
    for name, value in cookies.items():
        client.cookies[name] = value
    return client


def _post_appeal(client: Client, **extra):
    data = {
        "last_name": "Шевченко",
        "first_name": "Тарас",
        "text": APPEAL_TEXT,
        "consent": "on",
        "password": "мій-таємний-пароль",
        "csrfmiddlewaretoken": "stale-token",
        **extra,
    }
    return client.post("/appeals/new/", data)


def test_appeal_without_the_csrf_cookie_gets_a_ukrainian_page_with_the_typed_text():
    response = _post_appeal(_csrf_client())
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="uk">' in html
    assert "Форму не надіслано" in html and "Як дозволити файли cookie" in html
    assert "site-header" in html  # the public site's look
    # The text is shown back, escaped, in a field that can be copied, and carried in the resend form.
    escaped = "Темно з жовтня &lt;script&gt;alert(1)&lt;/script&gt;"
    assert escaped in html and "<script>alert(1)" not in html
    assert re.search(r'<textarea id="kept-\d+" rows="8" readonly>Прошу відремонтувати', html)
    assert (
        'name="text" value="Прошу відремонтувати ліхтар біля будинку № 5.\nТемно з жовтня &lt;script&gt;'
        in html
    )
    assert 'value="Шевченко"' in html
    # Never the password, never the stale token; a fresh token in the resend form.
    assert "мій-таємний-пароль" not in html and 'name="password"' not in html
    assert "stale-token" not in html
    assert html.count('name="csrfmiddlewaretoken"') == 1
    assert "csrftoken" in response.cookies  # the fresh cookie goes with the page
    assert "Надіслати ще раз" in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    # No cookie at all: the page says cookies may be blocked.
    assert "можливо, вони заблоковані" in html
    assert "DEBUG" not in html


def test_the_form_submission_token_is_resent_but_not_shown_as_typed_text():
    response = _post_appeal(_csrf_client(), _submission="WY2zV_P6c0RtwqJlHokKh_kxdMYO5Whg")
    html = response.content.decode()
    assert '<input type="hidden" name="_submission" value="WY2zV_P6c0RtwqJlHokKh_kxdMYO5Whg">' in html
    assert ">_submission<" not in html and 'readonly>WY2zV' not in html and 'value="WY2zV_P6c0RtwqJlHokKh_kxdMYO5Whg" readonly' not in html


def test_the_resend_form_works_with_the_fresh_token():
    client = _csrf_client(sessionid="expired")  # cookies allowed, the form was open too long
    first = _post_appeal(client)
    assert first.status_code == 403
    assert "можливо, вони заблоковані" not in first.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first.content.decode()).group(1)
    resend = {
        name: value
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)">', first.content.decode()
        )
    }
    assert resend["csrfmiddlewaretoken"] == token and resend["last_name"] == "Шевченко"
    second = client.post("/appeals/new/", resend)
    assert second.status_code != 403  # past the CSRF check: the appeals form answers (its own validation)


def test_a_second_failure_without_cookies_says_they_are_blocked_and_offers_only_copying():
    client = _csrf_client()
    first = _post_appeal(client)
    client.cookies.clear()  # the browser refused the fresh cookie
    second = _post_appeal(client, _ratusha_csrf_retry="1")
    html = second.content.decode()
    assert second.status_code == 403
    assert "Ваш браузер блокує файли cookie" in html and "повторне надсилання не вдасться" in html
    assert "Надіслати ще раз" not in html  # resending cannot succeed
    assert "Прошу відремонтувати ліхтар" in html  # still there to copy
    assert first.status_code == 403


def test_attached_files_are_named_not_echoed_and_must_be_chosen_again():
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("фото ліхтаря.jpg", b"SECRET-FILE-BYTES", content_type="image/jpeg")
    response = _post_appeal(_csrf_client(), files=upload)
    html = response.content.decode()
    assert "фото ліхтаря.jpg" in html and "Файли потрібно буде обрати ще раз" in html
    assert "SECRET-FILE-BYTES" not in html


def test_the_csrf_page_in_english_keeps_the_text():
    client = _csrf_client(django_language="en")
    response = _post_appeal(client)
    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="en">' in html
    assert "Прошу відремонтувати ліхтар" in html
    assert "мій-таємний-пароль" not in html
    assert "DEBUG" not in html and "CSRF verification failed" not in html


def test_office_csrf_failure_has_the_office_look_and_never_echoes_the_password():
    response = _csrf_client().post(
        "/office/login/", {"username": "clerk", "password": "hunter2-secret", "csrfmiddlewaretoken": "x"}
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "auth-page" in html and "site-header" not in html
    assert 'value="clerk"' in html
    assert "hunter2-secret" not in html and 'name="password"' not in html
    assert 'href="/office/"' in html


def test_bad_request_is_ukrainian_for_public_and_office(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    public = client.get("/", HTTP_HOST="evil.example")  # DisallowedHost → 400
    assert public.status_code == 400
    html = public.content.decode()
    assert "Неправильний запит" in html and "Bad Request" not in html


@pytest.mark.parametrize(
    "path, look", [("/appeals/raise-400/", "site-header"), ("/office/raise-400/", "auth-page")]
)
def test_400_and_403_pages_take_the_look_of_their_path(rf, path, look):
    from ratusha.core import error_views

    request = rf.get(path)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    for view, status, title in (
        (error_views.bad_request, 400, "Неправильний запит"),
        (error_views.permission_denied, 403, "Доступ заборонено"),
    ):
        response = view(request, None)
        html = response.content.decode()
        assert response.status_code == status
        assert title in html and look in html, (view, path)
        assert "DEBUG" not in html


def test_403_shows_our_message(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from ratusha.core import error_views

    request = rf.get("/office/appeals/")
    request.user = AnonymousUser()
    response = error_views.permission_denied(request, PermissionDenied("Лише для приймальні."))
    assert "Лише для приймальні." in response.content.decode()


def test_404_and_500_exist_and_are_ukrainian(client, rf):
    from ratusha.core import error_views

    public = client.get("/no-such-page-here/")
    assert public.status_code == 404 and "Сторінку не знайдено" in public.content.decode()
    office = client.get("/office/no-such-page/")
    assert office.status_code in (302, 404)  # the office asks to sign in first
    response = error_views.server_error(rf.get("/"))
    assert response.status_code == 500 and "Сталася помилка на сервері" in response.content.decode()
    assert '<html lang="uk">' in response.content.decode()
