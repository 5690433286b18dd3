"""POST requests: a report becomes a SUBMITTED appeal (заява) with its location; keys, rate and errors."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ratusha.appeals.constants import AppealStatus, AppealSubject, AppealType, Medium, ReceiptForm
from ratusha.appeals.models import Appeal, AppealEvent
from ratusha.appeals.open311.models import ApiKey, ServiceRequest
from ratusha.appeals.open311.services import api_key_create, api_key_revoke
from ratusha.calendar.selectors import deadline
from ratusha.core.audit import audit_verify
from ratusha.core.models import AuditEvent
from tests.open311.conftest import BASE, assert_error, children, json_body, pothole_post, xml_root

pytestmark = pytest.mark.django_db


def test_realtime_request_becomes_a_submitted_appeal(client, city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BASE + "requests.json", pothole_post(city))
    assert response.status_code == 200
    [item] = json_body(response)
    assert list(item) == ["service_request_id", "service_notice", "account_id"]
    request = ServiceRequest.objects.get()
    assert item == {"service_request_id": request.number,
                    "service_notice": "Департамент ЖКГ перевірить місце протягом 5 робочих днів.",
                    "account_id": "acc-77"}
    assert request.lat == Decimal("50.747233") and request.long == Decimal("25.325383")
    assert request.address_string == "вул. Лесі Українки, 1, Луцьк"
    assert request.attributes == {"SIZE": "big", "HAZARD": ["cars", "walkers"], "DEPTH": "12"}
    assert request.api_key == city.key and request.service == city.pothole

    appeal = request.appeal
    today = timezone.localdate()
    assert appeal.status == AppealStatus.SUBMITTED
    assert appeal.organisation == city.body  # the service's organisation
    assert (appeal.appeal_type, appeal.receipt_form, appeal.medium) == (
        AppealType.APPLICATION, ReceiptForm.ELECTRONIC, Medium.ELECTRONIC)
    assert appeal.subject == AppealSubject.INDIVIDUAL
    assert (appeal.last_name, appeal.first_name, appeal.email, appeal.phone) == (
        "Петренко", "Іван", "ivan@example.org", "+380501234567")
    assert appeal.topic == city.topic
    assert appeal.received_date == today
    assert appeal.deadline == deadline("appeal", today)  # provisional 1-month term (art. 20)
    assert appeal.tracking_code and appeal.tracking_code not in response.content.decode()
    assert appeal.text.splitlines() == [
        "Глибока яма біля зупинки.", "Обʼїжджати небезпечно.",
        "Послуга Open311: pothole «Яма на дорозі».",
        "Місце: вул. Лесі Українки, 1, Луцьк; 50.747233, 25.325383.",
        "Який розмір ями?: Понад 30 см", "Кому загрожує?: Автомобілям, Пішоходам", "Глибина, см: 12",
        "Фото: https://example.org/photo.jpg"]
    # the applicant's timeline starts (its e-mail carries the tracking link)
    assert list(AppealEvent.objects.filter(appeal=appeal).values_list("status", flat=True)) == ["submitted"]
    event = AuditEvent.objects.get(action="appeal.submitted", object_id=str(appeal.pk))
    assert event.actor_repr == f"open311:{city.key.key_id}"
    assert event.params["service_request_id"] == request.number and event.params["via"] == "open311"
    assert audit_verify() is None
    city.key.refresh_from_db()
    assert city.key.last_used_at is not None


def test_numbers_are_sequential_and_xml_answer(client, city):
    first = json_body(client.post(BASE + "requests.json", pothole_post(city)))[0]["service_request_id"]
    response = client.post(BASE + "requests.xml", pothole_post(city, account_id=""))
    root = xml_root(response)
    assert root.tag == "service_requests"
    [request] = root
    assert request.tag == "request"
    assert children(request) == ["service_request_id", "service_notice", "account_id"]
    assert request.findtext("service_request_id") == str(first + 1)
    assert request.find("account_id").text is None  # <account_id/> as in the specification


def test_batch_service_returns_a_token(client, city):
    response = client.post(BASE + "requests.xml", {"api_key": city.raw_key, "service_code": "graffiti",
                                                   "address_id": "A-1001"})
    [request] = xml_root(response)
    assert children(request) == ["token", "service_notice", "account_id"]
    token = request.findtext("token")
    created = ServiceRequest.objects.get(token=token)
    assert created.appeal.subject == AppealSubject.ANONYMOUS  # no name given
    # the token resolves to the id (XML and JSON)
    [resolved] = xml_root(client.get(f"{BASE}tokens/{token}.xml"))
    assert children(resolved) == ["service_request_id", "token"]
    assert resolved.findtext("service_request_id") == str(created.number)
    assert json_body(client.get(f"{BASE}tokens/{token}.json")) == [
        {"service_request_id": created.number, "token": token}]
    assert_error(client.get(f"{BASE}tokens/nope.json"), 404)
    assert_error(client.get(f"{BASE}tokens/nope.xml"), 404, "xml")


def test_blackbox_service_returns_no_id(client, city):
    [item] = json_body(client.post(BASE + "requests.json", {"api_key": city.raw_key, "service_code": "lights",
                                                            "address_string": "пр. Волі, 10"}))
    assert list(item) == ["service_notice", "account_id"]
    assert ServiceRequest.objects.get().service == city.lights


def test_key_serves_subordinate_organisations_only(client, city):
    """The council's key reaches its executive body's service, not an independent enterprise's."""
    descriptions = assert_error(client.post(BASE + "requests.json", {
        "api_key": city.raw_key, "service_code": "water", "address_string": "вул. Ковельська, 3"}), 403)
    assert "Водоканал" in descriptions[0]
    _key, enterprise_key = api_key_create(actor=None, organisation=city.other, name="Водоканал-бот")
    assert client.post(BASE + "requests.json", {"api_key": enterprise_key, "service_code": "water",
                                                "address_string": "вул. Ковельська, 3"}).status_code == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_wrong_and_revoked_keys_are_403(client, city, fmt):
    url = f"{BASE}requests.{fmt}"
    assert "api_key" in assert_error(client.post(url, pothole_post(city, api_key=None)), 403, fmt)[0]
    assert_error(client.post(url, pothole_post(city, api_key="o311_not-a-key")), 403, fmt)
    api_key_revoke(actor=None, api_key=city.key)
    assert_error(client.post(url, pothole_post(city)), 403, fmt)
    assert not Appeal.objects.exists()


def test_service_code_missing_400_unknown_404(client, city):
    assert "service_code" in assert_error(client.post(BASE + "requests.json", pothole_post(city, service_code="")),
                                          400)[0]
    assert_error(client.post(BASE + "requests.json", pothole_post(city, service_code="nope")), 404)
    assert_error(client.post(BASE + "requests.json", pothole_post(city, service_code="old")), 404)


def test_location_is_required(client, city):
    data = pothole_post(city, lat=None, long=None, address_string=None)
    [description] = assert_error(client.post(BASE + "requests.json", data), 400)
    assert "lat і long, або address_string, або address_id" in description
    for extra in ({"address_id": "A-1"}, {"address_string": "Театральний майдан"},
                  {"lat": "50.75", "long": "25.33"}):
        assert client.post(BASE + "requests.json", {**data, **extra}).status_code == 200


def test_all_field_errors_are_returned_together(client, city):
    data = pothole_post(city, lat="91", long=None, address_string=None, email="not-an-email",
                        description="x" * 4001, media_url="javascript:alert(1)")
    data.pop("attribute[SIZE]")
    data["attribute[HAZARD][]"] = ["cars", "tanks"]
    data["attribute[DEPTH]"] = "глибоко"
    data["attribute[SEEN]"] = "вчора"
    data["attribute[COLOUR]"] = "red"
    descriptions = assert_error(client.post(BASE + "requests.json", data), 400)
    text = "\n".join(descriptions)
    for expected in ("lat і long передаються разом", "attribute[COLOUR]", "attribute[SIZE] обов'язковий",
                     "attribute[HAZARD]: значення tanks", "attribute[DEPTH]: очікується число",
                     "attribute[SEEN]: очікується дата", "email:", "description: не довше за 4000",
                     "media_url:"):
        assert expected in text, expected
    assert len(descriptions) == 9
    assert not ServiceRequest.objects.exists() and not Appeal.objects.exists()


@pytest.mark.parametrize(("lat", "long"), [("90.1", "25"), ("50", "-180.5"), ("abc", "25"), ("NaN", "25"),
                                           ("Infinity", "1"), ("1e400", "1")])
def test_bad_coordinates(client, city, lat, long):
    descriptions = assert_error(client.post(BASE + "requests.json", pothole_post(city, lat=lat, long=long)), 400)
    assert any("WGS84" in d for d in descriptions)


def test_single_value_list_takes_one_value(client, city):
    data = pothole_post(city)
    data["attribute[SIZE]"] = ["big", "small"]
    [description] = assert_error(client.post(BASE + "requests.json", data), 400)
    assert "лише одне значення" in description


def test_datetime_attribute_and_string_line_breaks(client, city):
    response = client.post(BASE + "requests.json", pothole_post(city, **{"attribute[SEEN]": "2026-03-01T08:00:00Z"}))
    assert response.status_code == 200
    assert ServiceRequest.objects.get().attributes["SEEN"] == "2026-03-01T08:00:00Z"


def test_rate_limit_per_key(client, city, settings):
    settings.APPEALS = {"OPEN311_RATE": (2, 600)}
    for _ in range(2):
        assert client.post(BASE + "requests.json", pothole_post(city)).status_code == 200
    response = client.post(BASE + "requests.xml", pothole_post(city))
    [description] = assert_error(response, 429, "xml")
    assert "Забагато запитів" in description
    assert 1 <= int(response["Retry-After"]) <= 601
    assert ServiceRequest.objects.count() == 2
    # another key is not slowed by this one
    _key, other = api_key_create(actor=None, organisation=city.council, name="Інший клієнт")
    assert client.post(BASE + "requests.json", pothole_post(city, api_key=other)).status_code == 200
    # the window passes
    ServiceRequest.objects.filter(api_key=city.key).update(created_at=timezone.now() - dt.timedelta(minutes=11))
    assert client.post(BASE + "requests.json", pothole_post(city)).status_code == 200


def test_post_is_csrf_exempt(city):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(BASE + "requests.json", pothole_post(city)).status_code == 200


def test_keys_are_stored_hashed(city):
    stored = ApiKey.objects.get(pk=city.key.pk)
    assert city.raw_key.startswith("o311_") and len(city.raw_key) > 40
    assert city.raw_key not in (stored.key_hash, stored.key_id)
    assert city.raw_key[5:].startswith(stored.key_id)
    assert AuditEvent.objects.filter(action="open311.key_create", object_id=str(stored.pk)).exists()
    assert city.raw_key not in str(AuditEvent.objects.filter(action="open311.key_create").values_list("params"))


def test_applicant_with_an_email_gets_the_tracking_code(client, city, smtp_server,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(BASE + "requests.json", pothole_post(city)).status_code == 200
    appeal = ServiceRequest.objects.get().appeal
    [message] = smtp_server.messages
    assert message["To"] == "ivan@example.org"
    assert message["Subject"] == f"Ратуша: ваше звернення отримано — код {appeal.tracking_code}"
    assert f"/appeals/track/?code={appeal.tracking_code}" in message.get_body(("plain",)).get_content()


def test_no_email_without_an_address(client, city, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(BASE + "requests.json", pothole_post(city, email="")).status_code == 200
    assert smtp_server.messages == []
