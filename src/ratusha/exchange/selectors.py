"""Reads of the exchange, with access checked here: an addressee's registrars see their queue; the
sender's side sees deliveries of the cards it may open."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ratusha.exchange.constants import DeliveryStatus
from ratusha.exchange.models import Delivery
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
    qs = Delivery.objects.filter(recipient_id__in=_receiving_org_ids(user)).select_related(
        "document", "sender", "recipient", "registered_document", "handled_by")
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(file_count=Count("document__files", filter=Q(document__files__is_current=True))).order_by(
        "-delivered_at")


def inbox_counts(*, user: Any) -> dict[str, int]:
    rows = (Delivery.objects.filter(recipient_id__in=_receiving_org_ids(user)).values("status")
            .annotate(n=Count("pk")))
    counts = {s.value: 0 for s in DeliveryStatus}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def inbox_item(*, user: Any, pk: Any) -> Delivery:
    try:
        return inbox(user=user, status=None).get(pk=pk)
    except (Delivery.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def delivery_files(*, delivery: Delivery) -> list[DocumentFile]:
    """The sender's current files, as the addressee receives them."""
    return list(delivery.document.files.filter(is_current=True).select_related("blob").order_by("created_at"))


def delivery_file(*, user: Any, delivery_pk: Any, file_pk: Any) -> DocumentFile:
    delivery = inbox_item(user=user, pk=delivery_pk)
    try:
        return delivery.document.files.select_related("blob").get(pk=file_pk, is_current=True)
    except (DocumentFile.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def incoming_journals(*, delivery: Delivery) -> QuerySet[Journal]:
    return Journal.objects.filter(organisation_id=delivery.recipient_id, kind=JournalKind.INCOMING,
                                  is_active=True).order_by("name")


def sent(*, user: Any, status: str | None = None) -> QuerySet[Delivery]:
    """Deliveries of the cards the user may open (the sender's «Надіслані» view)."""
    qs = Delivery.objects.filter(document__in=documents_visible_to(user)).select_related(
        "document", "recipient", "registered_document").prefetch_related("receipts")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-delivered_at")


def document_deliveries(*, user: Any, document: Document) -> list[Delivery]:
    """Addressees of a card and their receipts (the card is already checked as visible by the caller)."""
    return list(Delivery.objects.filter(document=document).select_related("recipient", "sent_by")
                .prefetch_related("receipts").order_by("recipient__short_name", "delivered_at"))


def possible_recipients(*, document: Document) -> QuerySet[Organisation]:
    """Organisations of this installation the card can be sent to (not the sender, not already live)."""
    live = Delivery.objects.filter(document=document).exclude(status=DeliveryStatus.REJECTED).values(
        "recipient_id")
    return (Organisation.objects.filter(is_active=True).exclude(pk=document.organisation_id)
            .exclude(pk__in=live).order_by("name"))
