"""The document card and its actions; file download and preview; journals with filters."""

import html
from urllib.parse import quote

import pytest
from django.urls import reverse

from ratusha.core.models import AuditEvent
from ratusha.registry.models import Document, DocumentLink
from ratusha.registry.services import FileInput
from tests.office.conftest import PDF_BYTES, PNG_BYTES, upload

pytestmark = pytest.mark.django_db


def test_download_has_safe_headers_and_cyrillic_name(registrar_client, register_doc):
    doc = register_doc(files=[FileInput(name="Лист від ради.pdf", content=PDF_BYTES)])
    file = doc.files.get()
    response = registrar_client.get(reverse("registry:file_download", args=[file.pk]))
    assert response.status_code == 200
    assert response.content == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('Лист від ради.pdf')}"
    inline = registrar_client.get(reverse("registry:file_view", args=[file.pk]))
    assert inline["Content-Disposition"].startswith("inline;")


def test_text_file_is_never_shown_inline(registrar_client, register_doc):
    doc = register_doc(files=[FileInput(name="note.txt", content="Привіт".encode())])
    response = registrar_client.get(reverse("registry:file_view", args=[doc.files.get().pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_corrupted_blob_gives_a_clear_page_not_a_500(registrar_client, register_doc, settings, tmp_path):
    from ratusha.core.storage import blob_path

    settings.BLOB_DIR = tmp_path / "blobs"  # a private store: the tampering must not leak into other tests
    doc = register_doc(files=[FileInput(name="a.pdf", content=PDF_BYTES + b"%corrupt-me\n")])
    file = doc.files.get()
    path = blob_path(file.blob_id)
    path.chmod(0o640)
    path.write_bytes(b"tampered")
    response = registrar_client.get(reverse("registry:file_download", args=[file.pk]))
    assert response.status_code == 409
    assert "SHA-256" in response.content.decode()


def test_image_preview_uses_img(registrar_client, register_doc):
    doc = register_doc(files=[FileInput(name="фото.png", content=PNG_BYTES)])
    body = registrar_client.get(f"/office/documents/{doc.pk}/").content.decode()
    assert '<img class="preview-img"' in body


def test_add_file_and_new_version(registrar_client, register_doc):
    doc = register_doc()
    response = registrar_client.post(reverse("registry:file_add", args=[doc.pk]),
                                     {"file": upload("Додаток.pdf", PDF_BYTES), "comment": "скан"})
    assert response.status_code == 302
    file = doc.files.get()
    response = registrar_client.post(reverse("registry:file_version", args=[doc.pk, file.pk]),
                                     {"file": upload("Додаток v2.pdf", PDF_BYTES + b"%v2\n")})
    assert response.status_code == 302
    assert sorted(doc.files.values_list("version", flat=True)) == [1, 2]
    body = registrar_client.get(f"/office/documents/{doc.pk}/").content.decode()
    assert "Усі версії (2)" in body
    assert "Додано нову версію файлу" in body  # history


def test_add_wrong_file_rerenders_card_with_message(registrar_client, register_doc):
    doc = register_doc()
    response = registrar_client.post(reverse("registry:file_add", args=[doc.pk]),
                                     {"file": upload("x.pdf", b"\x00\x01\x02binary")})
    assert response.status_code == 400
    assert "недозволений тип" in response.content.decode()
    assert not doc.files.exists()


def test_executor_may_add_files_but_not_cancel(client, executor, register_doc):
    doc = register_doc(executor=executor)
    client.force_login(executor)
    body = client.get(f"/office/documents/{doc.pk}/").content.decode()
    assert "Додати файл" in body and "Скасувати реєстрацію" not in body
    assert client.post(reverse("registry:file_add", args=[doc.pk]),
                       {"file": upload("Звіт.pdf", PDF_BYTES)}).status_code == 302
    refused = client.post(reverse("registry:cancel", args=[doc.pk]), {"reason": "тест"})
    assert refused.status_code == 400
    assert Document.objects.get(pk=doc.pk).status == "registered"


def test_cancel_needs_a_reason_and_keeps_the_number(registrar_client, register_doc):
    doc = register_doc()
    empty = registrar_client.post(reverse("registry:cancel", args=[doc.pk]), {"reason": ""})
    assert empty.status_code == 400
    assert "Вкажіть причину скасування реєстрації." in html.unescape(empty.content.decode())
    done = registrar_client.post(reverse("registry:cancel", args=[doc.pk]), {"reason": "Зареєстровано помилково"})
    assert done.status_code == 302
    doc.refresh_from_db()
    assert doc.status == "cancelled" and doc.reg_index
    body = registrar_client.get(f"/office/documents/{doc.pk}/").content.decode()
    assert "Зареєстровано помилково" in body


def test_status_transition_and_forbidden_one(registrar_client, register_doc):
    doc = register_doc()
    assert registrar_client.post(reverse("registry:status", args=[doc.pk]), {"to": "in_work"}).status_code == 302
    doc.refresh_from_db()
    assert doc.status == "in_work"
    bad = registrar_client.post(reverse("registry:status", args=[doc.pk]), {"to": "filed"})
    assert bad.status_code == 400
    nonsense = registrar_client.post(reverse("registry:status", args=[doc.pk]), {"to": "<script>"})
    assert nonsense.status_code == 400


def test_link_picker_flow(registrar_client, register_doc):
    first = register_doc()
    second = register_doc(summary="Відповідь на лист")
    response = registrar_client.post(reverse("registry:link_add", args=[second.pk]),
                                     {"kind": "answer_to", "link_target": str(first.pk)})
    assert response.status_code == 302
    assert DocumentLink.objects.filter(source=second, target=first, kind="answer_to").exists()
    body = registrar_client.get(f"/office/documents/{first.pk}/").content.decode()
    assert "Відповідь на цей документ" in body and second.reg_index in body
    missing = registrar_client.post(reverse("registry:link_add", args=[second.pk]),
                                    {"kind": "answer_to", "link_query": "нема-такого"})
    assert missing.status_code == 400
    assert "не знайдено" in missing.content.decode()


def test_personal_card_read_is_audited(registrar_client, register_doc):
    doc = register_doc(access="personal")
    registrar_client.get(f"/office/documents/{doc.pk}/")
    assert AuditEvent.objects.filter(action="document.read_personal", object_id=str(doc.pk)).exists()


def test_journal_filters_and_htmx_partial(registrar_client, register_doc, incoming_journal):
    register_doc(summary="Про ремонт даху", correspondent="Управління освіти")
    register_doc(summary="Про освітлення парку", correspondent="Мешканці вулиці")
    url = f"/office/journals/{incoming_journal.pk}/"
    page = registrar_client.get(url, {"correspondent": "освіти"}).content.decode()
    assert "Про ремонт даху" in page and "Про освітлення парку" not in page
    partial = registrar_client.get(url, {"correspondent": "мешканці"},
                                   headers={"HX-Request": "true", "HX-Target": "journal-results"})
    body = partial.content.decode()
    assert "<html" not in body and "Про освітлення парку" in body and "Про ремонт даху" not in body


def test_journal_bad_filter_input_is_a_field_error_not_500(registrar_client, register_doc, incoming_journal):
    register_doc()
    url = f"/office/journals/{incoming_journal.pk}/"
    response = registrar_client.get(url, {"date_from": "32.13.2026", "kind": "nonsense", "page": "abc"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Введіть дату у форматі ДД.ММ.РРРР" in body
    assert "Про ремонт дороги" in body  # invalid filters are ignored, the list still shows


def test_journal_pagination(registrar_client, register_doc, incoming_journal, settings):
    settings.PAGE_SIZE = 2
    for n in range(5):
        register_doc(summary=f"Документ номер {n}")
    url = f"/office/journals/{incoming_journal.pk}/"
    first = registrar_client.get(url).content.decode()
    assert "Показано 1–2 з 5" in first
    last = registrar_client.get(url, {"page": "3"}).content.decode()
    assert "Документ номер 0" in last and "Показано 5–5 з 5" in last
