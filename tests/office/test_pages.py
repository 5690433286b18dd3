"""Every office page renders for the people who may see it."""

import pytest
from django.urls import reverse

from ratusha.registry import services as svc
from tests.office.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get("/office/")
    assert response.status_code == 302
    assert response["Location"].startswith("/office/login/")


def test_login_page_renders_in_ukrainian(client):
    response = client.get("/office/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="uk">' in body
    assert "Вхід до робочого кабінету" in body
    assert "htmx.min.js" in body
    assert "<style" not in body and " style=" not in body  # CSP: no inline styles


def test_home_shows_my_documents(registrar_client, register_doc, registrar):
    register_doc(executor=registrar)
    response = registrar_client.get("/office/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Мої документи" in body
    assert "Про ремонт дороги" in body
    assert 'href="/office/search/"' in body and 'href="/office/staff/"' in body
    assert "/django-admin/" not in body  # not a superuser


def test_register_form_renders_fields_per_kind(registrar_client, incoming_journal, outgoing_journal):
    incoming = registrar_client.get("/office/register/incoming/").content.decode()
    assert 'name="correspondent_index"' in incoming and 'name="received_date"' in incoming
    assert 'type="file"' in incoming and "multiple" in incoming
    assert 'placeholder="ДД.ММ.РРРР"' in incoming
    outgoing = registrar_client.get("/office/register/outgoing/").content.decode()
    assert 'name="received_date"' not in outgoing
    assert "Адресат" in outgoing


def test_register_unknown_kind_is_404(registrar_client):
    assert registrar_client.get("/office/register/secret/").status_code == 404


def test_executor_may_not_register(client, executor, incoming_journal):
    client.force_login(executor)
    assert client.get("/office/register/incoming/").status_code == 403


def test_card_shows_fields_files_and_history(registrar_client, register_doc):
    from ratusha.registry.services import FileInput

    doc = register_doc(files=[FileInput(name="Лист від Шляхбуду.pdf", content=PDF_BYTES)],
                       correspondent_index="12/3")
    response = registrar_client.get(f"/office/documents/{doc.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert doc.reg_index in body
    assert "Лист від Шляхбуду.pdf" in body
    assert "Зареєстровано" in body  # history entry
    assert "<dl" in body and "Індекс і дата документа кореспондента" in body
    assert "<iframe" in body  # PDF preview


def test_bad_uuid_is_404(registrar_client):
    assert registrar_client.get("/office/documents/not-a-uuid/").status_code == 404
    assert registrar_client.get("/office/documents/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_outsider_gets_404_on_another_orgs_card(client, outsider, register_doc):
    doc = register_doc()
    client.force_login(outsider)
    assert client.get(f"/office/documents/{doc.pk}/").status_code == 404
    file_doc = register_doc(files=[svc.FileInput(name="a.pdf", content=PDF_BYTES)], summary="Інший лист")
    file = file_doc.files.get()
    assert client.get(reverse("registry:file_download", args=[file.pk])).status_code == 404


def test_journals_list_and_journal_page(registrar_client, register_doc, incoming_journal):
    register_doc()
    listing = registrar_client.get("/office/journals/").content.decode()
    assert incoming_journal.name in listing
    page = registrar_client.get(f"/office/journals/{incoming_journal.pk}/")
    assert page.status_code == 200
    assert "Про ремонт дороги" in page.content.decode()


def test_outsider_cannot_open_foreign_journal(client, outsider, incoming_journal):
    client.force_login(outsider)
    assert client.get(f"/office/journals/{incoming_journal.pk}/").status_code == 404


def test_404_page_is_the_styled_one(registrar_client):
    response = registrar_client.get("/office/documents/00000000-0000-0000-0000-000000000000/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Сторінку не знайдено" in body and "app.css" in body
