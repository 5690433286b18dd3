"""Registration form: validation, staged uploads that survive a re-render, the duplicate warning."""

import html
import re

import pytest
from django.utils import timezone

from ratusha.registry.models import Document
from tests.office.conftest import PDF_BYTES, PNG_BYTES, upload

pytestmark = pytest.mark.django_db

URL = "/office/register/incoming/"


def form_data(journal, **extra):
    data = {
        "journal": str(journal.pk), "kind": "letter", "summary": "Про ремонт дороги на вулиці Лесі Українки",
        "correspondent": "Служба автомобільних доріг", "correspondent_index": "45/02-11",
        "correspondent_date": "02.03.2026", "received_date": "", "delivery_method": "post",
        "access": "internal", "urgency": "normal", "link_kind": "answer_to",
    }
    data.update(extra)
    return data


def staged_tokens(body: str) -> list[str]:
    return re.findall(r'name="staged" value="([^"]+)"', body)


def test_register_with_file_redirects_to_card(registrar_client, incoming_journal, casefile):
    response = registrar_client.post(URL, {**form_data(incoming_journal),
                                           "files": [upload("Лист.pdf", PDF_BYTES)]})
    assert response.status_code == 302
    doc = Document.objects.get()
    assert response["Location"] == f"/office/documents/{doc.pk}/"
    assert doc.correspondent_date.isoformat() == "2026-03-02"
    assert [f.name for f in doc.files.all()] == ["Лист.pdf"]


def test_iso_date_is_accepted_too(registrar_client, incoming_journal, casefile):
    response = registrar_client.post(URL, form_data(incoming_journal, correspondent_date="2026-03-02"))
    assert response.status_code == 302
    assert Document.objects.get().correspondent_date.isoformat() == "2026-03-02"


def test_missing_fields_and_bad_dates_rerender_with_messages(registrar_client, incoming_journal):
    response = registrar_client.post(URL, form_data(incoming_journal, summary="", correspondent_date="31.02.2026",
                                                    correspondent="ТОВ «Світанок»", pages="-3"))
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Вкажіть короткий зміст документа." in body
    assert "Введіть дату у форматі ДД.ММ.РРРР" in body
    assert "Кількість аркушів не може бути від'ємною." in body
    assert 'value="ТОВ «Світанок»"' in body  # the user's data is kept
    assert 'aria-invalid="true"' in body
    assert not Document.objects.exists()


def test_future_received_date_is_a_field_error(registrar_client, incoming_journal):
    tomorrow = (timezone.localdate() + timezone.timedelta(days=2)).strftime("%d.%m.%Y")
    response = registrar_client.post(URL, form_data(incoming_journal, received_date=tomorrow))
    assert response.status_code == 400
    assert "не може бути пізнішою за сьогоднішню" in response.content.decode()


def test_upload_survives_a_failed_submit_and_registers_later(registrar_client, incoming_journal, casefile):
    first = registrar_client.post(URL, {**form_data(incoming_journal, summary=""),
                                        "files": [upload("Скан листа.pdf", PDF_BYTES), upload("Фото.png", PNG_BYTES)]})
    body = first.content.decode()
    assert first.status_code == 400
    assert "Вже завантажено" in body
    assert "Скан листа.pdf" in body and "Фото.png" in body
    tokens = staged_tokens(body)
    assert len(tokens) == 2
    # Second attempt: no files re-sent, one staged file removed by the user.
    second = registrar_client.post(URL, {**form_data(incoming_journal), "staged": tokens,
                                         "staged_remove": [tokens[1]]})
    assert second.status_code == 302
    doc = Document.objects.get()
    assert [f.name for f in doc.files.all()] == ["Скан листа.pdf"]


def test_wrong_type_gets_message_next_to_file_field_and_good_file_is_kept(registrar_client, incoming_journal):
    response = registrar_client.post(URL, {**form_data(incoming_journal),
                                           "files": [upload("virus.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200),
                                                     upload("Лист.pdf", PDF_BYTES)]})
    body = response.content.decode()
    assert response.status_code == 400
    assert "недозволений тип" in body
    assert 'id="id_files_error"' in body
    assert len(staged_tokens(body)) == 1 and "Лист.pdf" in body
    assert not Document.objects.exists()


def test_oversized_file_is_refused_with_limit(registrar_client, incoming_journal, settings):
    settings.MAX_UPLOAD_MB = 1
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    response = registrar_client.post(URL, {**form_data(incoming_journal), "files": [upload("big.pdf", big)]})
    assert response.status_code == 400
    assert "завеликий" in response.content.decode()


def test_forged_staged_token_is_a_field_error(registrar_client, incoming_journal):
    response = registrar_client.post(URL, {**form_data(incoming_journal), "staged": ["forged-token"]})
    assert response.status_code == 400
    assert "Додайте файл ще раз" in response.content.decode()


def test_duplicate_warning_then_register_anyway(registrar_client, incoming_journal, casefile):
    assert registrar_client.post(URL, form_data(incoming_journal)).status_code == 302
    original = Document.objects.get()
    again = registrar_client.post(URL, {**form_data(incoming_journal), "files": [upload("Лист.pdf", PDF_BYTES)]})
    body = again.content.decode()
    assert again.status_code == 400
    assert "Можлива повторна реєстрація" in body
    assert f'href="/office/documents/{original.pk}/"' in body
    assert "Все одно зареєструвати (це інший документ)" in body
    assert Document.objects.count() == 1
    tokens = staged_tokens(body)
    assert len(tokens) == 1  # the file is not lost while the clerk decides
    confirmed = registrar_client.post(URL, {**form_data(incoming_journal), "staged": tokens, "allow_duplicate": "on"})
    assert confirmed.status_code == 302
    second = Document.objects.exclude(pk=original.pk).get()
    assert second.duplicate_of_id == original.pk
    assert second.files.count() == 1


def test_journal_of_another_org_is_not_a_choice(registrar_client, incoming_journal):
    from tests.factories import JournalFactory

    foreign = JournalFactory(kind="incoming")
    response = registrar_client.post(URL, form_data(foreign))
    assert response.status_code == 400
    assert "Оберіть журнал зі списку." in response.content.decode()


def test_link_by_exact_index_without_javascript(registrar_client, register_doc, outgoing_journal, casefile):
    incoming = register_doc()
    response = registrar_client.post("/office/register/outgoing/", {
        "journal": str(outgoing_journal.pk), "kind": "letter", "summary": "Відповідь щодо ремонту дороги",
        "correspondent": "ТОВ «Шляхбуд»", "access": "internal", "urgency": "normal", "delivery_method": "post",
        "link_kind": "answer_to", "link_query": incoming.reg_index})
    assert response.status_code == 302
    answer = Document.objects.exclude(pk=incoming.pk).get()
    assert answer.links_out.get().target_id == incoming.pk


def test_picker_lists_only_visible_documents(registrar_client, register_doc, client, outsider):
    doc = register_doc()
    found = registrar_client.get("/office/documents/picker/", {"link_query": doc.reg_index[:2]})
    assert doc.reg_index in found.content.decode()
    client.force_login(outsider)
    hidden = client.get("/office/documents/picker/", {"link_query": doc.reg_index[:2]})
    assert doc.reg_index not in hidden.content.decode()
