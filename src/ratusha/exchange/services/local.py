"""Delivery inside one installation: the sender's document lands in the addressee's queue at once.

The addressee's registrar registers it in their own incoming journal (registration once, in the
organisation that receives the document — docs/legal.md §6) or rejects it with a reason; either way a
receipt is written back into the sender's card (the card's history and its «Адресати» panel).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from ratusha.core.storage import blob_read
from ratusha.exchange.constants import (
    DELIVERY_TRANSITIONS,
    RECEIPT_FOR_STATUS,
    REJECT_REASON_MAX,
    DeliveryStatus,
    ReceiptKind,
    Route,
)
from ratusha.exchange.models import Delivery, DeliveryFile, Peer, Receipt
from ratusha.orgs.constants import Role
from ratusha.orgs.models import Employee, Organisation
from ratusha.orgs.permissions import can_register
from ratusha.registry.constants import DeliveryMethod, JournalKind
from ratusha.registry.models import Document, DocumentFile, Journal
from ratusha.registry.services.uploads import FileInput


def _require_registrar_of(actor: Any, organisation_id: Any, message: str) -> None:
    if not can_register(actor, organisation_id):
        raise PermissionDeniedError(message)


def delivery_transition(*, delivery: Delivery, to: str) -> None:
    """The one place that checks a delivery's status change against the transitions table."""
    if to not in DELIVERY_TRANSITIONS.get(delivery.status, frozenset()):
        raise TransitionError(
            _("Цей документ уже опрацьовано: %(status)s.") % {"status": delivery.get_status_display()},
            code="delivery_handled")
    delivery.status = to


def _receipt(delivery: Delivery, *, at: dt.datetime, reg_index: str = "", reg_date: dt.date | None = None,
             reason: str = "") -> Receipt:
    return Receipt.objects.create(delivery=delivery, kind=RECEIPT_FOR_STATUS[delivery.status], at=at,
                                  reg_index=reg_index, reg_date=reg_date, reason=reason)


def _registrars(organisation_id: Any) -> list[Any]:
    people = Employee.objects.filter(organisation_id=organisation_id, is_active=True,
                                     user__is_active=True).select_related("user")
    return [e.user for e in people if Role.REGISTRAR in e.roles or Role.ADMIN in e.roles]


def delivery_send(*, actor: Any, document: Document, recipients: Iterable[Organisation] = (),
                  peers: Iterable[Peer] = ()) -> list[Delivery]:
    """Send a registered document of the actor's organisation to addressee organisations.

    Each addressee of this installation gets it in its incoming queue at once, with a delivery receipt
    for the sender; each participant of another installation gets a sealed package through the outbox
    (the receipt comes when its installation acknowledges it). A document already delivered to (and not
    rejected by) an addressee is not sent to it twice.
    """
    _require_registrar_of(actor, document.organisation_id,
                          _("Надсилати документи іншим організаціям може діловод організації-відправника."))
    if document.is_cancelled:
        raise ApplicationError(_("Реєстрацію документа скасовано: надсилати його не можна."),
                               code="document_cancelled")
    targets = {org.pk: org for org in recipients}
    remote = {peer.pk: peer for peer in peers}
    if not targets and not remote:
        raise ApplicationError(_("Оберіть хоча б одного адресата."), code="required", field="recipients")
    if document.organisation_id in targets:
        raise ApplicationError(_("Документ не можна надіслати власній організації."), code="self_delivery",
                               field="recipients")
    inactive = [party.short_name for party in [*targets.values(), *remote.values()] if not party.is_active]
    if inactive:
        raise ApplicationError(_("Організація не діє: %(names)s.") % {"names": ", ".join(inactive)},
                               code="inactive_recipient", field="recipients")
    current = list(document.files.filter(is_current=True).select_related("blob").order_by("created_at"))
    if not current:
        raise ApplicationError(_("До картки не додано жодного файлу: адресатові нічого надсилати."),
                               code="no_files")
    now = timezone.now()
    created: list[Delivery] = []
    with transaction.atomic():
        live = {pk for row in Delivery.objects.select_for_update().filter(document=document).exclude(
            status=DeliveryStatus.REJECTED).values_list("recipient_id", "peer_id") for pk in row if pk}
        repeated = [party.short_name for pk, party in [*targets.items(), *remote.items()] if pk in live]
        if repeated:
            raise ApplicationError(
                _("Цим адресатам документ уже надіслано: %(names)s.") % {"names": ", ".join(repeated)},
                code="already_sent", field="recipients")
        for org in targets.values():
            delivery = Delivery.objects.create(document=document, sender_id=document.organisation_id,
                                               recipient=org, sent_by=actor, delivered_at=now)
            record_sent_files(delivery, current)
            _receipt(delivery, at=now)
            created.append(delivery)
            emit(delivery.recipient_id, "document.delivered", delivery)
            audit_log(actor=actor, action="document.delivery_sent", obj=document, params={
                "delivery": str(delivery.pk), "message_id": str(delivery.message_id),
                "recipient": str(org.pk), "recipient_name": org.short_name})
        if remote:
            from ratusha.exchange.services.outbound import outbound_queue

            created += outbound_queue(actor=actor, document=document, peers=list(remote.values()), now=now,
                                      files=current)
        local = [d for d in created if d.route == Route.LOCAL]
        transaction.on_commit(lambda: notify_recipients(local))
    return created


def record_sent_files(delivery: Delivery, files: list[DocumentFile]) -> None:
    """Keep on the delivery the exact file versions sent: what the card gets later is not sent with it."""
    DeliveryFile.objects.bulk_create([DeliveryFile(delivery=delivery, file=f, position=i)
                                      for i, f in enumerate(files, start=1)])


def emit(organisation_id: Any, event: str, delivery: Delivery) -> None:
    """Queue the organisation's webhooks (an outbox row in this transaction; sent after commit)."""
    from ratusha.api.webhooks import emit as webhook_emit

    receipt = delivery.receipts.order_by("-at").first()
    card = delivery.card
    webhook_emit(organisation_id=organisation_id, event=event, payload={
        "delivery_id": str(delivery.pk), "message_id": str(delivery.message_id), "status": delivery.status,
        "route": delivery.route, "sender_id": str(delivery.sender_id or ""),
        "recipient_id": str(delivery.recipient_id or ""),
        "peer_id": delivery.peer.participant_id if delivery.peer_id else None,
        "document": {"reg_index": card.reg_index, "reg_date": card.reg_date.isoformat()},
        "receipt": None if receipt is None else {
            "kind": receipt.kind, "at": receipt.at.isoformat(), "reg_index": receipt.reg_index,
            "reg_date": receipt.reg_date.isoformat() if receipt.reg_date else None, "reason": receipt.reason}})


def notify_recipients(deliveries: list[Delivery]) -> None:
    from django.urls import reverse

    from ratusha.notifications.constants import NotificationKind
    from ratusha.notifications.services import notify_many

    for delivery in deliveries:
        document = delivery.card
        notify_many(recipients=_registrars(delivery.recipient_id), kind=NotificationKind.DOCUMENT_DELIVERED,
                    title=_("Надійшов документ від %(sender)s: № %(index)s") % {
                        "sender": delivery.sender_party.short_name, "index": document.reg_index},
                    body=document.summary[:500], url=reverse("exchange:inbox_item", args=[delivery.pk]),
                    obj=delivery, actor=delivery.sent_by)


def notify_receipt(delivery: Delivery, kind: str, *, reg_index: str = "", reg_date: dt.date | None = None,
                   reason: str = "") -> None:
    """Tell who sent the card that the addressee (here or in another installation) registered or rejected it."""
    if not delivery.sent_by_id:
        return
    names = {"org": delivery.addressee.short_name, "index": delivery.document.reg_index}
    if kind == ReceiptKind.REGISTERED:
        title = _("%(org)s зареєструвала № %(index)s: вх. № %(their)s від %(date)s") % {
            **names, "their": reg_index, "date": reg_date.strftime("%d.%m.%Y") if reg_date else "—"}
    else:
        title = _("%(org)s відхилила № %(index)s: %(reason)s") % {**names, "reason": reason}
    _notify_sender(delivery, title)


def _notify_sender(delivery: Delivery, title: str) -> None:
    from django.urls import reverse

    from ratusha.notifications.constants import NotificationKind
    from ratusha.notifications.services import notify

    notify(recipient=delivery.sent_by, kind=NotificationKind.DELIVERY_RECEIPT, title=title,
           url=reverse("registry:document", args=[delivery.document_id]) + "#addressees",
           obj=delivery.document, actor=delivery.handled_by)


def _locked(delivery: Delivery) -> Delivery:
    return Delivery.objects.select_for_update(of=("self",)).select_related(
        "document", "sender", "recipient", "peer", "remote_card").get(pk=delivery.pk)


def delivery_register(*, actor: Any, delivery: Delivery, journal: Journal, summary: str = "",
                      unit: Any = None, executor: Any = None, note: str = "") -> Document:
    """Register a delivered document in the addressee's incoming journal; the sender gets the receipt.

    The correspondent data come from the sender's card (its name, index and date); the files are the
    sender's current files, byte for byte. Two registrars at once: the delivery row is locked, the
    second one is told it is already registered (no second card).
    """
    from ratusha.registry.services import document_register

    _require_registrar_of(actor, delivery.recipient_id,
                          _("Зареєструвати документ може діловод організації-адресата."))
    if journal.organisation_id != delivery.recipient_id or journal.kind != JournalKind.INCOMING:
        raise ApplicationError(_("Оберіть журнал вхідних документів вашої організації."),
                               code="invalid_journal", field="journal")
    from ratusha.exchange.selectors import delivery_files

    source = delivery.card
    files = [FileInput(name=f.name, content=blob_read(f.blob_id), comment=_("Отримано через систему від %(org)s")
                       % {"org": delivery.sender_party.short_name})
             for f in delivery_files(delivery=delivery)]
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(delivery)
        delivery_transition(delivery=locked, to=DeliveryStatus.REGISTERED)
        registered = document_register(
            actor=actor, journal=journal, kind=source.kind, summary=(summary or source.summary).strip(),
            correspondent=locked.sender_party.name[:300], correspondent_org=locked.sender,
            correspondent_index=source.reg_index, correspondent_date=source.reg_date,
            received_date=timezone.localdate(now), signed_by=source.signed_by, unit=unit, executor=executor,
            access=source.access, pages=source.pages, attachments_note=source.attachments_note,
            delivery_method=DeliveryMethod.EDMS, note=note, files=files, allow_duplicate=True,
            audit_extra={"delivery": str(locked.pk), "message_id": str(locked.message_id)})
        locked.registered_document = registered
        locked.handled_by, locked.handled_at = actor, now
        locked.save(update_fields=["status", "registered_document", "handled_by", "handled_at", "updated_at"])
        receipt = _receipt(locked, at=now, reg_index=registered.reg_index, reg_date=registered.reg_date)
        if locked.route == Route.INBOUND:
            _receipt_to_peer(locked, receipt)
        else:
            emit(locked.sender_id, "delivery.receipt", locked)
            audit_log(actor=actor, action="document.receipt", obj=source, params={
                "delivery": str(locked.pk), "kind": "registered", "recipient": locked.recipient.short_name,
                "reg_index": registered.reg_index, "reg_date": registered.reg_date})
            transaction.on_commit(lambda: notify_receipt(locked, ReceiptKind.REGISTERED, reg_index=registered.reg_index,
                                                         reg_date=registered.reg_date))
    delivery.refresh_from_db()
    return registered


def _receipt_to_peer(delivery: Delivery, receipt: Receipt) -> None:
    """An addressee's answer to another installation's package goes back as a sealed receipt."""
    from ratusha.exchange.services.outbound import receipt_queue

    receipt_queue(delivery=delivery, receipt=receipt)


def delivery_reject(*, actor: Any, delivery: Delivery, reason: str) -> Delivery:
    """Refuse a delivered document (e.g. sent to the wrong addressee) with a reason the sender sees."""
    _require_registrar_of(actor, delivery.recipient_id,
                          _("Відхилити документ може діловод організації-адресата."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ApplicationError(_("Вкажіть причину: відправник побачить її у своїй картці."),
                               code="required", field="reason")
    if len(reason) > REJECT_REASON_MAX:
        raise ApplicationError(_("Причина задовга (не більше %(n)s символів).") % {"n": REJECT_REASON_MAX},
                               code="too_long", field="reason")
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(delivery)
        delivery_transition(delivery=locked, to=DeliveryStatus.REJECTED)
        locked.reject_reason = reason
        locked.handled_by, locked.handled_at = actor, now
        locked.save(update_fields=["status", "reject_reason", "handled_by", "handled_at", "updated_at"])
        receipt = _receipt(locked, at=now, reason=reason)
        if locked.route == Route.INBOUND:
            audit_log(actor=actor, action="exchange.package_rejected", obj=locked, params={
                "message_id": str(locked.message_id), "sender": locked.peer.participant_id, "reason": reason})
            _receipt_to_peer(locked, receipt)
            delivery.refresh_from_db()
            return delivery
        emit(locked.sender_id, "delivery.receipt", locked)
        audit_log(actor=actor, action="document.receipt", obj=locked.document, params={
            "delivery": str(locked.pk), "kind": "rejected", "recipient": locked.recipient.short_name,
            "reason": reason})
        transaction.on_commit(lambda: notify_receipt(locked, ReceiptKind.REJECTED, reason=reason))
    delivery.refresh_from_db()
    return delivery
