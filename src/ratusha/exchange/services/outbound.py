"""The outbox of exchange between installations: sealed packages and receipts, POSTed to the peer's
``/exchange/v1/messages`` until its signed acknowledgement comes back (retries with backoff; the same
bytes and message id every time, so the peer ignores repeats), and the receipts applied to our cards.
"""

from __future__ import annotations

import datetime as dt
import http.client
import logging
import mimetypes
import urllib.error
import urllib.request
import uuid
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, TransitionError
from ratusha.core.storage import blob_put, blob_read
from ratusha.exchange.constants import (
    CONTAINER_MIME,
    DELIVERY_TRANSITIONS,
    OUTBOX_BACKOFF_SECONDS,
    OUTBOX_MAX_ATTEMPTS,
    OUTBOX_TRANSITIONS,
    PEER_DOWN_ALERT_AFTER_SECONDS,
    SEND_TIMEOUT_SECONDS,
    AckResult,
    DeliveryStatus,
    MessageType,
    OutboxState,
    ReceiptKind,
    Route,
)
from ratusha.exchange.models import Delivery, OutboxMessage, Participant, Peer, Receipt
from ratusha.exchange.permissions import require_organisation_admin
from ratusha.exchange.protocol import (
    ProtocolError,
    build,
    check_seal,
    envelope,
    file_path,
    moment,
    open_container,
)
from ratusha.exchange.services.directory import participant_key, peer_certificate
from ratusha.exchange.services.local import emit, notify_receipt

logger = logging.getLogger(__name__)
MAX_ACK_BYTES = 1024 * 1024
STATUS_FOR_RECEIPT = {ReceiptKind.DELIVERED: DeliveryStatus.DELIVERED, ReceiptKind.REGISTERED: DeliveryStatus.REGISTERED,
                      ReceiptKind.REJECTED: DeliveryStatus.REJECTED}


def party(organisation: Any) -> dict[str, str]:
    return {"id": organisation.edrpou, "name": organisation.name, "short_name": organisation.short_name}


def _participant_of(organisation_id: Any) -> Participant:
    participant = Participant.objects.filter(organisation_id=organisation_id, is_active=True).select_related(
        "organisation").first()
    if participant is None:
        raise ApplicationError(_("Організацію ще не підключено до обміну з іншими установками: зверніться до "
                                 "адміністратора (сторінка «Обмін: операції»)."), code="not_a_participant",
                               field="recipients")
    return participant


def _queue(*, delivery: Delivery, peer: Peer, type: str, message: dict[str, Any], files: list[tuple[str, bytes]],
           participant: Participant, message_id: uuid.UUID) -> OutboxMessage:
    container = build(message, files, participant_key(participant))
    row = OutboxMessage.objects.create(message_id=message_id, type=type, peer=peer, delivery=delivery,
                                       container=blob_put(container, mime=CONTAINER_MIME),
                                       next_attempt_at=timezone.now())
    transaction.on_commit(lambda: _enqueue(row.pk))
    return row


def _enqueue(pk: Any) -> None:
    from ratusha.exchange.tasks import exchange_send_task

    exchange_send_task.enqueue(str(pk))


def outbound_queue(*, actor: Any, document: Any, peers: list[Peer], now: dt.datetime,
                   files: list[Any]) -> list[Delivery]:
    """Seal the card and the given file versions (its current ones at sending) into a package for each
    peer (inside the caller's transaction); the versions are kept on each delivery too."""
    from ratusha.exchange.services.local import record_sent_files

    participant = _participant_of(document.organisation_id)
    contents = [(file_path(i, f.name), blob_read(f.blob_id)) for i, f in enumerate(files, start=1)]
    listed = [{"path": path, "name": f.name, "sha256": f.blob_id, "size": len(data),
               "mime": f.blob.mime or mimetypes.guess_type(f.name)[0] or "application/octet-stream"}
              for (path, data), f in zip(contents, files, strict=True)]
    card = {"kind": document.kind, "reg_index": document.reg_index, "reg_date": document.reg_date.isoformat(),
            "summary": document.summary, "signed_by": document.signed_by, "access": document.access,
            "pages": document.pages, "attachments_note": document.attachments_note}
    created = []
    for peer in peers:
        delivery = Delivery.objects.create(route=Route.OUTBOUND, document=document, sender_id=document.organisation_id,
                                           peer=peer, status=DeliveryStatus.QUEUED, sent_by=actor, delivered_at=now)
        record_sent_files(delivery, files)
        message = envelope(type=MessageType.PACKAGE, message_id=delivery.message_id,
                           sender=party(participant.organisation),
                           recipient={"id": peer.participant_id, "name": peer.name}, document=card, files=listed)
        _queue(delivery=delivery, peer=peer, type=MessageType.PACKAGE, message=message, files=contents,
               participant=participant, message_id=delivery.message_id)
        audit_log(actor=actor, action="document.delivery_sent", obj=document, params={
            "delivery": str(delivery.pk), "message_id": str(delivery.message_id), "peer": peer.participant_id,
            "recipient_name": peer.short_name})
        created.append(delivery)
    return created


def receipt_queue(*, delivery: Delivery, receipt: Receipt) -> OutboxMessage:
    """Our registrar's answer to a package from another installation, sealed, back to its sender."""
    participant = _participant_of(delivery.recipient_id)
    message_id = uuid.uuid4()
    message = envelope(type=MessageType.RECEIPT, message_id=message_id, sender=party(participant.organisation),
                       recipient={"id": delivery.peer.participant_id, "name": delivery.peer.name},
                       in_reply_to=str(delivery.message_id), receipt={
                           "kind": receipt.kind, "at": receipt.at.isoformat(), "reg_index": receipt.reg_index,
                           "reg_date": receipt.reg_date.isoformat() if receipt.reg_date else None,
                           "reason": receipt.reason})
    return _queue(delivery=delivery, peer=delivery.peer, type=MessageType.RECEIPT, message=message, files=[],
                  participant=participant, message_id=message_id)


# --- receipts on our (the sender's) cards ------------------------------------------------------------

def receipt_apply(*, delivery: Delivery, kind: str, at: dt.datetime, reg_index: str = "",
                  reg_date: dt.date | None = None, reason: str = "") -> bool:
    """Write a peer's receipt into our outbound delivery; ``False`` if that receipt is already there.

    Receipts may come out of order (the registration before the acknowledgement of delivery): the status
    moves only forward along the transitions table, and every receipt is kept once.
    """
    with transaction.atomic():
        locked = Delivery.objects.select_for_update(of=("self",)).select_related("document", "peer", "sent_by").get(pk=delivery.pk)
        if locked.route != Route.OUTBOUND:
            raise TransitionError(_("Квитанції іншої установки приймаються лише для надісланих до неї документів."),
                                  code="not_outbound")
        if locked.receipts.filter(kind=kind).exists():
            return False
        target = STATUS_FOR_RECEIPT[kind]
        if target in DELIVERY_TRANSITIONS.get(locked.status, frozenset()):
            locked.status = target
        if kind == ReceiptKind.DELIVERED:
            locked.delivered_at = at
        else:
            locked.handled_at = at
            locked.reject_reason = reason[:500] if kind == ReceiptKind.REJECTED else locked.reject_reason
        locked.save(update_fields=["status", "delivered_at", "handled_at", "reject_reason", "updated_at"])
        Receipt.objects.create(delivery=locked, kind=kind, at=at, reg_index=reg_index[:80], reg_date=reg_date,
                               reason=reason[:500])
        emit(locked.sender_id, "delivery.receipt", locked)
        audit_log(actor=None, action="document.receipt", obj=locked.document, params={
            "delivery": str(locked.pk), "kind": kind, "peer": locked.peer.participant_id,
            "recipient": locked.peer.short_name, "reg_index": reg_index, "reg_date": reg_date, "reason": reason})
        if kind != ReceiptKind.DELIVERED:
            transaction.on_commit(lambda: notify_receipt(locked, kind, reg_index=reg_index, reg_date=reg_date,
                                                         reason=reason))
    return True


# --- sending -----------------------------------------------------------------------------------------

def _post(url: str, body: bytes) -> tuple[int | None, bytes, str]:
    request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 — admin-set peer URL
        "Content-Type": CONTAINER_MIME, "User-Agent": "Ratusha-Exchange/1"})
    try:
        with urllib.request.urlopen(request, timeout=SEND_TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, response.read(MAX_ACK_BYTES), ""
    except urllib.error.HTTPError as exc:
        try:
            data = exc.read(MAX_ACK_BYTES)
        except (OSError, http.client.HTTPException):
            data = b""
        return exc.code, data, f"HTTP {exc.code}"
    # HTTPException: the connection cut inside the answer's status line or headers (BadStatusLine,
    # IncompleteRead…) is not an OSError, but a failed attempt all the same (retried; the sweep goes on).
    except (urllib.error.URLError, OSError, TimeoutError, ValueError, http.client.HTTPException) as exc:
        return None, b"", _network_error(exc)


def _network_error(exc: BaseException) -> str:
    """Why the peer did not answer, in words for the clerk and the administrator (the detail in brackets)."""
    reason = getattr(exc, "reason", exc)
    detail = str(reason)[:300] or exc.__class__.__name__
    if isinstance(reason, ConnectionRefusedError):
        text = _("установка адресата не приймає з'єднань (вимкнена або недоступна)")
    elif isinstance(reason, TimeoutError) or "timed out" in detail:
        text = _("установка адресата не відповіла вчасно")
    elif isinstance(reason, ConnectionError):
        text = _("з'єднання з установкою адресата обірвалося")
    elif "Name or service not known" in detail or "getaddrinfo" in detail:
        text = _("адресу установки адресата не знайдено (DNS)")
    else:
        text = _("мережева помилка")
    return f"{text} ({detail})"[:500]


def _read_ack(message: OutboxMessage, data: bytes) -> dict[str, Any]:
    """The peer's signed acknowledgement (anything else, e.g. a proxy's error page, is not an answer)."""
    opened = open_container(data)
    check_seal(data, peer_certificate(message.peer))
    ack = opened.message
    if (ack["type"] != MessageType.ACK or ack.get("in_reply_to") != str(message.message_id)
            or ack.get("result") not in AckResult.values or opened.sender_id != message.peer.participant_id):
        raise ProtocolError("malformed", _("Відповідь адресата не є підтвердженням цього повідомлення."))
    return ack


def _ack_moment(value: Any) -> dt.datetime:
    try:
        return moment(value)
    except ValueError:
        return timezone.now()


def outbox_send(*, pk: Any, now: dt.datetime | None = None) -> OutboxMessage | None:
    """One attempt for one due message (claimed under a row lock: two workers never both send it)."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (OutboxMessage.objects.select_for_update(of=("self",)).select_related("peer", "delivery")
                   .filter(pk=pk, state=OutboxState.PENDING, next_attempt_at__lte=now, peer__is_active=True).first())
        if message is None:
            return None
        # Claim: the next attempt is pushed out first, so a crash mid-send is retried later, not lost.
        message.attempts += 1
        message.last_attempt_at = now
        message.next_attempt_at = now + dt.timedelta(seconds=backoff(message.attempts))
        message.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at", "updated_at"])
    status, body, error = _post(message.peer.endpoint + "messages", blob_read(message.container_id))
    ack = None
    if status is not None:
        try:
            ack = _read_ack(message, body)
        except ProtocolError as exc:
            error = _("Відповідь адресата (HTTP %(status)s) не є його підписаним підтвердженням: %(reason)s") % {
                "status": status, "reason": exc.reason}
    message.last_status = status
    if ack is None:
        message.last_error = error[:500]
        if message.attempts >= OUTBOX_MAX_ATTEMPTS:
            _transition(message, OutboxState.FAILED)
        message.save(update_fields=["last_status", "last_error", "state", "updated_at"])
        _peer_failed(message.peer, message.last_error, now)
        return message
    _peer_ok(message.peer, now)
    _answered(message, ack)
    return message


def _answered(message: OutboxMessage, ack: dict[str, Any]) -> None:
    refused = ack["result"] == AckResult.REFUSED
    reason = str(ack.get("reason") or "")[:400]
    with transaction.atomic():
        _transition(message, OutboxState.REFUSED if refused else OutboxState.SENT)
        message.ack, message.sent_at = ack, timezone.now()
        message.last_error = reason if refused else ""
        message.save(update_fields=["state", "ack", "sent_at", "last_error", "last_status", "updated_at"])
        if message.type == MessageType.PACKAGE:
            if refused:
                receipt_apply(delivery=message.delivery, kind=ReceiptKind.REJECTED, at=_ack_moment(ack.get("at")),
                              reason=_("Установка адресата не прийняла пакет: %(reason)s") % {"reason": reason})
            else:
                receipt_apply(delivery=message.delivery, kind=ReceiptKind.DELIVERED, at=_ack_moment(ack.get("at")))
        audit_log(actor=None, action="exchange.message_refused" if refused else "exchange.message_sent",
                  obj=message.delivery, params={"message_id": str(message.message_id), "type": message.type,
                                                "peer": message.peer.participant_id, "result": ack["result"],
                                                "code": str(ack.get("code") or ""), "reason": reason})


def _transition(message: OutboxMessage, to: str) -> None:
    if to not in OUTBOX_TRANSITIONS.get(message.state, frozenset()):
        raise TransitionError(_("Повідомлення вже опрацьовано: %(state)s.") % {"state": message.get_state_display()},
                              code="outbox_handled")
    message.state = to


def backoff(attempts: int) -> int:
    return OUTBOX_BACKOFF_SECONDS[min(attempts, len(OUTBOX_BACKOFF_SECONDS)) - 1]


def outbox_sweep(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Send every due message (the periodic re-finding of lost or failed work), then check the peers."""
    now = now or timezone.now()
    # A peer switched off in the directory gets nothing until it is switched on again (nothing is dropped).
    due = list(OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now, peer__is_active=True)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    for pk in due:
        try:
            outbox_send(pk=pk, now=now)
        except Exception:  # one broken message must not hold up the others (it stays claimed and is retried)
            logger.exception("exchange: sending outbox message %s failed", pk)
    peers_check(now=now)
    return len(due)


def outbox_resend(*, actor: Any, message: OutboxMessage) -> OutboxMessage:
    """An administrator sends a failed message again, now (the same package and message id)."""
    _require_message_admin(actor, message)
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        refused = locked.state == OutboxState.REFUSED
        _transition(locked, OutboxState.PENDING)
        locked.attempts, locked.next_attempt_at = 0, timezone.now()
        locked.save(update_fields=["state", "attempts", "next_attempt_at", "updated_at"])
        cleared = _requeue(locked.delivery) if refused and locked.type == MessageType.PACKAGE else ""
        audit_log(actor=actor, action="exchange.message_resend", obj=locked.delivery, params={
            "message_id": str(locked.message_id), "peer": locked.peer.participant_id, "refusal_cleared": cleared})
        transaction.on_commit(lambda: _enqueue(locked.pk))
    return locked


def _require_message_admin(actor: Any, message: OutboxMessage) -> None:
    """The installation administrator, or an administrator of the organisation that sent or receives it."""
    delivery = message.delivery
    require_organisation_admin(actor, [delivery.sender_id, delivery.recipient_id])


def _requeue(delivery: Delivery) -> str:
    """A package the peer's installation refused goes out again: its card is «надсилається» once more and
    the refusal leaves its receipts (it was our note of the refusal, not the addressee's decision; the
    audit log keeps it), so the peer's real receipts land as for any delivery. Returns the refusal."""
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if DeliveryStatus.QUEUED not in DELIVERY_TRANSITIONS.get(locked.status, frozenset()):
        return ""
    if Delivery.objects.filter(document_id=locked.document_id, peer_id=locked.peer_id, route=Route.OUTBOUND).exclude(
            status=DeliveryStatus.REJECTED).exists():
        raise TransitionError(_("Цей документ цьому учасникові вже надіслано знову з картки; повтор не потрібен."),
                              code="already_sent")
    reason = locked.reject_reason
    locked.status, locked.handled_at, locked.reject_reason = DeliveryStatus.QUEUED, None, ""
    locked.save(update_fields=["status", "handled_at", "reject_reason", "updated_at"])
    locked.receipts.filter(kind=ReceiptKind.REJECTED).delete()
    return reason or "-"


def outbox_retry_now(*, actor: Any, message: OutboxMessage) -> OutboxMessage:
    """An administrator does not wait for the backoff: the pending message is due now."""
    _require_message_admin(actor, message)
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.state != OutboxState.PENDING:
            raise TransitionError(_("Повідомлення вже опрацьовано: %(state)s.") % {
                "state": locked.get_state_display()}, code="outbox_handled")
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["next_attempt_at", "updated_at"])
        audit_log(actor=actor, action="exchange.message_retry", obj=locked.delivery, params={
            "message_id": str(locked.message_id), "peer": locked.peer.participant_id})
        transaction.on_commit(lambda: _enqueue(locked.pk))
    return locked


# --- peers' reachability -----------------------------------------------------------------------------

def _peer_ok(peer: Peer, now: dt.datetime) -> None:
    was_alerted = Peer.objects.filter(pk=peer.pk, alerted_at__isnull=False).exists()
    Peer.objects.filter(pk=peer.pk).update(last_success_at=now, failing_since=None, alerted_at=None, last_error="")
    if was_alerted:
        audit_log(actor=None, action="exchange.peer_up", obj=peer, params={"participant_id": peer.participant_id})
        _notify_admins(peer, _("Учасник обміну %(peer)s знову доступний; черга надсилається.") % {"peer": peer})


def _peer_failed(peer: Peer, error: str, now: dt.datetime) -> None:
    Peer.objects.filter(pk=peer.pk, failing_since__isnull=True).update(failing_since=now)
    Peer.objects.filter(pk=peer.pk).update(last_error=error[:500])


def peers_check(*, now: dt.datetime | None = None) -> list[Peer]:
    """Alert administrators once when a peer has been unreachable for an hour with messages waiting."""
    now = now or timezone.now()
    down = list(Peer.objects.filter(
        failing_since__lte=now - dt.timedelta(seconds=PEER_DOWN_ALERT_AFTER_SECONDS), alerted_at__isnull=True,
        outbox__state__in=[OutboxState.PENDING, OutboxState.FAILED]).distinct())
    for peer in down:
        if Peer.objects.filter(pk=peer.pk, alerted_at__isnull=True).update(alerted_at=now) != 1:
            continue
        audit_log(actor=None, action="exchange.peer_down", obj=peer, params={
            "participant_id": peer.participant_id, "since": peer.failing_since, "error": peer.last_error})
        _notify_admins(peer, _("Учасник обміну %(peer)s недоступний з %(since)s: %(error)s") % {
            "peer": peer, "since": timezone.localtime(peer.failing_since).strftime("%d.%m.%Y %H:%M"),
            "error": peer.last_error or "—"})
    return down


def _notify_admins(peer: Peer, title: str) -> None:
    from ratusha.notifications.constants import NotificationKind
    from ratusha.notifications.services import notify_many
    from ratusha.orgs.constants import InstallationRole
    from ratusha.orgs.permissions import installation_role_holders

    # The directory of peers is the installation's: its administrators are told (not every organisation's).
    users = installation_role_holders(InstallationRole.INSTALLATION_ADMIN)
    notify_many(recipients=list(users), kind=NotificationKind.EXCHANGE_PEER_DOWN, title=title,
                url=reverse("exchange:ops") + f"#peer-{peer.pk}", obj=peer)

