"""Deliveries of registered documents to other organisations, and the receipts they leave."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ratusha.core.models import BaseModel, Blob
from ratusha.exchange.constants import (
    AckResult,
    DeliveryStatus,
    MessageType,
    OutboxState,
    ReceiptKind,
    RefusalCode,
    Route,
)
from ratusha.orgs.models import Organisation
from ratusha.registry.constants import AccessMark, DocumentKind
from ratusha.registry.models import Document, DocumentFile


class Peer(BaseModel):
    """A participant of another installation (the directory of participants): whom we exchange with,
    where its endpoint is, and the seal certificate its packages and receipts must be signed with."""

    participant_id = models.CharField(_("ідентифікатор учасника (ЄДРПОУ)"), max_length=10, unique=True)
    name = models.CharField(_("повна назва"), max_length=300)
    short_name = models.CharField(_("скорочена назва"), max_length=120)
    endpoint = models.URLField(_("адреса обміну"), max_length=300,
                               help_text=_("Адреса /exchange/v1/ установки учасника."))
    certificate_der = models.BinaryField(_("сертифікат печатки"))
    fingerprint = models.CharField(_("відбиток SHA-256"), max_length=64)
    is_active = models.BooleanField(_("діє"), default=True)
    last_success_at = models.DateTimeField(_("останній успішний обмін"), null=True, blank=True)
    failing_since = models.DateTimeField(_("недоступний з"), null=True, blank=True)
    last_error = models.CharField(_("остання помилка"), max_length=500, blank=True)
    alerted_at = models.DateTimeField(_("адміністраторів сповіщено"), null=True, blank=True)

    class Meta:
        verbose_name = _("учасник іншої установки")
        verbose_name_plural = _("учасники інших установок")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Participant(BaseModel):
    """An organisation of this installation that takes part in exchange between installations, with the
    seal its packages, receipts and acknowledgements are signed with (the key is kept encrypted with the
    installation secret, so the outbox can sign without a person)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="exchange_participant",
                                        verbose_name=_("організація"))
    certificate_der = models.BinaryField(_("сертифікат печатки"))
    key_encrypted = models.BinaryField(_("ключ печатки (зашифрований)"))
    fingerprint = models.CharField(_("відбиток SHA-256"), max_length=64)
    is_active = models.BooleanField(_("діє"), default=True)

    class Meta:
        verbose_name = _("учасник обміну цієї установки")
        verbose_name_plural = _("учасники обміну цієї установки")

    def __str__(self) -> str:
        return str(self.organisation)


class RemoteCard(BaseModel):
    """The sender's card as it came in a package from another installation (what the addressee's
    registrar sees before registering it; the package itself is kept as it arrived)."""

    kind = models.CharField(_("вид документа"), max_length=20, choices=DocumentKind.choices)
    reg_index = models.CharField(_("індекс у відправника"), max_length=80)
    reg_date = models.DateField(_("дата у відправника"))
    summary = models.TextField(_("короткий зміст"))
    signed_by = models.CharField(_("підписав"), max_length=200, blank=True)
    access = models.CharField(_("гриф доступу"), max_length=12, choices=AccessMark.choices, default=AccessMark.INTERNAL)
    pages = models.PositiveIntegerField(_("аркушів"), null=True, blank=True)
    attachments_note = models.CharField(_("додатки"), max_length=300, blank=True)
    package = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+", verbose_name=_("пакет ASiC-E"))
    data = models.JSONField(_("дані картки з пакета"), default=dict)

    class Meta:
        verbose_name = _("картка відправника з іншої установки")
        verbose_name_plural = _("картки відправників з інших установок")


class RemoteFile(BaseModel):
    """A file of a remote card (the same fields the local card's files have, so one view serves both)."""

    card = models.ForeignKey(RemoteCard, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(_("назва файлу"), max_length=255)
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at"]


class Delivery(BaseModel):
    """One registered document sent to one addressee organisation of this installation."""

    # The message id travels with the document (idempotency between installations uses it too).
    message_id = models.UUIDField(_("ідентифікатор повідомлення"), default=uuid.uuid4, unique=True, editable=False)
    route = models.CharField(_("маршрут"), max_length=10, choices=Route.choices, default=Route.LOCAL)
    # The sender's card: ours (local and outbound), or as it came from another installation (inbound).
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries",
                                 verbose_name=_("документ відправника"))
    remote_card = models.OneToOneField(RemoteCard, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="delivery", verbose_name=_("картка відправника"))
    sender = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="deliveries_out", verbose_name=_("відправник"))
    recipient = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="deliveries_in", verbose_name=_("адресат"))
    # The other installation's participant: the addressee (outbound) or the sender (inbound).
    peer = models.ForeignKey(Peer, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries",
                             verbose_name=_("учасник іншої установки"))
    status = models.CharField(_("стан"), max_length=12, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.DELIVERED, db_index=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("надіслав"))
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
            models.UniqueConstraint(fields=["document", "peer"], condition=~Q(status="rejected") & Q(route="outbound"),
                                    name="exchange_one_live_outbound"),
            models.CheckConstraint(name="exchange_delivery_route", condition=(
                Q(route="local", document__isnull=False, sender__isnull=False, recipient__isnull=False)
                | Q(route="outbound", document__isnull=False, sender__isnull=False, peer__isnull=False)
                | Q(route="inbound", remote_card__isnull=False, recipient__isnull=False, peer__isnull=False))),
        ]
        indexes = [models.Index(fields=["recipient", "status", "-delivered_at"])]

    def __str__(self) -> str:
        return f"{self.card.reg_index} → {self.addressee}"

    @property
    def card(self) -> Document | RemoteCard:
        """The sender's card: the same fields and ``files`` whichever side of the exchange it is."""
        return self.document if self.document_id else self.remote_card

    @property
    def sender_party(self) -> Organisation | Peer:
        return self.peer if self.route == Route.INBOUND else self.sender

    @property
    def addressee(self) -> Organisation | Peer:
        return self.peer if self.route == Route.OUTBOUND else self.recipient


class DeliveryFile(BaseModel):
    """One file version of the sender's card exactly as it was sent: the addressee sees, downloads and
    registers these, not what the sender adds or replaces in the card later (versions are never
    overwritten, so the row keeps pointing at the bytes that were sent)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="sent_files")
    file = models.ForeignKey(DocumentFile, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("надісланий файл")
        verbose_name_plural = _("надіслані файли")
        ordering = ["delivery", "position"]
        constraints = [models.UniqueConstraint(fields=["delivery", "file"], name="exchange_delivery_file_unique")]


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


class OutboxMessage(BaseModel):
    """A signed container waiting to be POSTed to another installation (a package or a receipt), with
    its retries; the same bytes and message id are sent on every attempt (the peer ignores repeats)."""

    message_id = models.UUIDField(_("ідентифікатор повідомлення"), unique=True)
    type = models.CharField(_("вид"), max_length=10, choices=MessageType.choices)
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="outbox", verbose_name=_("адресат"))
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="outbox")
    container = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("стан"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING,
                             db_index=True)
    attempts = models.PositiveIntegerField(_("спроб"), default=0)
    next_attempt_at = models.DateTimeField(_("наступна спроба"), db_index=True)
    last_attempt_at = models.DateTimeField(_("остання спроба"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("код відповіді"), null=True, blank=True)
    last_error = models.CharField(_("причина"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("доставлено"), null=True, blank=True)
    ack = models.JSONField(_("підтвердження адресата"), null=True, blank=True)

    class Meta:
        verbose_name = _("вихідне повідомлення обміну")
        verbose_name_plural = _("вихідні повідомлення обміну")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]


class InboundMessage(BaseModel):
    """The log of what other installations POSTed to us: accepted, repeats and refusals with the reason."""

    message_id = models.UUIDField(_("ідентифікатор повідомлення"), null=True, blank=True, db_index=True)
    type = models.CharField(_("вид"), max_length=10, choices=MessageType.choices, blank=True)
    peer = models.ForeignKey(Peer, null=True, blank=True, on_delete=models.PROTECT, related_name="inbound",
                             verbose_name=_("відправник"))
    claimed_sender = models.CharField(_("відправник за пакетом"), max_length=300, blank=True)
    result = models.CharField(_("результат"), max_length=10, choices=AckResult.choices)
    code = models.CharField(_("код відмови"), max_length=20, choices=RefusalCode.choices, blank=True)
    reason = models.CharField(_("причина"), max_length=500, blank=True)
    size = models.PositiveIntegerField(_("розмір, байт"), default=0)
    delivery = models.ForeignKey(Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("вхідне повідомлення обміну")
        verbose_name_plural = _("вхідні повідомлення обміну")
        ordering = ["-created_at"]
