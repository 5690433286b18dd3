"""Office pages of the exchange: the queue, one delivered document, the sender's list, the card panel."""

import pytest
from django.urls import reverse

from ratusha.exchange.models import Delivery
from ratusha.exchange.services import delivery_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(letter, council_clerk, enterprise):
    [delivery] = delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    return delivery


def test_send_from_the_card_and_see_addressees(client, letter, council_clerk, enterprise, transport):
    client.force_login(council_clerk)
    card = client.get(reverse("registry:document", args=[letter.pk]))
    assert "Надіслати організаціям громади" in card.content.decode()
    response = client.post(reverse("exchange:send", args=[letter.pk]),
                           {"recipients": [enterprise.pk, transport.pk]})
    assert response.status_code == 302 and response["Location"].endswith("#addressees")
    assert Delivery.objects.filter(document=letter).count() == 2
    html = client.get(reverse("registry:document", args=[letter.pk])).content.decode()
    assert "Водоканал" in html and "Електротранс" in html and "Квитанція про доставку" in html
    sent = client.get(reverse("exchange:sent")).content.decode()
    assert letter.reg_index in sent and "Доставлено, чекає реєстрації" in sent


def test_the_recipient_registers_from_the_queue(client, delivered, enterprise_clerk, enterprise_incoming, letter,
                                                council_clerk):
    client.force_login(enterprise_clerk)
    inbox = client.get(reverse("exchange:inbox")).content.decode()
    assert letter.summary[:40] in inbox
    page = client.get(reverse("exchange:inbox_item", args=[delivered.pk])).content.decode()
    assert "Зареєструвати у вхідних" in page and "лист.pdf" in page
    file = letter.files.get()
    download = client.get(reverse("exchange:inbox_file", args=[delivered.pk, file.pk]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    response = client.post(reverse("exchange:inbox_item", args=[delivered.pk]),
                           {"action": "register", "journal": enterprise_incoming.pk, "summary": "Про мережі",
                            "note": ""})
    delivered.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:document", args=[delivered.registered_document_id])
    assert delivered.registered_document.summary == "Про мережі"
    # the incoming card says where it came from
    card = client.get(response["Location"]).content.decode()
    assert "Надійшов через систему від Виконком" in card
    # and the sender's card holds the registration receipt
    client.force_login(council_clerk)
    html = client.get(reverse("registry:document", args=[letter.pk])).content.decode()
    assert "Квитанція про реєстрацію" in html and delivered.registered_document.reg_index in html


def test_reject_without_reason_keeps_the_page_with_a_message(client, delivered, enterprise_clerk):
    client.force_login(enterprise_clerk)
    response = client.post(reverse("exchange:inbox_item", args=[delivered.pk]), {"action": "reject", "reason": ""})
    assert response.status_code == 400
    assert "Вкажіть причину" in response.content.decode()
    response = client.post(reverse("exchange:inbox_item", args=[delivered.pk]),
                           {"action": "reject", "reason": "Адресовано не нам"})
    assert response.status_code == 302
    delivered.refresh_from_db()
    assert delivered.status == "rejected"


def test_register_with_a_foreign_journal_is_refused_on_the_form(client, delivered, enterprise_clerk, letter):
    client.force_login(enterprise_clerk)
    response = client.post(reverse("exchange:inbox_item", args=[delivered.pk]),
                           {"action": "register", "journal": letter.journal_id, "summary": "Текст, який я ввів"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Текст, який я ввів" in html  # nothing typed is lost


def test_others_cannot_open_the_delivery(client, delivered, council_clerk, letter):
    client.force_login(council_clerk)  # the sender sees its card, not the recipient's queue
    assert client.get(reverse("exchange:inbox_item", args=[delivered.pk])).status_code == 404
    file = letter.files.get()
    assert client.get(reverse("exchange:inbox_file", args=[delivered.pk, file.pk])).status_code == 404
