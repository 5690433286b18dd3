"""What another installation POSTs to ``/exchange/v1/messages``: checked, taken once, answered with an
acknowledgement sealed by the addressed organisation (docs/exchange.md, «Протокол»).

Only a message whose seal verifies against a known peer costs us anything: what cannot be read, comes
from a sender we do not know or carries a seal that does not verify gets a plain *unsigned* refusal —
nothing stored, audited or sealed (an attacker's ids are never echoed under our seal), only a per-day
counter and a log line. A sender's own outbox treats an unsigned answer as temporary and retries.

Exactly once as the recipient sees it: a package's message id is unique among our deliveries, so a
repeat (the sender did not get our answer and sent again) is acknowledged as ``duplicate`` and changes
nothing; two copies arriving at once meet the unique constraint and the second is a duplicate too.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import mimetypes
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.ratelimit import rate_limit_check, rate_limit_hit
from ratusha.core.storage import blob_put
from ratusha.exchange.constants import (
    CONTAINER_MIME,
    PROTOCOL,
    RATE_LIMITED,
    REFUSAL_HTTP_STATUS,
    UNAUTHENTICATED_COUNTER,
    AckResult,
    DeliveryStatus,
    MessageType,
    ReceiptKind,
    RefusalCode,
    Route,
)
from ratusha.exchange.models import (
    Delivery,
    InboundMessage,
    Participant,
    Peer,
    Receipt,
    RemoteCard,
    RemoteFile,
)
from ratusha.exchange.protocol import (
    Opened,
    ProtocolError,
    build,
    check_seal,
    envelope,
    moment,
    open_container,
    package_files,
)
from ratusha.exchange.services.directory import participant_key, peer_certificate
from ratusha.exchange.services.local import emit, notify_recipients
from ratusha.exchange.services.outbound import party, receipt_apply
from ratusha.registry.constants import AccessMark, DocumentKind

logger = logging.getLogger(__name__)
DAY = 24 * 60 * 60


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str = CONTAINER_MIME
    retry_after: int | None = None


def unsigned_refusal(*, status: int, code: str, reason: str, retry_after: int | None = None) -> Answer:
    """The protocol's refusal (an ``ack`` with ``refused``) as plain JSON, without a seal and without
    anything taken from the request; the sender's outbox retries it like any temporary error."""
    body = {"protocol": PROTOCOL, "type": MessageType.ACK, "result": AckResult.REFUSED, "code": code,
            "reason": reason, "at": timezone.now().isoformat(), "signed": False}
    return Answer(status, json.dumps(body, ensure_ascii=False).encode(), "application/json", retry_after)


def unauthenticated_count_today() -> int:
    """How many messages were refused unsigned in the current day (UTC) — the ops page's counter."""
    return rate_limit_check(scope=UNAUTHENTICATED_COUNTER, ip="all", limit=1, window_seconds=DAY).count


def _refuse_unauthenticated(exc: ProtocolError, *, ip: str | None, size: int) -> Answer:
    rate_limit_hit(scope=UNAUTHENTICATED_COUNTER, ip="all", limit=2**31, window_seconds=DAY)
    logger.warning("exchange: unauthenticated message refused unsigned: %s from %s (%s bytes)", exc.code,
                   ip or "?", size)
    return unsigned_refusal(status=REFUSAL_HTTP_STATUS.get(exc.code, 400), code=exc.code,
                            reason=str(RefusalCode(exc.code).label))


def rate_limited(*, retry_after: int, who: str) -> Answer:
    logger.warning("exchange: rate limit hit by %s, refused with 429", who)
    rate_limit_hit(scope=UNAUTHENTICATED_COUNTER, ip="all", limit=2**31, window_seconds=DAY)
    return unsigned_refusal(status=429, code=RATE_LIMITED, reason=_("Забагато повідомлень: надішліть пізніше."),
                            retry_after=retry_after)


def _claimed(opened: Opened | None, key: str) -> str:
    try:
        return str(opened.message[key]["id"])[:300] if opened else ""
    except (KeyError, TypeError):
        return ""


def inbound_receive(*, data: bytes, too_large: bool = False, ip: str | None = None) -> Answer:
    """Take one container from another installation and answer it (never raises for bad input)."""
    opened: Opened | None = None
    peer: Peer | None = None
    participant: Participant | None = None
    try:
        if too_large:
            raise ProtocolError(RefusalCode.TOO_LARGE, "")
        opened = open_container(data)
        peer = Peer.objects.filter(participant_id=opened.sender_id, is_active=True).first()
        if peer is None:
            raise ProtocolError(RefusalCode.UNKNOWN_SENDER, "")
        check_seal(data, peer_certificate(peer))
    except ProtocolError as exc:
        return _refuse_unauthenticated(exc, ip=ip, size=len(data))
    # From here on the message is the peer's own: its answers are sealed, stored and audited.
    state = rate_limit_hit(scope="exchange-peer", ip=peer.participant_id, limit=settings.EXCHANGE_RATE_LIMIT_PEER,
                           window_seconds=settings.EXCHANGE_RATE_WINDOW_SECONDS)
    if not state.allowed:
        return rate_limited(retry_after=state.retry_after, who=f"peer {peer.participant_id}")
    try:
        participant = Participant.objects.filter(organisation__edrpou=opened.recipient_id, is_active=True).first()
        if participant is None:
            raise ProtocolError(RefusalCode.UNKNOWN_RECIPIENT, _("Адресата %(id)s немає серед учасників обміну цієї "
                                                                 "установки.") % {"id": opened.recipient_id[:20]})
        if opened.type == MessageType.PACKAGE:
            result, delivery, at = _take_package(opened, data, peer, participant)
        elif opened.type == MessageType.RECEIPT:
            result, delivery, at = _take_receipt(opened, peer)
        else:
            raise ProtocolError(RefusalCode.MALFORMED, _("Підтвердження не надсилають на цю адресу."))
    except ProtocolError as exc:
        return _refuse(exc, data=data, opened=opened, peer=peer, participant=participant)
    InboundMessage.objects.create(message_id=opened.message_id, type=opened.type, peer=peer, result=result,
                                  claimed_sender=opened.sender_id, size=len(data), delivery=delivery)
    return Answer(200, _ack(participant, opened, result=result, at=at))


def _ack(participant: Participant, opened: Opened | None, *, result: str, at: dt.datetime | None = None,
         code: str = "", reason: str = "") -> bytes:
    import uuid

    message = envelope(type=MessageType.ACK, message_id=uuid.uuid4(), sender=party(participant.organisation),
                       recipient={"id": _claimed(opened, "sender")},
                       in_reply_to=str(opened.message_id) if opened else None, result=result, code=code,
                       reason=reason, at=(at or timezone.now()).isoformat())
    return build(message, [], participant_key(participant))


def _refuse(exc: ProtocolError, *, data: bytes, opened: Opened | None, peer: Peer | None,
            participant: Participant | None) -> Answer:
    """A signed refusal to a verified peer, so it knows it is final (an unsigned error would only be retried)."""
    try:
        message_id = opened.message_id if opened else None
        kind = opened.type if opened else ""
    except (KeyError, ValueError):
        message_id, kind = None, ""
    InboundMessage.objects.create(message_id=message_id, type=kind, peer=peer, claimed_sender=_claimed(opened, "sender"),
                                  result=AckResult.REFUSED, code=exc.code, reason=exc.reason[:500], size=len(data))
    audit_log(actor=None, action="exchange.message_refused_in", params={
        "message_id": str(message_id or ""), "sender": _claimed(opened, "sender"), "code": exc.code,
        "reason": exc.reason[:300]})
    signer = participant or Participant.objects.filter(is_active=True).select_related("organisation").first()
    if signer is None:
        return Answer(503, b'{"error": "no exchange participant in this installation"}', "application/json")
    return Answer(REFUSAL_HTTP_STATUS.get(exc.code, 400),
                  _ack(signer, opened, result=AckResult.REFUSED, code=exc.code, reason=exc.reason))


def _text(data: dict[str, Any], key: str, limit: int, *, required: bool = False) -> str:
    value = " ".join(str(data.get(key) or "").split()) if key != "summary" else str(data.get(key) or "").strip()
    if required and not value:
        raise ProtocolError(RefusalCode.MALFORMED, _("У картці документа бракує поля «%(field)s».") % {"field": key})
    return value[:limit]


def _card(opened: Opened) -> dict[str, Any]:
    doc = opened.message.get("document")
    if not isinstance(doc, dict):
        raise ProtocolError(RefusalCode.MALFORMED, _("У пакеті немає картки документа."))
    try:
        reg_date = dt.date.fromisoformat(str(doc.get("reg_date")))
        pages = int(doc["pages"]) if doc.get("pages") not in (None, "") else None
    except (ValueError, TypeError) as exc:
        raise ProtocolError(RefusalCode.MALFORMED, _("Дата або кількість аркушів у картці некоректні.")) from exc
    return {"kind": doc.get("kind") if doc.get("kind") in DocumentKind.values else DocumentKind.LETTER,
            "reg_index": _text(doc, "reg_index", 80, required=True), "reg_date": reg_date,
            "summary": _text(doc, "summary", 4000, required=True), "signed_by": _text(doc, "signed_by", 200),
            "access": doc.get("access") if doc.get("access") in AccessMark.values else AccessMark.INTERNAL,
            "pages": pages if pages is None or 0 <= pages < 100000 else None,
            "attachments_note": _text(doc, "attachments_note", 300)}


def _duplicate(opened: Opened, peer: Peer) -> Delivery | None:
    existing = Delivery.objects.filter(message_id=opened.message_id).first()
    if existing is not None and (existing.route != Route.INBOUND or existing.peer_id != peer.pk):
        raise ProtocolError(RefusalCode.MALFORMED, _("Ідентифікатор повідомлення вже зайнятий іншим документом."))
    return existing


def _take_package(opened: Opened, data: bytes, peer: Peer, participant: Participant) -> tuple[str, Delivery, Any]:
    existing = _duplicate(opened, peer)
    if existing is not None:
        return AckResult.DUPLICATE, existing, existing.delivered_at
    card = _card(opened)
    files = package_files(opened)
    if not files:
        raise ProtocolError(RefusalCode.MALFORMED, _("У пакеті немає жодного файлу документа."))
    package = blob_put(data, mime=CONTAINER_MIME)
    blobs = [(name, blob_put(content, mime=mimetypes.guess_type(name)[0] or "application/octet-stream"))
             for name, content in files]
    now = timezone.now()
    try:
        with transaction.atomic():
            remote = RemoteCard.objects.create(package=package, data=opened.message, **card)
            for name, blob in blobs:
                RemoteFile.objects.create(card=remote, name=name, blob=blob)
            delivery = Delivery.objects.create(
                message_id=opened.message_id, route=Route.INBOUND, remote_card=remote, peer=peer,
                recipient=participant.organisation, status=DeliveryStatus.DELIVERED, delivered_at=now)
            Receipt.objects.create(delivery=delivery, kind=ReceiptKind.DELIVERED, at=now)
            emit(delivery.recipient_id, "document.delivered", delivery)
            audit_log(actor=None, action="exchange.package_received", obj=delivery, params={
                "message_id": str(delivery.message_id), "sender": peer.participant_id,
                "recipient": participant.organisation.short_name, "reg_index": card["reg_index"]})
            transaction.on_commit(lambda: notify_recipients([delivery]))
    except IntegrityError:
        # The same package arrived twice at once: the other copy won.
        existing = _duplicate(opened, peer)
        if existing is None:
            raise
        return AckResult.DUPLICATE, existing, existing.delivered_at
    return AckResult.DELIVERED, delivery, now


def _take_receipt(opened: Opened, peer: Peer) -> tuple[str, Delivery, Any]:
    delivery = Delivery.objects.filter(message_id=opened.message.get("in_reply_to"), route=Route.OUTBOUND,
                                       peer=peer).first()
    if delivery is None:
        raise ProtocolError(RefusalCode.UNKNOWN_MESSAGE, _("Документа з таким ідентифікатором ми цьому учаснику "
                                                           "не надсилали."))
    receipt = opened.message.get("receipt")
    kind = receipt.get("kind") if isinstance(receipt, dict) else None
    if kind not in (ReceiptKind.REGISTERED, ReceiptKind.REJECTED, ReceiptKind.DELIVERED):
        raise ProtocolError(RefusalCode.MALFORMED, _("Невідомий вид квитанції."))
    try:
        at = moment(receipt.get("at"))
        reg_date = dt.date.fromisoformat(receipt["reg_date"]) if receipt.get("reg_date") else None
    except (ValueError, TypeError) as exc:
        raise ProtocolError(RefusalCode.MALFORMED, _("Дата в квитанції некоректна.")) from exc
    if kind == ReceiptKind.REGISTERED and (not receipt.get("reg_index") or reg_date is None):
        raise ProtocolError(RefusalCode.MALFORMED, _("Квитанція про реєстрацію має містити індекс і дату."))
    fresh = receipt_apply(delivery=delivery, kind=kind, at=at,
                          reg_index=str(receipt.get("reg_index") or ""), reg_date=reg_date,
                          reason=str(receipt.get("reason") or ""))
    return (AckResult.DELIVERED if fresh else AckResult.DUPLICATE), delivery, at
