"""API keys: the management command the demo calls, the Django admin (key shown once, revoke), services."""

import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from ratusha.appeals.open311.models import ApiKey, Open311Service
from ratusha.appeals.open311.services import api_key_create
from ratusha.core.errors import PermissionDeniedError
from ratusha.core.models import AuditEvent
from tests.factories import UserFactory
from tests.open311.conftest import BASE, assert_error, pothole_post

pytestmark = pytest.mark.django_db


def test_command_prints_a_working_key(client, city):
    out, err = io.StringIO(), io.StringIO()
    call_command("open311_key_create", "--organisation", "testivka", "--name", "Демо-клієнт", stdout=out,
                 stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("o311_") and "\n" not in raw
    key = ApiKey.objects.get(name="Демо-клієнт")
    assert key.organisation == city.council and key.key_id in err.getvalue()
    assert client.post(BASE + "requests.json", pothole_post(city, api_key=raw)).status_code == 200


def test_command_refuses_unknown_organisation(city):
    with pytest.raises(CommandError):
        call_command("open311_key_create", "--organisation", "nowhere", "--name", "X", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("open311_key_create", "--organisation", "testivka", "--name", "  ", stdout=io.StringIO())


def test_only_superusers_issue_keys(city):
    officer = UserFactory()
    with pytest.raises(PermissionDeniedError):
        api_key_create(actor=officer, organisation=city.council, name="Мій ключ")


@pytest.fixture
def admin_client(client, db):
    user = UserFactory(is_superuser=True, is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def test_admin_creates_a_key_and_shows_it_once(admin_client, city):
    response = admin_client.post("/django-admin/open311/apikey/add/", {
        "organisation": str(city.council.pk), "name": "Чат-бот"}, follow=True)
    assert response.status_code == 200
    key = ApiKey.objects.get(name="Чат-бот")
    [message] = [str(m) for m in response.context["messages"] if "скопіюйте" in str(m)]
    raw = message.split("«Чат-бот»: ")[1].split(" — ")[0]
    assert raw.startswith("o311_" + key.key_id)
    page = admin_client.get(f"/django-admin/open311/apikey/{key.pk}/change/").content.decode()
    assert raw not in page and key.key_id in page
    assert admin_client.post(BASE + "requests.json", pothole_post(city, api_key=raw)).status_code == 200
    # revoke through the admin action
    admin_client.post("/django-admin/open311/apikey/", {"action": "revoke", "_selected_action": [str(key.pk)]})
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditEvent.objects.filter(action="open311.key_revoke", object_id=str(key.pk)).exists()
    assert_error(admin_client.post(BASE + "requests.json", pothole_post(city, api_key=raw)), 403)


def test_admin_refuses_a_key_for_an_inactive_organisation(admin_client, city):
    city.other.is_active = False
    city.other.save()
    response = admin_client.post("/django-admin/open311/apikey/add/", {
        "organisation": str(city.other.pk), "name": "Старий бот"})
    assert response.status_code == 200
    assert "Організація не діє" in response.content.decode()
    assert not ApiKey.objects.filter(name="Старий бот").exists()


def test_admin_lists_services_and_edits_are_audited(admin_client, city):
    assert admin_client.get("/django-admin/open311/open311service/").status_code == 200
    assert admin_client.get(f"/django-admin/open311/open311service/{city.pothole.pk}/change/").status_code == 200
    assert admin_client.get("/django-admin/open311/open311attribute/").status_code == 200
    assert admin_client.get("/django-admin/open311/servicerequest/").status_code == 200
    response = admin_client.post("/django-admin/open311/open311service/add/", {
        "service_code": "bad code!", "name": "X", "type": "realtime", "organisation": str(city.council.pk),
        "appeal_type": "application", "order": "0", "is_active": "on",
        "attributes-TOTAL_FORMS": "0", "attributes-INITIAL_FORMS": "0"})
    assert response.status_code == 200 and "Лише латинські літери" in response.content.decode()
    assert not Open311Service.objects.filter(name="X").exists()
