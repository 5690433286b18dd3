"""Reads of the exchange, with access checked here: an addressee's registrars see their queue; the
sender's side sees deliveries of the cards it may open."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404

from ratusha.exchange.constants import DeliveryStatus, Route
from ratusha.exchange.models import Delivery, DeliveryFile, Peer, RemoteFile
from ratusha.orgs.constants import REGISTERING_ROLES
from ratusha.orgs.models import Organisation
from ratusha.orgs.permissions import organisation_ids
from ratusha.registry.constants import JournalKind
from ratusha.registry.models import Document, DocumentFile, Journal
from ratusha.registry.selectors import documents_visible_to


def _receiving_org_ids(user: Any) -> list[str]:
    return organisation_ids(user, REGISTERING_ROLES)


def inbox(*, user: Any, status: str | None = DeliveryStatus.DELIVERED) -> QuerySet[Delivery]:
    """Deliveries addressed to organisations where the user registers documents."""
    qs = Delivery.objects.filter(recipient_id__in=_receiving_org_ids(user)).exclude(route=Route.OUTBOUND).select_related(
        "document", "remote_card", "sender", "peer", "recipient", "registered_document", "handled_by")
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        local_files=Count("sent_files", distinct=True),
        remote_files=Count("remote_card__files", distinct=True)).order_by("-delivered_at")


def inbox_counts(*, user: Any) -> dict[str, int]:
    rows = (Delivery.objects.filter(recipient_id__in=_receiving_org_ids(user)).exclude(route=Route.OUTBOUND)
            .values("status")
            .annotate(n=Count("pk")))
    counts = {s.value: 0 for s in DeliveryStatus}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def inbox_item(*, user: Any, pk: Any) -> Delivery:
    try:
        return inbox(user=user, status=None).get(pk=pk)
    except (Delivery.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def delivery_files(*, delivery: Delivery) -> list[DocumentFile | RemoteFile]:
    """The sender's files as the addressee received them (the delivery checked by the caller): the versions
    recorded on the delivery when the card was sent (a local card's), or the files of the package as it
    came (another installation's) — never the card's files of now."""
    if delivery.route == Route.INBOUND:
        return list(delivery.remote_card.files.select_related("blob").order_by("created_at"))
    return [row.file for row in DeliveryFile.objects.filter(delivery=delivery).select_related("file__blob")
            .order_by("position")]


def delivery_sent_file(*, delivery: Delivery, file_pk: Any) -> DocumentFile | RemoteFile:
    """One of the files sent with the delivery (the delivery checked by the caller); any other id is 404."""
    try:
        if delivery.route == Route.INBOUND:
            return delivery.remote_card.files.select_related("blob").get(pk=file_pk)
        return DeliveryFile.objects.select_related("file__blob").get(delivery=delivery, file_id=file_pk).file
    except (DeliveryFile.DoesNotExist, RemoteFile.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def delivery_file(*, user: Any, delivery_pk: Any, file_pk: Any) -> DocumentFile | RemoteFile:
    return delivery_sent_file(delivery=inbox_item(user=user, pk=delivery_pk), file_pk=file_pk)


def incoming_journals(*, delivery: Delivery) -> QuerySet[Journal]:
    return Journal.objects.filter(organisation_id=delivery.recipient_id, kind=JournalKind.INCOMING,
                                  is_active=True).order_by("name")


def sent(*, user: Any, status: str | None = None) -> QuerySet[Delivery]:
    """Deliveries of the cards the user may open (the sender's «Надіслані» view)."""
    qs = Delivery.objects.filter(document__in=documents_visible_to(user)).select_related(
        "document", "recipient", "peer", "registered_document").prefetch_related("receipts")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-delivered_at")


def document_deliveries(*, user: Any, document: Document) -> list[Delivery]:
    """Addressees of a card and their receipts (the card is already checked as visible by the caller)."""
    return list(Delivery.objects.filter(document=document).select_related("recipient", "peer", "sent_by")
                .prefetch_related("receipts", "outbox").order_by("route", "recipient__short_name", "peer__short_name",
                                                       "delivered_at"))


def possible_recipients(*, document: Document) -> QuerySet[Organisation]:
    """Organisations of this installation the card can be sent to (not the sender, not already live)."""
    live = Delivery.objects.filter(document=document, recipient__isnull=False).exclude(
        status=DeliveryStatus.REJECTED).values("recipient_id")
    return (Organisation.objects.filter(is_active=True).exclude(pk=document.organisation_id)
            .exclude(pk__in=live).order_by("name"))


def possible_peers(*, document: Document) -> QuerySet[Peer]:
    """Participants of other installations the card can be sent to (the sender must be a participant)."""
    from ratusha.exchange.models import Participant

    if not Participant.objects.filter(organisation_id=document.organisation_id, is_active=True).exists():
        return Peer.objects.none()
    live = Delivery.objects.filter(document=document, route=Route.OUTBOUND).exclude(
        status=DeliveryStatus.REJECTED).values("peer_id")
    return Peer.objects.filter(is_active=True).exclude(pk__in=live).order_by("name")
