"""Whatever a client sends, the answer is a specification document or a specification error — never a 500."""

import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.open311.conftest import BASE

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ALLOWED = {200, 400, 403, 404, 405, 429}
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
values = st.one_of(text, st.sampled_from(["", "0", "-1", "1e999", "NaN", "2026-02-30T00:00:00Z", "open,closed",
                                          "9" * 40, "pothole", "2026-01-01T00:00:00+14:00", "0001-01-01T00:00:00-12:00",
                                          ",,,", "open,", "\x00", "<x/>"]))
PARAMS = ["service_request_id", "service_code", "start_date", "end_date", "status", "jurisdiction_id"]
FIELDS = ["service_code", "lat", "long", "address_string", "address_id", "email", "first_name", "last_name",
          "phone", "description", "media_url", "device_id", "account_id", "attribute[SIZE]", "attribute[HAZARD][]",
          "attribute[DEPTH]", "attribute[SEEN]", "attribute[]", "attribute[SIZE][x]"]


def check(response, fmt: str) -> None:
    assert response.status_code in ALLOWED, (response.status_code, response.content[:300])
    body = json.loads(response.content) if fmt == "json" else ET.fromstring(response.content)  # noqa: S314
    if response.status_code != 200:
        if fmt == "json":
            assert all(set(item) == {"code", "description"} for item in body)
            descriptions = [item["description"] for item in body]
        else:
            assert body.tag == "errors" and all(e.tag == "error" for e in body)
            descriptions = [e.findtext("description") for e in body]
        # a handled error, not the catch-all for a crash
        assert not any(d.startswith("Загальна помилка сервісу") for d in descriptions), descriptions


@FUZZ
@given(params=st.dictionaries(st.sampled_from(PARAMS), values, max_size=5), fmt=st.sampled_from(["json", "xml"]))
def test_get_requests_fuzz(client, city, params, fmt):
    check(client.get(f"{BASE}requests.{fmt}", params), fmt)


@FUZZ
@given(data=st.dictionaries(st.sampled_from(FIELDS), values, max_size=8), fmt=st.sampled_from(["json", "xml"]),
       with_key=st.booleans())
def test_post_requests_fuzz(client, city, data, fmt, with_key):
    if with_key:
        data["api_key"] = city.raw_key
    check(client.post(f"{BASE}requests.{fmt}", data), fmt)


@FUZZ
@given(segment=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#%"), min_size=1,
                       max_size=40),
       resource=st.sampled_from(["services", "requests", "tokens"]), fmt=st.sampled_from(["json", "xml"]))
def test_path_fuzz(client, city, segment, resource, fmt):
    check(client.get(f"{BASE}{resource}/{segment}.{fmt}"), fmt)


def test_a_crash_inside_is_a_general_400(client, city, monkeypatch):
    from ratusha.appeals.open311 import selectors

    def boom(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(selectors, "services", boom)
    response = client.get(BASE + "services.json")
    assert response.status_code == 400
    assert json.loads(response.content)[0]["description"].startswith("Загальна помилка сервісу")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_nul_characters_are_refused_on_every_database(client, city, fmt):
    from tests.open311.conftest import assert_error, pothole_post

    assert_error(client.get(f"{BASE}services/a%00b.{fmt}"), 400, fmt)
    assert_error(client.get(f"{BASE}tokens/%00.{fmt}"), 400, fmt)
    assert_error(client.get(f"{BASE}requests.{fmt}", {"service_code": "a\x00"}), 400, fmt)
    assert_error(client.post(f"{BASE}requests.{fmt}", pothole_post(city, description="яма\x00")), 400, fmt)
