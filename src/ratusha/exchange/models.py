"""Deliveries of registered documents to other organisations, and the receipts they leave."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ratusha.core.models import BaseModel
from ratusha.exchange.constants import DeliveryStatus, ReceiptKind
from ratusha.orgs.models import Organisation
from ratusha.registry.models import Document


class Delivery(BaseModel):
    """One registered document sent to one addressee organisation of this installation."""

    # The message id travels with the document (idempotency between installations uses it too).
    message_id = models.UUIDField(_("ідентифікатор повідомлення"), default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="deliveries",
                                 verbose_name=_("документ відправника"))
    sender = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="deliveries_out",
                               verbose_name=_("відправник"))
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="deliveries_in",
                                  verbose_name=_("адресат"))
    status = models.CharField(_("стан"), max_length=12, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.DELIVERED, db_index=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("надіслав"))
    delivered_at = models.DateTimeField(_("доставлено"))
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("опрацював"))
    handled_at = models.DateTimeField(_("опрацьовано"), null=True, blank=True)
    registered_document = models.OneToOneField(Document, null=True, blank=True, on_delete=models.PROTECT,
                                               related_name="delivered_from",
                                               verbose_name=_("картка адресата"))
    reject_reason = models.CharField(_("причина відхилення"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("доставка документа")
        verbose_name_plural = _("доставки документів")
        ordering = ["-delivered_at"]
        constraints = [
            # One live delivery per document and addressee; after a rejection it may be sent again.
            models.UniqueConstraint(fields=["document", "recipient"], condition=~Q(status="rejected"),
                                    name="exchange_one_live_delivery"),
        ]
        indexes = [models.Index(fields=["recipient", "status", "-delivered_at"])]

    def __str__(self) -> str:
        return f"{self.document.reg_index} → {self.recipient}"


class Receipt(BaseModel):
    """What the addressee's side reported back: delivered, registered (its index and date), rejected."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="receipts")
    kind = models.CharField(_("вид"), max_length=12, choices=ReceiptKind.choices)
    at = models.DateTimeField(_("час"))
    reg_index = models.CharField(_("індекс у адресата"), max_length=80, blank=True)
    reg_date = models.DateField(_("дата реєстрації в адресата"), null=True, blank=True)
    reason = models.CharField(_("причина"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("квитанція")
        verbose_name_plural = _("квитанції")
        ordering = ["at"]
        constraints = [models.UniqueConstraint(fields=["delivery", "kind"], name="exchange_one_receipt_per_kind")]
