"""GET requests (filters of the specification), GET requests/{id}; the status mapping; no personal data."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from ratusha.appeals.constants import AppealStatus, NotConsideredGround, Outcome
from ratusha.appeals.models import Appeal
from ratusha.appeals.open311.models import ServiceRequest
from tests.open311.conftest import (
    BASE,
    REQUEST_FIELDS,
    assert_error,
    children,
    json_body,
    pothole_post,
    xml_root,
)

pytestmark = pytest.mark.django_db

CLOSED = {AppealStatus.ANSWERED, AppealStatus.CLOSED, AppealStatus.RETURNED, AppealStatus.FORWARDED,
          AppealStatus.NOT_CONSIDERED}


def post(client, city, **extra) -> ServiceRequest:
    response = client.post(BASE + "requests.json", pothole_post(city, **extra))
    assert response.status_code == 200, response.content
    return ServiceRequest.objects.get(number=json_body(response)[0]["service_request_id"])


def set_appeal(request: ServiceRequest, **fields) -> None:
    Appeal.objects.filter(pk=request.appeal_id).update(**fields)


def received(request: ServiceRequest, days_ago: int) -> None:
    set_appeal(request, received_at=timezone.now() - dt.timedelta(days=days_ago))


def ids(response) -> list[int]:
    return [item["service_request_id"] for item in json_body(response)]


def test_single_request_json(client, city):
    request = post(client, city)
    body = json_body(client.get(f"{BASE}requests/{request.number}.json"))
    assert isinstance(body, list) and len(body) == 1  # the specification returns a list of one
    [item] = body
    assert list(item) == REQUEST_FIELDS
    appeal = request.appeal
    assert item["service_request_id"] == request.number
    assert item["status"] == "open"
    assert item["status_notes"] == "Подано, очікує реєстрації"
    assert (item["service_name"], item["service_code"]) == ("Яма на дорозі", "pothole")
    assert item["description"] == "Глибока яма біля зупинки.\nОбʼїжджати небезпечно."
    assert item["agency_responsible"] == "Департамент ЖКГ"
    assert item["service_notice"] == "Департамент ЖКГ перевірить місце протягом 5 робочих днів."
    assert dt.datetime.fromisoformat(item["requested_datetime"]) == appeal.received_at.replace(microsecond=0)
    assert item["requested_datetime"][-6:] in ("+02:00", "+03:00")  # W3C with the Kyiv offset
    assert dt.datetime.fromisoformat(item["updated_datetime"]) >= appeal.received_at.replace(microsecond=0)
    expected = dt.datetime.fromisoformat(item["expected_datetime"])
    assert expected.date() == appeal.deadline and expected.tzinfo is not None
    assert item["address"] == "вул. Лесі Українки, 1, Луцьк"
    assert item["address_id"] is None and item["zipcode"] is None
    assert (item["lat"], item["long"]) == (50.747233, 25.325383)
    assert item["media_url"] == "https://example.org/photo.jpg"


def test_single_request_xml(client, city):
    request = post(client, city)
    root = xml_root(client.get(f"{BASE}requests/{request.number}.xml"))
    assert root.tag == "service_requests"
    [item] = root
    assert item.tag == "request"
    assert children(item) == REQUEST_FIELDS
    assert item.findtext("status") == "open"
    assert item.findtext("lat") == "50.747233" and item.findtext("long") == "25.325383"
    assert item.find("zipcode").text is None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_request_is_404(client, city, fmt):
    for value in ("999", "abc", "1" * 30, "²", "１２"):
        assert_error(client.get(f"{BASE}requests/{value}.{fmt}"), 404, fmt)


def test_no_personal_data_in_any_output(client, city):
    request = post(client, city, description="Яма. Дзвоніть 067 123 45 67 або пишіть petro@example.com.")
    set_appeal(request, middle_name="Васильович", address="м. Луцьк, вул. Тиха, 5, кв. 9")
    responses = [client.get(f"{BASE}requests/{request.number}.json"), client.get(f"{BASE}requests.json"),
                 client.get(f"{BASE}requests.xml"), client.get(f"{BASE}requests/{request.number}.xml"),
                 client.get(f"{BASE}tokens/{request.token}.json")]
    for response in responses:
        text = response.content.decode()
        for secret in ("Петренко", "Іван", "Васильович", "ivan@example.org", "+380501234567", "Тиха",
                       "dev-1", "acc-77", "petro@example.com", "067 123 45 67", request.appeal.tracking_code):
            assert secret not in text, (secret, response.request["PATH_INFO"])
    [item] = json_body(responses[0])
    assert item["description"] == "Яма. Дзвоніть [приховано] або пишіть [приховано]."


@pytest.mark.parametrize("status", AppealStatus.values)
def test_status_mapping(client, city, status):
    request = post(client, city)
    set_appeal(request, status=status)
    [item] = json_body(client.get(f"{BASE}requests/{request.number}.json"))
    assert item["status"] == ("closed" if status in CLOSED else "open")
    assert item["status_notes"] == AppealStatus(status).label


def test_status_notes_say_where_and_why(client, city):
    forwarded, refused, answered = post(client, city), post(client, city), post(client, city)
    set_appeal(forwarded, status=AppealStatus.FORWARDED, forwarded_to="Волинська ОВА",
               outcome_note="Заявник Петренко просив …")
    set_appeal(refused, status=AppealStatus.NOT_CONSIDERED, not_considered_ground=NotConsideredGround.ANONYMOUS)
    set_appeal(answered, status=AppealStatus.ANSWERED, outcome=Outcome.SATISFIED)
    notes = {item["service_request_id"]: (item["status_notes"], item["agency_responsible"])
             for item in json_body(client.get(BASE + "requests.json"))}
    assert notes[forwarded.number] == ("Надіслано за належністю: Волинська ОВА", "Волинська ОВА")
    assert notes[refused.number][0] == "Залишено без розгляду: Анонімне звернення (ст. 8)"
    assert notes[answered.number] == ("Надано відповідь: задоволено", "Департамент ЖКГ")
    assert "Петренко" not in client.get(BASE + "requests.json").content.decode()


def test_list_defaults_to_the_last_90_days_newest_first(client, city):
    recent, old, older = post(client, city), post(client, city), post(client, city)
    received(recent, 1)
    received(old, 89)
    received(older, 91)
    assert ids(client.get(BASE + "requests.json")) == [old.number, recent.number]
    root = xml_root(client.get(BASE + "requests.xml"))
    assert root.tag == "service_requests" and set(children(root)) == {"request"}
    assert [r.findtext("service_request_id") for r in root] == [str(old.number), str(recent.number)]
    assert all(children(r) == REQUEST_FIELDS for r in root)


def test_filter_by_ids_overrides_the_others(client, city):
    a, b, c = post(client, city), post(client, city), post(client, city)
    received(c, 400)
    got = ids(client.get(BASE + "requests.json", {"service_request_id": f"{a.number}, {c.number},999",
                                                  "status": "closed", "service_code": "graffiti"}))
    assert got == [c.number, a.number]
    assert b.number not in got
    assert_error(client.get(BASE + "requests.json", {"service_request_id": "1,x"}), 400)


def test_filter_by_service_code_and_status(client, city):
    pothole, done = post(client, city), post(client, city)
    graffiti = json_body(client.post(BASE + "requests.json", {"api_key": city.raw_key, "service_code": "graffiti",
                                                              "address_string": "Замкова, 1"}))
    assert "token" in graffiti[0]
    graffiti_request = ServiceRequest.objects.get(service=city.graffiti)
    set_appeal(done, status=AppealStatus.CLOSED)
    assert ids(client.get(BASE + "requests.json", {"service_code": "graffiti"})) == [graffiti_request.number]
    assert ids(client.get(BASE + "requests.json", {"service_code": "graffiti,pothole"})) == [
        graffiti_request.number, done.number, pothole.number]
    assert ids(client.get(BASE + "requests.json", {"status": "closed"})) == [done.number]
    assert ids(client.get(BASE + "requests.json", {"status": "open"})) == [graffiti_request.number, pothole.number]
    assert len(ids(client.get(BASE + "requests.json", {"status": "open,closed"}))) == 3
    assert ids(client.get(BASE + "requests.json", {"service_code": "pothole", "status": "OPEN"})) == [pothole.number]
    assert ids(client.get(BASE + "requests.json", {"service_code": "nope"})) == []
    assert "status" in assert_error(client.get(BASE + "requests.json", {"status": "pending"}), 400)[0]


def test_filter_by_dates(client, city):
    march, april, may = post(client, city), post(client, city), post(client, city)
    kyiv = timezone.get_current_timezone()
    for request, day in ((march, 10), (april, 40), (may, 70)):
        set_appeal(request, received_at=dt.datetime(2026, 3, 1, 12, tzinfo=kyiv) + dt.timedelta(days=day - 1))
    got = ids(client.get(BASE + "requests.json", {"start_date": "2026-03-01T00:00:00Z",
                                                  "end_date": "2026-04-30T00:00:00+03:00"}))
    assert got == [april.number, march.number]
    # only start_date: 90 days from it; only end_date: 90 days up to it
    assert ids(client.get(BASE + "requests.json", {"start_date": "2026-04-01T00:00:00Z"})) == [may.number,
                                                                                                april.number]
    assert ids(client.get(BASE + "requests.json", {"end_date": "2026-03-20"})) == [march.number]


@pytest.mark.parametrize("params", [
    {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"},  # over 90 days
    {"start_date": "2026-05-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"},  # reversed
    {"start_date": "вчора"},
    {"end_date": "2026-13-45T00:00:00Z"},
    {"end_date": "0001-01-01T00:00:00Z"},
    {"start_date": "9999-12-31T23:59:59-12:00"},
])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_dates_are_400(client, city, params, fmt):
    assert_error(client.get(f"{BASE}requests.{fmt}", params), 400, fmt)


def test_at_most_1000_results(client, city, monkeypatch):
    from ratusha.appeals.open311 import selectors

    monkeypatch.setattr(selectors, "MAX_RESULTS", 2)
    for _ in range(3):
        post(client, city)
    assert len(json_body(client.get(BASE + "requests.json"))) == 2


def test_json_is_utf8_not_escaped(client, city):
    post(client, city)
    raw = client.get(BASE + "requests.json").content.decode("utf-8")
    assert "Яма на дорозі" in raw
    json.loads(raw)
