"""A delivery carries the files as they were when sent: what the sender adds to or replaces in the card
afterwards is not seen, downloaded or registered by the addressee (office pages, API, registration)."""

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from ratusha.api.services import api_key_create
from ratusha.exchange import selectors
from ratusha.exchange.models import DeliveryFile, OutboxMessage
from ratusha.exchange.services import delivery_register, delivery_send
from ratusha.registry.services.files import document_file_add, document_file_new_version
from tests.exchange.conftest import make_pdf
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed_after_sending(letter, council_clerk, enterprise):
    """Sent with «лист.pdf» v1; then an internal file is added and «лист.pdf» gets version 2."""
    [delivery] = delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    [original] = list(letter.files.all())
    internal = document_file_add(
        actor=council_clerk, document=letter, name="внутрішня-довідка.pdf", content=make_pdf("Службове")
    )
    replaced = document_file_new_version(
        actor=council_clerk, file=original, name="лист.pdf", content=make_pdf("Лист, версія 2")
    )
    return delivery, original, internal, replaced


def test_the_addressee_sees_and_downloads_only_the_originals(client, changed_after_sending, enterprise_clerk):
    delivery, original, internal, replaced = changed_after_sending
    assert [f.pk for f in selectors.delivery_files(delivery=delivery)] == [original.pk]
    client.force_login(enterprise_clerk)
    page = client.get(reverse("exchange:inbox_item", args=[delivery.pk])).content.decode()
    assert reverse("exchange:inbox_file", args=[delivery.pk, original.pk]) in page
    assert "внутрішня-довідка.pdf" not in page
    assert str(internal.pk) not in page and str(replaced.pk) not in page
    download = client.get(reverse("exchange:inbox_file", args=[delivery.pk, original.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == make_pdf(
        "Лист"
    )
    for other in (internal, replaced):
        assert client.get(reverse("exchange:inbox_file", args=[delivery.pk, other.pk])).status_code == 404
    queue = client.get(reverse("exchange:inbox")).content.decode()
    assert "<td>1</td>" in queue  # one file sent, not the three the card has now


def test_registration_copies_only_the_originals(changed_after_sending, enterprise_clerk, enterprise_incoming):
    delivery, original, _internal, _replaced = changed_after_sending
    incoming = delivery_register(actor=enterprise_clerk, delivery=delivery, journal=enterprise_incoming)
    assert [(f.name, f.blob_id) for f in incoming.files.all()] == [("лист.pdf", original.blob_id)]


def test_the_api_lists_and_serves_only_the_originals(client, changed_after_sending, enterprise):
    delivery, original, internal, replaced = changed_after_sending
    admin = EmployeeFactory(organisation=enterprise, roles=["admin"]).user
    _key, secret = api_key_create(actor=admin, organisation=enterprise, name="СЕД", scopes=["incoming:read"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    body = client.get(f"/api/v1/incoming/{delivery.pk}", **auth).json()
    assert [(f["id"], f["sha256"]) for f in body["files"]] == [(str(original.pk), original.blob_id)]
    [listed] = [
        d for d in client.get("/api/v1/incoming", **auth).json()["items"] if d["id"] == str(delivery.pk)
    ]
    assert [f["id"] for f in listed["files"]] == [str(original.pk)]
    ok = client.get(f"/api/v1/incoming/{delivery.pk}/files/{original.pk}", **auth)
    assert ok.status_code == 200 and ok["X-Content-SHA256"] == original.blob_id
    for other in (internal, replaced):
        assert client.get(f"/api/v1/incoming/{delivery.pk}/files/{other.pk}", **auth).status_code == 404


def test_a_package_to_another_installation_records_what_it_sealed(package_out, enterprise_clerk):
    delivery = package_out.delivery
    [sent] = list(delivery.document.files.all())
    document_file_add(
        actor=enterprise_clerk, document=delivery.document, name="пізніше.pdf", content=make_pdf("Пізніше")
    )
    assert [f.pk for f in selectors.delivery_files(delivery=delivery)] == [sent.pk]
    assert OutboxMessage.objects.filter(delivery=delivery).count() == 1


def test_the_migration_records_existing_deliveries(
    letter, council_clerk, enterprise, transport, enterprise_clerk, enterprise_incoming
):
    """Deliveries made before the snapshot existed: a registered one gets exactly the versions the addressee
    holds; an unhandled one gets the card's current files (the best available)."""
    import importlib

    migration = importlib.import_module("ratusha.exchange.migrations.0003_delivery_files_as_sent")
    registered, waiting = delivery_send(
        actor=council_clerk, document=letter, recipients=[enterprise, transport]
    )
    delivery_register(actor=enterprise_clerk, delivery=registered, journal=enterprise_incoming)
    [original] = list(letter.files.all())
    replaced = document_file_new_version(
        actor=council_clerk, file=original, name="лист.pdf", content=make_pdf("Лист, версія 2")
    )
    DeliveryFile.objects.all().delete()
    migration.record_existing(django_apps, None)
    assert [f.pk for f in selectors.delivery_files(delivery=registered)] == [original.pk]
    assert [f.pk for f in selectors.delivery_files(delivery=waiting)] == [replaced.pk]
