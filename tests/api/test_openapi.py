"""The committed OpenAPI schema (docs/api/openapi.json) is what the code serves: CI fails on drift."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ratusha.api.management.commands.openapi_export import SCHEMA_PATH, current_schema_text


def test_committed_schema_matches_the_code():
    assert SCHEMA_PATH.exists(), "run `ratusha manage openapi_export` and commit docs/api/openapi.json"
    assert SCHEMA_PATH.read_text(encoding="utf-8") == current_schema_text(), (
        "the API changed: run `ratusha manage openapi_export` and commit docs/api/openapi.json")
    call_command("openapi_export", "--check")


def test_the_check_fails_on_drift(tmp_path, monkeypatch):
    from ratusha.api.management.commands import openapi_export

    stale = tmp_path / "openapi.json"
    stale.write_text("{}\n")
    monkeypatch.setattr(openapi_export, "SCHEMA_PATH", stale)
    with pytest.raises(CommandError):
        call_command("openapi_export", "--check")


@pytest.mark.django_db
def test_served_schema_is_openapi_31_and_every_operation_declares_the_error_shape(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert json.loads(current_schema_text()) == schema
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404", "422"):
                ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/Error"), (path, method, status)


@pytest.mark.django_db
def test_docs_page_uses_our_own_static_files(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
