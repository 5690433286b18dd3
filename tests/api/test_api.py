"""The API v1: keys and scopes, incoming documents, registration, outgoing with delivery, receipts, errors."""

import base64

import pytest

from ratusha.api.services import api_key_create, api_key_revoke
from ratusha.exchange.models import Delivery
from ratusha.exchange.services import delivery_send
from tests.registry.conftest import make_pdf

pytestmark = pytest.mark.django_db


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body["error"]


def test_no_wrong_or_revoked_key_is_401_in_the_one_error_shape(client, enterprise_key, enterprise_admin):
    _error(client.get("/api/v1/incoming"), 401, "unauthenticated")
    _error(client.get("/api/v1/incoming", HTTP_AUTHORIZATION="Bearer rtk_nope_nope"), 401, "unauthenticated")
    key, secret = enterprise_key
    wrong = secret[:-2] + ("aa" if not secret.endswith("aa") else "bb")
    _error(client.get("/api/v1/incoming", HTTP_AUTHORIZATION=f"Bearer {wrong}"), 401, "unauthenticated")
    assert client.get("/api/v1/incoming", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    api_key_revoke(actor=enterprise_admin, key=key)
    _error(client.get("/api/v1/incoming", HTTP_AUTHORIZATION=f"Bearer {secret}"), 401, "unauthenticated")


def test_a_key_without_the_scope_is_403(client, enterprise, enterprise_admin):
    _key, secret = api_key_create(actor=enterprise_admin, organisation=enterprise, name="Лише журнали",
                                  scopes=["journals:read"])
    _error(client.get("/api/v1/incoming", HTTP_AUTHORIZATION=f"Bearer {secret}"), 403, "forbidden_scope")


def test_incoming_list_fetch_file_and_register(api, letter, council_clerk, enterprise, enterprise_incoming):
    [delivery] = delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    page = api.get("/incoming").json()
    assert page["count"] == 1
    item = page["items"][0]
    assert item["id"] == str(delivery.pk) and item["sender"]["short_name"] == "Виконком"
    assert item["document"]["reg_index"] == letter.reg_index
    [file] = item["files"]
    content = api.get(f"/incoming/{delivery.pk}/files/{file['id']}")
    assert content.status_code == 200 and content.content.startswith(b"%PDF")
    assert content["X-Content-SHA256"] == file["sha256"]
    journals = api.get("/journals").json()
    assert str(enterprise_incoming.pk) in [j["id"] for j in journals]
    registered = api.post(f"/incoming/{delivery.pk}/register", {"journal_id": str(enterprise_incoming.pk)})
    assert registered.status_code == 201, registered.content
    doc = registered.json()
    assert doc["correspondent_index"] == letter.reg_index and doc["files"][0]["sha256"] == file["sha256"]
    delivery.refresh_from_db()
    assert delivery.status == "registered" and str(delivery.registered_document_id) == doc["id"]
    _error(api.post(f"/incoming/{delivery.pk}/register", {"journal_id": str(enterprise_incoming.pk)}), 409,
           "delivery_handled")
    listed = api.get(f"/journals/{enterprise_incoming.pk}/documents").json()
    assert [d["id"] for d in listed["items"]] == [doc["id"]]


def test_reject_and_validation_errors(api, letter, council_clerk, enterprise):
    [delivery] = delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    error = _error(api.post(f"/incoming/{delivery.pk}/reject", {}), 422, "invalid")
    assert "reason" in error["fields"]
    assert api.post(f"/incoming/{delivery.pk}/reject", {"reason": "Не нам"}).json()["status"] == "rejected"
    _error(api.get("/incoming/not-a-uuid"), 404, "not_found")
    _error(api.get("/incoming/00000000-0000-0000-0000-000000000000"), 404, "not_found")


def test_outgoing_is_registered_sent_and_its_receipts_read(api, enterprise, enterprise_outgoing, council,
                                                          council_clerk):
    from ratusha.exchange.services import delivery_register
    from tests.factories import JournalFactory

    pdf = base64.b64encode(make_pdf("Відповідь")).decode()
    response = api.post("/outgoing", {
        "journal_id": str(enterprise_outgoing.pk), "summary": "Про графік ремонту мереж", "signed_by": "Петро ОЛІЙНИК",
        "files": [{"name": "відповідь.pdf", "content_base64": pdf}], "send_to": [str(council.pk)]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["document"]["reg_index"] and body["deliveries"][0]["recipient"]["id"] == str(council.pk)
    delivery = Delivery.objects.get(pk=body["deliveries"][0]["id"])
    council_incoming = JournalFactory(organisation=council, kind="incoming", index_template="{seq}",
                                      default_case_index="")
    incoming = delivery_register(actor=council_clerk, delivery=delivery, journal=council_incoming)
    receipts = api.get(f"/outgoing/{body['document']['id']}/receipts").json()
    kinds = [r["kind"] for r in receipts[0]["receipts"]]
    assert kinds == ["delivered", "registered"] and receipts[0]["receipts"][1]["reg_index"] == incoming.reg_index


def test_outgoing_bad_input(api, enterprise_outgoing, council):
    _error(api.post("/outgoing", {"journal_id": str(enterprise_outgoing.pk), "summary": "X",
                                  "files": [{"name": "a.pdf", "content_base64": "%%%"}]}), 400, "invalid_base64")
    _error(api.post("/outgoing", {"journal_id": str(enterprise_outgoing.pk), "summary": "X",
                                  "files": [{"name": "a.exe", "content_base64": base64.b64encode(b"MZ\x90").decode()}]}),
           400, "upload_type")
    _error(api.post("/outgoing", {"journal_id": str(council.pk), "summary": "X",
                                  "files": [{"name": "a.pdf", "content_base64": "JVBERg=="}]}), 400, "invalid_journal")
