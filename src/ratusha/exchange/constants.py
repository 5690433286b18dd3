"""Document delivery between organisations and its receipts (LEGAL.md §6: CMU No. 55, Minjust rules 1000/5).

Rule (LEGAL.md §6): "Receipts of delivery and of registration by the recipient are written back into
the sender's card." A delivery is the sending of one registered document to one addressee organisation;
every change of its status leaves a receipt that the sender's card shows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    DELIVERED = "delivered", _("Доставлено, чекає реєстрації")
    REGISTERED = "registered", _("Зареєстровано адресатом")
    REJECTED = "rejected", _("Відхилено адресатом")


# The transitions table: a delivered document is registered or rejected by the recipient, once.
DELIVERY_TRANSITIONS: dict[str, frozenset[str]] = {
    DeliveryStatus.DELIVERED: frozenset({DeliveryStatus.REGISTERED, DeliveryStatus.REJECTED}),
    DeliveryStatus.REGISTERED: frozenset(),
    DeliveryStatus.REJECTED: frozenset(),
}


class ReceiptKind(models.TextChoices):
    DELIVERED = "delivered", _("Квитанція про доставку")
    REGISTERED = "registered", _("Квитанція про реєстрацію")
    REJECTED = "rejected", _("Повідомлення про відхилення")


RECEIPT_FOR_STATUS = {
    DeliveryStatus.DELIVERED: ReceiptKind.DELIVERED,
    DeliveryStatus.REGISTERED: ReceiptKind.REGISTERED,
    DeliveryStatus.REJECTED: ReceiptKind.REJECTED,
}

REJECT_REASON_MAX = 500
