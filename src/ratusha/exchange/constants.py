"""Document delivery between organisations and its receipts (docs/legal.md §6: CMU No. 55, Minjust rules 1000/5).

Rule (docs/legal.md §6): "Receipts of delivery and of registration by the recipient are written back into
the sender's card." A delivery is the sending of one registered document to one addressee organisation;
every change of its status leaves a receipt that the sender's card shows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Надсилається до іншої установки")
    DELIVERED = "delivered", _("Доставлено, чекає реєстрації")
    REGISTERED = "registered", _("Зареєстровано адресатом")
    REJECTED = "rejected", _("Відхилено адресатом")


# The transitions table: a delivered document is registered or rejected by the recipient, once.
# A package to another installation waits in the outbox (QUEUED) until the peer's signed receipt comes;
# receipts may arrive out of order (registration before the delivery acknowledgement), hence QUEUED → any.
DELIVERY_TRANSITIONS: dict[str, frozenset[str]] = {
    DeliveryStatus.QUEUED: frozenset({DeliveryStatus.DELIVERED, DeliveryStatus.REGISTERED, DeliveryStatus.REJECTED}),
    DeliveryStatus.DELIVERED: frozenset({DeliveryStatus.REGISTERED, DeliveryStatus.REJECTED}),
    DeliveryStatus.REGISTERED: frozenset(),
    # A package the peer's installation refused (e.g. its directory had a stale seal of ours) goes back to
    # the queue when an administrator sends it again; nothing else leaves «rejected».
    DeliveryStatus.REJECTED: frozenset({DeliveryStatus.QUEUED}),
}


class ReceiptKind(models.TextChoices):
    DELIVERED = "delivered", _("Квитанція про доставку")
    REGISTERED = "registered", _("Квитанція про реєстрацію")
    REJECTED = "rejected", _("Повідомлення про відхилення")


class Route(models.TextChoices):
    LOCAL = "local", _("У межах установки")
    OUTBOUND = "outbound", _("До іншої установки")
    INBOUND = "inbound", _("З іншої установки")


RECEIPT_FOR_STATUS = {
    DeliveryStatus.DELIVERED: ReceiptKind.DELIVERED,
    DeliveryStatus.REGISTERED: ReceiptKind.REGISTERED,
    DeliveryStatus.REJECTED: ReceiptKind.REJECTED,
}

REJECT_REASON_MAX = 500


# --- exchange between installations (docs/exchange.md, «Протокол») -----------------------------------

PROTOCOL = "ratusha-exchange/1"
MESSAGE_FILE = "message.json"
FILES_DIR = "files/"
CONTAINER_MIME = "application/vnd.etsi.asic-e+zip"
MAX_PACKAGE_BYTES = 60 * 1024 * 1024
SEND_TIMEOUT_SECONDS = 30
# Retries of the outbox: 30 s, 2 min, 10 min, 30 min, then hourly; after three days the message is
# «failed» and waits for an administrator's «Надіслати знову» (nothing is dropped).
OUTBOX_BACKOFF_SECONDS = (30, 120, 600, 1800, 3600)
OUTBOX_MAX_ATTEMPTS = 76
PEER_DOWN_ALERT_AFTER_SECONDS = 3600


class MessageType(models.TextChoices):
    PACKAGE = "package", _("Документ")
    RECEIPT = "receipt", _("Квитанція")
    ACK = "ack", _("Підтвердження")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Чекає надсилання")
    SENT = "sent", _("Доставлено")
    REFUSED = "refused", _("Відмовлено адресатом")
    FAILED = "failed", _("Не вдалося надіслати")


OUTBOX_TRANSITIONS: dict[str, frozenset[str]] = {
    OutboxState.PENDING: frozenset({OutboxState.SENT, OutboxState.REFUSED, OutboxState.FAILED}),
    OutboxState.FAILED: frozenset({OutboxState.PENDING}),
    OutboxState.REFUSED: frozenset({OutboxState.PENDING}),
    OutboxState.SENT: frozenset(),
}


class AckResult(models.TextChoices):
    """What the receiving installation answered (the ``result`` of a signed ack)."""

    DELIVERED = "delivered", _("Прийнято")
    DUPLICATE = "duplicate", _("Повтор, уже прийнято")
    REFUSED = "refused", _("Відмовлено")


class RefusalCode(models.TextChoices):
    MALFORMED = "malformed", _("Пакет пошкоджений або не за протоколом")
    TOO_LARGE = "too_large", _("Пакет завеликий")
    UNKNOWN_SENDER = "unknown_sender", _("Відправника немає в довіднику учасників")
    BAD_SIGNATURE = "bad_signature", _("Підпис пакета недійсний або не печатка відправника")
    UNKNOWN_RECIPIENT = "unknown_recipient", _("Адресата немає в цій установці")
    UNKNOWN_MESSAGE = "unknown_message", _("Квитанція на невідоме повідомлення")


# Refused before the seal was verified (garbage, an unknown sender, a seal that does not verify, too large)
# or over a rate limit: answered with an *unsigned* refusal, stored nowhere, counted per day under this scope.
UNAUTHENTICATED_COUNTER = "exchange-unauthenticated"
RATE_LIMITED = "rate_limited"  # the code of the unsigned 429 refusal (not a RefusalCode: never stored)

# The HTTP status of a refusal (a signed ack travels in the body either way).
REFUSAL_HTTP_STATUS = {
    RefusalCode.MALFORMED: 400, RefusalCode.TOO_LARGE: 413, RefusalCode.UNKNOWN_SENDER: 403,
    RefusalCode.BAD_SIGNATURE: 403, RefusalCode.UNKNOWN_RECIPIENT: 404, RefusalCode.UNKNOWN_MESSAGE: 404,
}
