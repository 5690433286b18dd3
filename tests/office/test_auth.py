"""Sign-in: throttling of failed logins, the TOTP second factor and its mandatory enrolment."""

import html
import re

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ratusha.core.models import AuditEvent, LoginFailure
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def login(client, username, password=PASSWORD, **extra):
    return client.post("/office/login/", {"username": username, "password": password, **extra})


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_login_and_logout(client, registrar):
    response = login(client, registrar.username)
    assert response.status_code == 302 and response["Location"] == "/office/"
    assert AuditEvent.objects.filter(action="auth.login", actor=registrar).exists()
    assert client.get("/office/").status_code == 200
    assert client.get("/office/logout/").status_code == 405  # logout only by POST
    assert client.post("/office/logout/").status_code == 302
    assert client.get("/office/").status_code == 302


def test_login_keeps_next_but_not_foreign_hosts(client, registrar):
    assert login(client, registrar.username, next="/office/journals/")["Location"] == "/office/journals/"
    client.post("/office/logout/")
    assert login(client, registrar.username, next="https://evil.example/")["Location"] == "/office/"


def test_wrong_password_is_refused_and_audited(client, registrar):
    response = login(client, registrar.username, "wrong")
    assert response.status_code == 400
    assert "Неправильне ім'я користувача або пароль" in html.unescape(response.content.decode())
    assert LoginFailure.objects.filter(username=registrar.username).count() == 1
    assert AuditEvent.objects.filter(action="auth.login_failed").exists()


def test_lock_after_max_failures_even_with_right_password(client, registrar, settings):
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_LOCK_MINUTES = 15
    for _ in range(2):
        assert "Неправильне" in html.unescape(login(client, registrar.username, "nope").content.decode())
    third = html.unescape(login(client, registrar.username, "nope").content.decode())
    assert "Забагато невдалих спроб входу" in third and "15 хвилин" in third
    assert AuditEvent.objects.filter(action="auth.locked").count() == 1
    locked = login(client, registrar.username)  # the right password does not help now
    assert locked.status_code == 400
    assert "Забагато невдалих спроб входу" in html.unescape(locked.content.decode())
    assert "_auth_user_id" not in client.session


def test_lock_expires(client, registrar, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        login(client, registrar.username, "nope")
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=settings.LOGIN_LOCK_MINUTES + 1))
    assert login(client, registrar.username).status_code == 302
    assert not LoginFailure.objects.filter(username=registrar.username).exists()  # cleared on success


def test_lock_per_address(client, settings):
    settings.LOGIN_MAX_FAILURES = 2
    settings.LOGIN_MAX_FAILURES_PER_IP = 3
    for n in range(3):
        login(client, f"guess{n}", "nope")
    user = EmployeeFactory(roles=["executor"]).user
    response = login(client, user.username)
    assert "Забагато невдалих спроб входу" in html.unescape(response.content.decode())


def test_user_with_totp_must_enter_code(client, registrar):
    device = TOTPDevice.objects.create(user=registrar, name="phone", confirmed=True)
    response = login(client, registrar.username)
    assert response["Location"] == "/office/login/code/"
    assert "_auth_user_id" not in client.session  # not signed in before the code
    assert client.get("/office/").status_code == 302
    bad = client.post("/office/login/code/", {"token": "000000" if current_code(device) != "000000" else "111111"})
    assert bad.status_code == 400 and "Код не підходить" in bad.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the next try wait after a wrong code
    good = client.post("/office/login/code/", {"token": current_code(device)})
    assert good.status_code == 302 and good["Location"] == "/office/"
    assert client.get("/office/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", params__otp=True).exists()


def test_wrong_codes_count_as_failures(client, registrar, settings):
    settings.LOGIN_MAX_FAILURES = 2
    device = TOTPDevice.objects.create(user=registrar, name="phone", confirmed=True, tolerance=0)
    login(client, registrar.username)
    wrong = "999999" if current_code(device) != "999999" else "999998"
    client.post("/office/login/code/", {"token": "12345x"})  # not six digits: a form error, not counted
    assert LoginFailure.objects.count() == 0
    client.post("/office/login/code/", {"token": wrong})
    assert LoginFailure.objects.filter(username=registrar.username).count() == 1
    assert "_auth_user_id" not in client.session


@pytest.fixture
def org_admin(org):
    return EmployeeFactory(organisation=org, roles=["admin"]).user


def test_admin_must_enrol_totp_before_anything_else(client, org_admin, incoming_journal):
    response = login(client, org_admin.username)
    assert response["Location"] == "/office/otp/setup/"
    for url in ("/office/", "/office/journals/", "/office/search/", "/office/staff/",
                f"/office/journals/{incoming_journal.pk}/"):
        blocked = client.get(url)
        assert blocked.status_code == 302 and blocked["Location"] == "/office/otp/setup/", url
    page = client.get("/office/otp/setup/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and 'role="img"' in body  # the QR code, inline, server-side
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', body).group(1)
    device = TOTPDevice.objects.get(user=org_admin, confirmed=False)
    import base64

    assert base64.b32decode(secret.replace(" ", "")) == device.bin_key
    wrong = client.post("/office/otp/setup/", {"token": "12"})
    assert wrong.status_code == 400
    done = client.post("/office/otp/setup/", {"token": current_code(device)})
    assert done.status_code == 302 and done["Location"] == "/office/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/office/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_enrolled", actor=org_admin).exists()


def test_htmx_request_of_unverified_admin_gets_hx_redirect(client, org_admin):
    client.force_login(org_admin)
    response = client.get("/office/journals/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/office/otp/setup/"


def test_superuser_needs_verified_otp_for_django_admin(client):
    boss = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(boss)
    assert client.get("/django-admin/")["Location"].startswith("/office/otp/setup/")
    device = TOTPDevice.objects.create(user=boss, name="phone", confirmed=True)
    client.post("/office/logout/")
    login(client, boss.username, next="/django-admin/")
    assert client.get("/django-admin/").status_code == 302  # code still due
    response = client.post("/office/login/code/", {"token": current_code(device)})
    assert response["Location"] == "/django-admin/"
    assert client.get("/django-admin/").status_code == 200


def test_django_admin_is_closed_to_staff_who_are_not_superusers(client, registrar):
    registrar.is_staff = True
    registrar.save()
    client.force_login(registrar)
    response = client.get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/office/"
    assert response.status_code == 200


def test_django_admin_login_redirects_to_office_login(client):
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/office/login/?next=")


def test_language_switch_to_english(client, registrar):
    client.force_login(registrar)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/office/"})
    assert response.status_code == 302
    page = client.get("/office/").content.decode()
    assert '<html lang="en">' in page
    assert "My documents" in page


def test_argon2_is_the_production_hasher():
    from ratusha import settings as prod

    assert prod.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    encoded = make_password("пароль-для-перевірки", hasher="argon2")
    assert encoded.startswith("argon2$") and check_password("пароль-для-перевірки", encoded)
