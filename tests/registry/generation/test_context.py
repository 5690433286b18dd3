"""Building the context: names «Ім'я ПРІЗВИЩЕ», the place from the address, paragraphs, the template of a
card, and the card/draft builders."""

from __future__ import annotations

import pytest

from ratusha.registry.generation import context_from_document, context_from_draft, template_kind_for
from ratusha.registry.generation.context import Requisites, signature_name, split_paragraphs
from ratusha.registry.services import document_register
from ratusha.workflow.approvals.models import Draft
from ratusha.workflow.approvals.services import draft_create
from tests.factories import UserFactory


def test_signature_name_is_first_name_and_upper_surname(db):
    assert signature_name(UserFactory(first_name="Ігор", last_name="Поліщук")) == "Ігор ПОЛІЩУК"
    assert signature_name(UserFactory(first_name="Мар'яна", last_name="Гнатюк-Ткач")) == "Мар'яна ГНАТЮК-ТКАЧ"
    assert signature_name(UserFactory(username="clerk9", first_name="", last_name="")) == "clerk9"
    assert signature_name(None) == ""


@pytest.mark.parametrize(("address", "place"), [
    ("вул. Богдана Хмельницького, 19, м. Луцьк, 43025", "м. Луцьк"),
    ("43025, місто Івано-Франківськ, вул. Грушевського, 21", "м. Івано-Франківськ"),
    ("смт Ківерці, вул. Соборна, 1", "смт Ківерці"),
    ("вул. Соборна, 1", ""),
])
def test_place_of_issue_from_the_address(address, place):
    assert Requisites(name="x", address=address).place == place


def test_paragraphs():
    assert split_paragraphs("Перший\nрядок.\n\n  Другий   абзац.  ") == ("Перший рядок.", "Другий абзац.")
    assert split_paragraphs("Один.\nДва.") == ("Один.", "Два.")
    assert split_paragraphs("  ") == ()


@pytest.mark.parametrize(("kind", "journal", "template"), [
    ("letter", "outgoing", "letter"), ("order", "orders", "order"), ("directive", "orders", "order"),
    ("decision", "council_decisions", "council_decision"), ("decision", "executive_decisions", "executive_decision"),
    ("memo", "internal", "memo"), ("report", "internal", "memo"), ("appeal", "incoming", "letter"),
])
def test_template_of_a_card(kind, journal, template):
    assert template_kind_for(kind, journal) == template


def test_context_from_a_card_without_a_draft(council):
    card = document_register(actor=council.registrar, journal=council.outgoing, kind="letter",
                             summary="Про  ремонт\nтротуару", correspondent="ТОВ «Шляхбуд»", signed_by="Ігор ПОЛІЩУК",
                             executor=council.author)
    context = context_from_document(card)
    assert context.kind == "letter" and context.is_registered
    assert (context.reg_index, context.reg_date) == (card.reg_index, card.reg_date)
    assert context.heading == "Про ремонт тротуару"
    assert context.addressee == ("ТОВ «Шляхбуд»",)
    assert context.signer_name == "Ігор ПОЛІЩУК"
    assert (context.executor_name, context.executor_phone) == ("Олена КОВАЛЕНКО", "(0332) 777-889")
    assert context.organisation.edrpou_line == "Код ЄДРПОУ 26654297"
    assert context.blank_lines == ("ЛУЦЬКА МІСЬКА РАДА",)
    assert context_from_document(card, kind="executive_decision").blank_lines == ("ЛУЦЬКА МІСЬКА РАДА",
                                                                                 "ВИКОНАВЧИЙ КОМІТЕТ")


def test_context_from_a_draft_and_from_its_registered_card(council):
    answered = document_register(actor=council.registrar, journal=council.outgoing, kind="letter",
                                 summary="Звернення", correspondent="ТОВ «Шляхбуд»", correspondent_index="77/3")
    draft = draft_create(actor=council.author, journal=council.outgoing, kind="letter", summary="Про тротуар",
                         addressee="ТОВ «Шляхбуд»\nвул. Ковельська, 5", name="лист.txt",
                         content="Повідомляємо про ремонт.\n\nРоботи завершено.".encode(), answer_to=answered)
    context = context_from_draft(draft)
    assert context.kind == "letter" and not context.is_registered
    assert (context.date_text, context.index_text) == ("____________", "____________")
    assert context.paragraphs == ("Повідомляємо про ремонт.", "Роботи завершено.")
    assert context.addressee == ("ТОВ «Шляхбуд» вул. Ковельська, 5",)  # the draft keeps one line
    assert context.answer_index == "77/3"
    assert context.executor_name == "Олена КОВАЛЕНКО"
    assert context.unit == "Управління житлово-комунального господарства"

    card = document_register(actor=council.registrar, journal=council.outgoing, kind="letter",
                             summary="Про тротуар", correspondent="ТОВ «Шляхбуд»")
    Draft.objects.filter(pk=draft.pk).update(document=card)  # what signing does (test shortcut)
    registered = context_from_document(card)
    assert registered.is_registered and registered.reg_index == card.reg_index
    assert registered.paragraphs == context.paragraphs and registered.executor_name == "Олена КОВАЛЕНКО"
