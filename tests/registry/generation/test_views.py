"""Office pages: «Сформувати документ» on a card (access = the card's), «Створити з шаблону» in approvals
(through the approvals service, audited), forms that keep what was typed."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from ratusha.core.models import AuditEvent
from ratusha.core.storage import blob_read
from ratusha.registry.generation import pdf_for_document, pdf_for_draft
from ratusha.registry.generation.constants import DOCX_MIME
from ratusha.registry.services import document_register
from ratusha.workflow.approvals.models import Draft
from tests.factories import EmployeeFactory
from tests.registry.generation.conftest import docx_text, flat

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    from tests.registry.generation.conftest import pdftotext

    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return flat(pdftotext(path, layout=True))


@pytest.fixture
def card(council):
    return document_register(actor=council.registrar, journal=council.outgoing, kind="letter",
                             summary="Про ремонт тротуару на вулиці Лесі Українки",
                             correspondent="ТОВ «Шляхбуд»", signed_by="Ігор ПОЛІЩУК")


def gen_url(name, **kwargs):
    return reverse(f"registry:generation:{name}", kwargs=kwargs or None)


# --- a card -----------------------------------------------------------------------------------------


def test_card_offers_generation(client, council, card):
    client.force_login(council.registrar)
    page = client.get(reverse("registry:document", args=[card.pk])).content.decode()
    assert gen_url("document", pk=card.pk) in page and "Сформувати документ" in page
    choose = client.get(gen_url("document", pk=card.pk))
    assert choose.status_code == 200
    html = choose.content.decode()
    assert 'value="letter"' in html and "checked" in html.split('value="letter"')[1].split(">")[0]
    for label in ("Лист", "Розпорядження", "Рішення виконавчого комітету", "Рішення ради", "Службова записка"):
        assert label in html


def test_card_downloads_pdf_and_docx(client, council, card, tmp_path):
    client.force_login(council.registrar)
    response = client.get(gen_url("download", pk=card.pk), {"kind": "letter", "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    date = card.reg_date.strftime("%d.%m.%Y")
    for part in ("ЛУЦЬКА МІСЬКА РАДА", f"{date} № {card.reg_index}", "ТОВ «Шляхбуд»",
                 "Про ремонт тротуару на вулиці Лесі Українки", "Ігор ПОЛІЩУК"):
        assert part in text
    response = client.get(gen_url("download", pk=card.pk), {"kind": "order", "format": "docx"})
    assert response.status_code == 200 and response["Content-Type"] == DOCX_MIME
    text = flat(docx_text(response.content))
    assert "РОЗПОРЯДЖЕННЯ" in text and f"№ {card.reg_index}" in text and "м. Луцьк" in text


def test_card_bad_choice_is_a_message_not_an_error(client, council, card):
    client.force_login(council.registrar)
    response = client.get(gen_url("download", pk=card.pk), {"kind": "poem", "format": "exe"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Оберіть шаблон зі списку." in html and "Оберіть PDF або DOCX." in html


def test_restricted_card_is_404_for_who_may_not_open_it(client, council):
    secret = document_register(actor=council.registrar, journal=council.outgoing, kind="letter",
                               summary="Про кадрові питання", correspondent="Прокуратура", access="restricted")
    colleague = EmployeeFactory(organisation=council.org, roles=["executor"]).user
    for user in (colleague, council.outsider):
        client.force_login(user)
        assert client.get(gen_url("document", pk=secret.pk)).status_code == 404
        assert client.get(gen_url("download", pk=secret.pk), {"kind": "letter", "format": "pdf"}).status_code == 404
    client.force_login(council.registrar)
    assert client.get(gen_url("download", pk=secret.pk), {"kind": "letter", "format": "pdf"}).status_code == 200


def test_anonymous_goes_to_sign_in(client, card):
    response = client.get(gen_url("document", pk=card.pk))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_pdf_for_document_fills_the_registration(council, card, tmp_path):
    text = pdf_text(pdf_for_document(card), tmp_path)
    assert f"№ {card.reg_index}" in text and card.reg_date.strftime("%d.%m.%Y") in text


# --- a draft from a template -------------------------------------------------------------------------


def form_data(council, **extra):
    data = {"kind": "letter", "journal": str(council.outgoing.pk), "addressee": "Директору ТОВ «Шляхбуд»\nПетру ШЕВЧУКУ",
            "heading": "Про ремонт тротуару", "text": "Прошу відремонтувати тротуар.\n\nДякуємо за співпрацю.",
            "signer_position": "Міський голова", "signer_name": "Ігор ПОЛІЩУК",
            "executor_name": "Олена КОВАЛЕНКО", "executor_phone": "(0332) 777-889", "access": "internal"}
    data.update(extra)
    return data


def test_new_draft_page_links_to_the_template_form(client, council):
    client.force_login(council.author)
    page = client.get(reverse("approvals:new")).content.decode()
    assert gen_url("draft_new") in page and "Створити з шаблону" in page


def test_form_is_prefilled(client, council):
    client.force_login(council.author)
    response = client.get(gen_url("draft_new"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Олена КОВАЛЕНКО"' in html and 'value="(0332) 777-889"' in html
    assert 'value="Ігор ПОЛІЩУК"' in html and 'value="Міський голова"' in html


def test_missing_fields_get_a_message_each_and_nothing_is_lost(client, council):
    client.force_login(council.author)
    response = client.post(gen_url("draft_new"), form_data(council, heading="", text="", addressee="",
                                                           executor_name=""))
    assert response.status_code == 400
    html = response.content.decode()
    for message in ("Вкажіть заголовок до тексту.", "Введіть текст документа.", "Вкажіть адресата листа.",
                    "Вкажіть виконавця документа."):
        assert message in html
    assert 'value="Ігор ПОЛІЩУК"' in html and 'value="(0332) 777-889"' in html
    assert not Draft.objects.exists()


def test_wrong_journal_for_the_kind(client, council):
    client.force_login(council.author)
    response = client.post(gen_url("draft_new"), form_data(council, journal=str(council.orders.pk)))
    assert response.status_code == 400
    html = response.content.decode()
    assert "реєструють в іншому журналі" in html and "Прошу відремонтувати тротуар." in html
    assert not Draft.objects.exists()


def test_draft_from_template_goes_through_the_approvals_service(client, council, tmp_path):
    client.force_login(council.author)
    response = client.post(gen_url("draft_new"), form_data(council))
    draft = Draft.objects.get()
    assert response.status_code == 302 and response["Location"] == gen_url("draft_created", pk=draft.pk)
    assert (draft.author, draft.kind, draft.summary, draft.journal) == (council.author, "letter",
                                                                        "Про ремонт тротуару", council.outgoing)
    version = draft.current_version
    assert version.number == 1 and version.blob.mime == "application/pdf"
    actions = list(AuditEvent.objects.filter(object_id=str(draft.pk)).order_by("seq").values_list("action", flat=True))
    assert actions == ["draft.create", "draft.generate"]
    generated = AuditEvent.objects.get(action="draft.generate").params
    assert generated["template"] == "letter" and generated["pdf_sha256"] == version.blob_id

    pdf = blob_read(version.blob_id)
    text = pdf_text(pdf, tmp_path)
    for part in ("ЛУЦЬКА МІСЬКА РАДА", "____________ № ____________", "Директору ТОВ «Шляхбуд»",
                 "Про ремонт тротуару", "Прошу відремонтувати тротуар.", "Дякуємо за співпрацю.",
                 "Міський голова", "Ігор ПОЛІЩУК", "Олена КОВАЛЕНКО"):
        assert part in text
    assert pdf_for_draft(draft) == pdf  # the signing helper gets the very bytes the visas are given for

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert gen_url("draft_docx", pk=draft.pk) in html and reverse("approvals:draft", args=[draft.pk]) in html
    docx = client.get(gen_url("draft_docx", pk=draft.pk))
    assert docx.status_code == 200 and docx["Content-Type"] == DOCX_MIME
    assert "Прошу відремонтувати тротуар." in docx_text(docx.content)
    assert client.get(reverse("approvals:draft", args=[draft.pk])).status_code == 200

    client.force_login(council.outsider)
    assert client.get(gen_url("draft_created", pk=draft.pk)).status_code == 404
    assert client.get(gen_url("draft_docx", pk=draft.pk)).status_code == 404


def test_memo_and_decision_drafts(client, council):
    client.force_login(council.author)
    response = client.post(gen_url("draft_new"), form_data(council, kind="memo", journal=str(council.internal.pk),
                                                           addressee="Першому заступнику міського голови"))
    assert response.status_code == 302
    response = client.post(gen_url("draft_new"), form_data(council, kind="executive_decision", addressee="",
                                                           journal=str(council.executive.pk), heading="Про тарифи"))
    assert response.status_code == 302
    kinds = sorted(Draft.objects.values_list("kind", flat=True))
    assert kinds == ["decision", "memo"]


def test_pdf_for_a_text_draft_uses_the_template(council, tmp_path):
    from ratusha.workflow.approvals.services import draft_create

    draft = draft_create(actor=council.author, journal=council.internal, kind="memo",
                         summary="Про відпустку", name="записка.txt",
                         content="Прошу надати щорічну відпустку.\n\nЗ 1 по 14 липня.".encode())
    text = pdf_text(pdf_for_draft(draft), tmp_path)
    for part in ("СЛУЖБОВА ЗАПИСКА", "Про відпустку", "Прошу надати щорічну відпустку.", "Олена КОВАЛЕНКО"):
        assert part in text
    assert "УПРАВЛІННЯ ЖИТЛОВО-" in text and "КОМУНАЛЬНОГО ГОСПОДАРСТВА" in text
    # A DOCX for a draft that was not generated: filled from the draft on the fly.
    from django.test import Client

    client = Client()
    client.force_login(council.author)
    response = client.get(gen_url("draft_docx", pk=draft.pk))
    assert response.status_code == 200 and "З 1 по 14 липня." in docx_text(response.content)
    assert io.BytesIO(response.content).read(2) == b"PK"


def test_registered_card_of_a_generated_draft_keeps_the_text(client, council, tmp_path):
    """The card registered from a generated draft renders with its index and the text typed in the form."""
    client.force_login(council.author)
    assert client.post(gen_url("draft_new"), form_data(council)).status_code == 302
    draft = Draft.objects.get()
    card = document_register(actor=council.registrar, journal=council.outgoing, kind="letter",
                             summary=draft.summary, correspondent=draft.addressee)
    Draft.objects.filter(pk=draft.pk).update(document=card)  # what signing does (test shortcut)
    text = pdf_text(pdf_for_document(card), tmp_path)
    date = card.reg_date.strftime("%d.%m.%Y")
    for part in (f"{date} № {card.reg_index}", "Директору ТОВ «Шляхбуд»", "Петру ШЕВЧУКУ",
                 "Прошу відремонтувати тротуар.", "Дякуємо за співпрацю.", "Ігор ПОЛІЩУК", "Олена КОВАЛЕНКО"):
        assert part in text
    assert "____________ № ____________" not in text
