"""Every error of the API comes in its one shape with a code and a Ukrainian message — bad JSON, a body over the
limit, a wrong content type, a wrong method, an unknown address, validation — and the key and its scope are
checked before the body (finding 13)."""

import json

import pytest

from ratusha.api.services import api_key_create

pytestmark = pytest.mark.django_db

CYRILLIC = set("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя")


def _error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    assert body["error"]["code"] == code, body
    assert CYRILLIC & set(body["error"]["message"].lower()), body  # Ukrainian, for people
    return body["error"]


def _post(client, path, body, secret, content_type="application/json", **extra):
    return client.generic(
        "POST",
        f"/api/v1{path}",
        body,
        content_type=content_type,
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        **extra,
    )


def test_unparsable_json_is_400_in_the_error_shape(client, enterprise_key):
    _key, secret = enterprise_key
    _error(_post(client, "/outgoing", b"{not json", secret), 400, "invalid_json")
    _error(_post(client, "/outgoing", b"\xff\xfe\x00garbage", secret), 400, "invalid_json")


def test_wrong_content_type_is_415(client, enterprise_key):
    _key, secret = enterprise_key
    _error(
        _post(
            client,
            "/outgoing",
            b"journal_id=1&summary=x",
            secret,
            content_type="application/x-www-form-urlencoded",
        ),
        415,
        "unsupported_media_type",
    )
    _error(
        _post(client, "/outgoing", b'{"summary": "x"}', secret, content_type="text/plain"),
        415,
        "unsupported_media_type",
    )


def test_a_body_over_the_limit_is_413(client, enterprise_key, settings):
    _key, secret = enterprise_key
    settings.API_MAX_BODY_MB = 1
    big = json.dumps({"summary": "x" * (1024 * 1024 + 10)}).encode()
    error = _error(_post(client, "/outgoing", big, secret), 413, "body_too_large")
    assert "1 МБ" in error["message"]


def test_a_body_over_djangos_own_limit_is_refused_before_it_is_read(client, enterprise_key, settings):
    _key, secret = enterprise_key
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    _error(
        _post(client, "/outgoing", json.dumps({"summary": "я" * 2000}).encode(), secret),
        413,
        "body_too_large",
    )


def test_the_body_limit_is_a_setting_that_fits_a_largest_file_in_base64(settings):
    assert settings.API_MAX_BODY_MB * 3 >= settings.MAX_UPLOAD_MB * 4
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= settings.API_MAX_BODY_MB * 1024 * 1024


def test_validation_errors_are_422_with_fields(client, enterprise_key):
    _key, secret = enterprise_key
    error = _error(_post(client, "/outgoing", b'{"summary": 5}', secret), 422, "invalid")
    assert error["fields"]


def test_scope_is_checked_before_the_body(client, enterprise, enterprise_admin):
    _key, secret = api_key_create(
        actor=enterprise_admin, organisation=enterprise, name="Лише журнали", scopes=["journals:read"]
    )
    for body, content_type in (
        (b"{garbage", "application/json"),
        (b"x" * 100, "text/plain"),
        (b'{"journal_id": 5}', "application/json"),
    ):
        _error(_post(client, "/outgoing", body, secret, content_type=content_type), 403, "forbidden_scope")
        _error(
            _post(
                client,
                "/incoming/00000000-0000-0000-0000-000000000000/reject",
                body,
                secret,
                content_type=content_type,
            ),
            403,
            "forbidden_scope",
        )


def test_a_key_without_the_scope_gets_403_even_for_a_body_over_the_limit(
    client, enterprise, enterprise_admin, settings
):
    settings.API_MAX_BODY_MB = 1
    _key, secret = api_key_create(
        actor=enterprise_admin, organisation=enterprise, name="Лише журнали", scopes=["journals:read"]
    )
    _error(_post(client, "/outgoing", b"x" * (2 * 1024 * 1024), secret), 403, "forbidden_scope")


def test_authentication_comes_before_the_body(client):
    _error(
        client.generic("POST", "/api/v1/outgoing", b"{garbage", content_type="application/json"),
        401,
        "unauthenticated",
    )


def test_unknown_address_and_wrong_method_are_in_the_error_shape(client, enterprise_key):
    _key, secret = enterprise_key
    _error(client.get("/api/v1/no-such-thing", HTTP_AUTHORIZATION=f"Bearer {secret}"), 404, "not_found")
    _error(client.get("/api/v2/incoming"), 404, "not_found")
    response = client.delete("/api/v1/incoming", HTTP_AUTHORIZATION=f"Bearer {secret}")
    _error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]
