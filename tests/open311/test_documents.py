"""Discovery, service list and service definitions: the specification's documents in XML and JSON."""

import datetime as dt

import pytest

from ratusha.appeals.open311.models import Open311Service
from tests.open311.conftest import (
    ATTRIBUTE_FIELDS,
    BASE,
    SERVICE_FIELDS,
    assert_error,
    children,
    json_body,
    xml_root,
)

pytestmark = pytest.mark.django_db


def test_discovery_json(client, city, settings):
    settings.BASE_URL = "https://rada.example.gov.ua"
    body = json_body(client.get(BASE + "discovery.json"))
    assert list(body) == ["changeset", "contact", "key_service", "endpoints"]
    assert dt.datetime.fromisoformat(body["changeset"]).tzinfo is not None
    [endpoint] = body["endpoints"]
    assert endpoint == {"specification": "http://wiki.open311.org/GeoReport_v2",
                        "url": "https://rada.example.gov.ua/open311/v2", "changeset": body["changeset"],
                        "type": "production", "formats": ["text/xml", "application/json"]}
    assert "API-ключ" in body["key_service"]


def test_discovery_xml_and_root(client, city, settings):
    settings.DEMO = True
    for url in (BASE + "discovery.xml", BASE):
        response = client.get(url)
        assert response.status_code == 200
        root = xml_root(response)
        assert root.tag == "discovery"
        assert children(root) == ["changeset", "contact", "key_service", "endpoints"]
        [endpoint] = root.find("endpoints")
        assert endpoint.tag == "endpoint"
        assert children(endpoint) == ["specification", "url", "changeset", "type", "formats"]
        assert endpoint.findtext("type") == "test"  # a demo installation is not acted upon
        assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]
        assert {f.tag for f in endpoint.find("formats")} == {"format"}


def test_changeset_follows_the_definitions(client, city):
    before = json_body(client.get(BASE + "discovery.json"))["changeset"]
    Open311Service.objects.filter(pk=city.graffiti.pk).update(
        updated_at=city.graffiti.updated_at + dt.timedelta(days=1))
    after = json_body(client.get(BASE + "discovery.json"))["changeset"]
    assert after > before


def test_service_list_json(client, city):
    body = json_body(client.get(BASE + "services.json"))
    assert [s["service_code"] for s in body] == ["pothole", "graffiti", "lights", "water"]  # active only
    assert all(list(item) == SERVICE_FIELDS for item in body)
    assert body[0] == {"service_code": "pothole", "service_name": "Яма на дорозі",
                       "description": "Вибоїни та руйнування покриття.", "metadata": True, "type": "realtime",
                       "keywords": "яма, вибоїна, асфальт", "group": "Дороги"}
    assert body[1]["metadata"] is False and body[1]["type"] == "batch" and body[1]["description"] is None
    assert body[2]["type"] == "blackbox"


def test_service_list_xml(client, city):
    root = xml_root(client.get(BASE + "services.xml"))
    assert root.tag == "services"
    assert set(children(root)) == {"service"}
    first = root[0]
    assert children(first) == SERVICE_FIELDS
    assert first.findtext("metadata") == "true"
    assert root[1].findtext("metadata") == "false"
    assert root[1].find("description").text is None  # empty element, as in the specification
    assert [s.findtext("service_code") for s in root] == ["pothole", "graffiti", "lights", "water"]


def test_service_definition_json(client, city):
    body = json_body(client.get(BASE + "services/pothole.json"))
    assert list(body) == ["service_code", "attributes"]
    assert body["service_code"] == "pothole"
    assert [a["code"] for a in body["attributes"]] == ["SIZE", "HAZARD", "DEPTH", "SEEN", "NOTE"]
    assert all(list(a) == ATTRIBUTE_FIELDS for a in body["attributes"])
    size = body["attributes"][0]
    assert size == {"variable": True, "code": "SIZE", "datatype": "singlevaluelist", "required": True,
                    "datatype_description": None, "order": 1, "description": "Який розмір ями?",
                    "values": [{"key": "small", "name": "До 30 см"}, {"key": "big", "name": "Понад 30 см"}]}
    assert body["attributes"][2]["datatype_description"] == "Ціле число"
    assert body["attributes"][4]["variable"] is False


def test_service_definition_xml(client, city):
    root = xml_root(client.get(BASE + "services/pothole.xml"))
    assert root.tag == "service_definition"
    assert children(root) == ["service_code", "attributes"]
    attributes = root.find("attributes")
    assert set(children(attributes)) == {"attribute"}
    size = attributes[0]
    assert children(size) == ATTRIBUTE_FIELDS
    assert size.findtext("required") == "true" and size.findtext("variable") == "true"
    values = size.find("values")
    assert set(children(values)) == {"value"}
    assert [children(v) for v in values] == [["key", "name"], ["key", "name"]]
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [("small", "До 30 см"),
                                                                           ("big", "Понад 30 см")]


def test_service_without_metadata_has_an_empty_definition(client, city):
    assert json_body(client.get(BASE + "services/graffiti.json")) == {"service_code": "graffiti", "attributes": []}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_or_inactive_service_is_404(client, city, fmt):
    for code in ("nope", "old"):
        [description] = assert_error(client.get(f"{BASE}services/{code}.{fmt}"), 404, fmt)
        assert code in description


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_resource_and_format_are_404_in_the_spec_format(client, city, fmt):
    assert_error(client.get(f"{BASE}whatever.{fmt}"), 404, fmt)
    assert_error(client.get(BASE + "services.html"), 404, "xml")
    assert_error(client.post(BASE + "nowhere.json"), 404, "json")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_wrong_method_is_405(client, city, fmt):
    response = client.post(f"{BASE}services.{fmt}")
    assert_error(response, 405, fmt)
    assert response["Allow"] == "GET, HEAD"
    response = client.delete(f"{BASE}requests.{fmt}")
    assert_error(response, 405, fmt)
    assert response["Allow"] == "GET, HEAD, POST"


def test_jurisdiction_id(client, city, settings):
    assert client.get(BASE + "services.json", {"jurisdiction_id": "anything"}).status_code == 200  # single one
    settings.APPEALS = {"OPEN311_JURISDICTION_ID": "testivka.gov.ua"}
    assert client.get(BASE + "services.json", {"jurisdiction_id": "testivka.gov.ua"}).status_code == 200
    assert client.get(BASE + "services.json").status_code == 200  # optional
    assert_error(client.get(BASE + "services.json", {"jurisdiction_id": "kyiv.gov.ua"}), 404)
