"""A council with an executive body, three Open311 services (realtime with a full definition, batch,
blackbox) and an API key of the council. Helpers to call the API and parse its XML/JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

from ratusha.appeals.models import ClassifierTopic, ClassifierVersion
from ratusha.appeals.open311.models import Open311Attribute, Open311AttributeValue, Open311Service
from ratusha.appeals.open311.services import api_key_create
from ratusha.orgs.constants import OrgKind
from tests.factories import OrganisationFactory
from tests.smtp import smtp_server  # noqa: F401  (the fixture, for the tests of this package)

BASE = "/open311/v2/"
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE_FIELDS = ["variable", "code", "datatype", "required", "datatype_description", "order", "description",
                    "values"]
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]


def xml_root(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own server's answer


def json_body(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def children(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def assert_error(response, status: int, fmt: str = "json") -> list[str]:
    """The specification's error document with ``status``; returns the descriptions."""
    assert response.status_code == status, response.content.decode()
    if fmt == "json":
        body = json_body(response)
        assert isinstance(body, list) and body
        assert all(list(item) == ["code", "description"] and item["code"] == status for item in body)
        return [item["description"] for item in body]
    root = xml_root(response)
    assert root.tag == "errors"
    assert children(root) and set(children(root)) == {"error"}
    for error in root:
        assert children(error) == ["code", "description"]
        assert error.findtext("code") == str(status)
    return [error.findtext("description") for error in root]


@pytest.fixture
def city(db):
    council = OrganisationFactory(kind=OrgKind.CITY_COUNCIL, name="Тестівська міська рада", code="testivka")
    body = OrganisationFactory(kind=OrgKind.EXECUTIVE_BODY, name="Департамент ЖКГ", code="zhkg", parent=council)
    other = OrganisationFactory(kind=OrgKind.MUNICIPAL_ENTERPRISE, name="КП «Водоканал»", code="voda")
    version = ClassifierVersion.objects.create(number=1, source_name="sample.csv")
    section = ClassifierTopic.objects.create(version=version, code="010", title="Комунальне господарство")
    topic = ClassifierTopic.objects.create(version=version, code="010.003", title="Ремонт доріг",
                                           parent_code="010", level=2)

    pothole = Open311Service.objects.create(
        service_code="pothole", name="Яма на дорозі", description="Вибоїни та руйнування покриття.",
        group="Дороги", keywords="яма, вибоїна,  асфальт", organisation=body, topic=topic,
        service_notice="Департамент ЖКГ перевірить місце протягом 5 робочих днів.", order=1)
    size = Open311Attribute.objects.create(service=pothole, code="SIZE", datatype="singlevaluelist", required=True,
                                           order=1, description="Який розмір ями?")
    Open311AttributeValue.objects.create(attribute=size, key="small", name="До 30 см", order=1)
    Open311AttributeValue.objects.create(attribute=size, key="big", name="Понад 30 см", order=2)
    hazard = Open311Attribute.objects.create(service=pothole, code="HAZARD", datatype="multivaluelist", order=2,
                                             description="Кому загрожує?")
    Open311AttributeValue.objects.create(attribute=hazard, key="cars", name="Автомобілям", order=1)
    Open311AttributeValue.objects.create(attribute=hazard, key="walkers", name="Пішоходам", order=2)
    Open311Attribute.objects.create(service=pothole, code="DEPTH", datatype="number", order=3,
                                    description="Глибина, см", datatype_description="Ціле число")
    Open311Attribute.objects.create(service=pothole, code="SEEN", datatype="datetime", order=4,
                                    description="Коли помітили?")
    Open311Attribute.objects.create(service=pothole, code="NOTE", datatype="text", variable=False, order=5,
                                    description="Фото допоможе швидше знайти місце.")
    graffiti = Open311Service.objects.create(service_code="graffiti", name="Графіті", type="batch", group="Чистота",
                                             organisation=council, order=2)
    lights = Open311Service.objects.create(service_code="lights", name="Не світить ліхтар", type="blackbox",
                                           group="Освітлення", organisation=council, order=3)
    water = Open311Service.objects.create(service_code="water", name="Прорив водогону", organisation=other, order=4)
    Open311Service.objects.create(service_code="old", name="Стара послуга", organisation=council, is_active=False)
    key, raw = api_key_create(actor=None, organisation=council, name="Мобільний застосунок")
    return SimpleNamespace(council=council, body=body, other=other, section=section, topic=topic, pothole=pothole,
                           graffiti=graffiti, lights=lights, water=water, key=key, raw_key=raw)


def pothole_post(city, **extra):
    data = {"api_key": city.raw_key, "service_code": "pothole", "lat": "50.747233", "long": "25.325383",
            "address_string": "вул. Лесі Українки, 1, Луцьк", "attribute[SIZE]": "big",
            "attribute[HAZARD][]": ["cars", "walkers"], "attribute[DEPTH]": "12",
            "email": "ivan@example.org", "first_name": "Іван", "last_name": "Петренко", "phone": "+380501234567",
            "description": "Глибока яма біля зупинки.\nОбʼїжджати небезпечно.", "device_id": "dev-1",
            "account_id": "acc-77", "media_url": "https://example.org/photo.jpg"}
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}
