"""Delivery between organisations of one installation: send, register or reject, receipts to the sender."""

import pytest
from django.http import Http404

from ratusha.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from ratusha.core.models import AuditEvent
from ratusha.exchange import selectors
from ratusha.exchange.constants import DeliveryStatus, ReceiptKind
from ratusha.exchange.models import Delivery
from ratusha.exchange.services import delivery_register, delivery_reject, delivery_send
from ratusha.notifications.models import Notification
from ratusha.registry.services import document_cancel

pytestmark = pytest.mark.django_db


def test_send_delivers_at_once_with_a_receipt_and_notifies_the_recipient(
        letter, council_clerk, enterprise, enterprise_clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    assert delivery.status == DeliveryStatus.DELIVERED
    assert [r.kind for r in delivery.receipts.all()] == [ReceiptKind.DELIVERED]
    assert list(selectors.inbox(user=enterprise_clerk)) == [delivery]
    note = Notification.objects.get(recipient=enterprise_clerk)
    assert note.kind == "document_delivered"
    assert letter.reg_index in note.title and "Виконком" in note.title
    assert AuditEvent.objects.filter(action="document.delivery_sent", object_id=str(letter.pk)).count() == 1


def test_register_creates_the_incoming_card_and_writes_the_receipt_back(
        letter, council_clerk, enterprise, enterprise_clerk, enterprise_incoming,
        django_capture_on_commit_callbacks):
    [delivery] = delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    with django_capture_on_commit_callbacks(execute=True):
        incoming = delivery_register(actor=enterprise_clerk, delivery=delivery, journal=enterprise_incoming)
    assert incoming.organisation_id == enterprise.pk
    assert incoming.journal == enterprise_incoming
    assert (incoming.correspondent_org_id, incoming.correspondent_index, incoming.correspondent_date) == (
        letter.organisation_id, letter.reg_index, letter.reg_date)
    assert incoming.summary == letter.summary
    assert incoming.delivery_method == "edms"
    # the same bytes, stored once
    assert [f.blob_id for f in incoming.files.all()] == [f.blob_id for f in letter.files.all()]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.REGISTERED and delivery.registered_document == incoming
    receipt = delivery.receipts.get(kind=ReceiptKind.REGISTERED)
    assert (receipt.reg_index, receipt.reg_date) == (incoming.reg_index, incoming.reg_date)
    event = AuditEvent.objects.get(action="document.receipt", object_id=str(letter.pk))
    assert event.params["reg_index"] == incoming.reg_index
    note = Notification.objects.get(recipient=council_clerk, kind="delivery_receipt")
    assert incoming.reg_index in note.title
    with pytest.raises(TransitionError):
        delivery_register(actor=enterprise_clerk, delivery=delivery, journal=enterprise_incoming)


def test_reject_needs_a_reason_and_allows_sending_again(letter, council_clerk, enterprise, enterprise_clerk):
    [delivery] = delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    with pytest.raises(ApplicationError) as exc:
        delivery_reject(actor=enterprise_clerk, delivery=delivery, reason="   ")
    assert exc.value.field == "reason"
    delivery_reject(actor=enterprise_clerk, delivery=delivery, reason="Адресовано не нам")
    assert delivery.status == DeliveryStatus.REJECTED
    assert delivery.receipts.get(kind=ReceiptKind.REJECTED).reason == "Адресовано не нам"
    [again] = delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    assert again.pk != delivery.pk and again.status == DeliveryStatus.DELIVERED


def test_refusals(letter, council, council_clerk, enterprise, transport, enterprise_clerk, enterprise_executor,
                  enterprise_incoming):
    with pytest.raises(ApplicationError) as exc:
        delivery_send(actor=council_clerk, document=letter, recipients=[])
    assert exc.value.field == "recipients"
    with pytest.raises(ApplicationError) as exc:
        delivery_send(actor=council_clerk, document=letter, recipients=[council])
    assert exc.value.code == "self_delivery"
    with pytest.raises(PermissionDeniedError):
        delivery_send(actor=enterprise_clerk, document=letter, recipients=[transport])
    [delivery] = delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    with pytest.raises(ApplicationError) as exc:
        delivery_send(actor=council_clerk, document=letter, recipients=[enterprise, transport])
    assert exc.value.code == "already_sent" and "Водоканал" in exc.value.message
    assert Delivery.objects.filter(recipient=transport).count() == 0  # all or nothing
    with pytest.raises(PermissionDeniedError):
        delivery_register(actor=enterprise_executor, delivery=delivery, journal=enterprise_incoming)
    with pytest.raises(PermissionDeniedError):
        delivery_register(actor=council_clerk, delivery=delivery, journal=enterprise_incoming)
    outgoing = letter.journal
    with pytest.raises(ApplicationError) as exc:
        delivery_register(actor=enterprise_clerk, delivery=delivery, journal=outgoing)
    assert exc.value.field == "journal"


def test_cancelled_or_empty_cards_are_not_sent(letter, council_clerk, enterprise):
    document_cancel(actor=council_clerk, document=letter, reason="Помилкова реєстрація")
    letter.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    assert exc.value.code == "document_cancelled"


def test_the_inbox_is_only_for_the_recipients_registrars(letter, council_clerk, enterprise, transport,
                                                         enterprise_executor):
    from tests.factories import EmployeeFactory

    [delivery] = delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    other = EmployeeFactory(organisation=transport, roles=["registrar"]).user
    assert list(selectors.inbox(user=other, status=None)) == []
    assert list(selectors.inbox(user=enterprise_executor, status=None)) == []
    with pytest.raises(Http404):
        selectors.inbox_item(user=other, pk=delivery.pk)
