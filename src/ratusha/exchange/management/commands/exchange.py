"""Exchange between installations from the shell (scripts, first set-up, support):

    ratusha manage exchange enable --org CODE [--pkcs12 FILE]   # our organisation joins (prints its card)
    ratusha manage exchange card --org CODE                     # the card a peer's administrator adds
    ratusha manage exchange peer-add CARD.json|URL [--id ID]    # add/refresh a peer from its card
    ratusha manage exchange sweep [--retry-now]                 # send what is due (the worker does it each minute)
    ratusha manage exchange status                              # outbox, inbound log, deliveries as JSON
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ratusha.core.errors import ApplicationError


def _read_card(source: str, participant_id: str | None) -> dict:
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310 — an administrator's URL
            data = json.loads(response.read(1024 * 1024))
        cards = data.get("participants", [data]) if isinstance(data, dict) else []
    else:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        data = json.loads(text)
        cards = data.get("participants", [data]) if isinstance(data, dict) else []
    if participant_id:
        cards = [c for c in cards if str(c.get("id")) == participant_id]
    if len(cards) != 1:
        raise CommandError("Expected exactly one participant card (use --id to pick one).")
    return cards[0]


class Command(BaseCommand):
    help = "Exchange between installations: participants, peers, the outbox."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        enable = sub.add_parser("enable")
        enable.add_argument("--org", required=True, help="organisation code (orgs.Organisation.code)")
        enable.add_argument("--pkcs12", help="import this seal instead of issuing one from the installation CA")
        enable.add_argument("--passphrase-env", default="RATUSHA_SEAL_PASSPHRASE",
                            help="environment variable holding the PKCS#12 passphrase")
        card = sub.add_parser("card")
        card.add_argument("--org", required=True)
        peer = sub.add_parser("peer-add")
        peer.add_argument("source", help="a card JSON file, '-' for stdin, or a peer's /exchange/v1/ URL")
        peer.add_argument("--id", help="the participant id, when the source lists several")
        sweep = sub.add_parser("sweep")
        sweep.add_argument("--retry-now", action="store_true", help="make every pending message due now")
        sub.add_parser("status")

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

    def _org(self, code: str):
        from ratusha.orgs.models import Organisation

        org = Organisation.objects.filter(code=code).first()
        if org is None:
            raise CommandError(f"No organisation with code {code!r}.")
        return org

    def _print(self, data) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str))

    def _enable(self, org: str, pkcs12: str | None, passphrase_env: str, **_options) -> None:
        from ratusha.exchange.services import participant_enable
        from ratusha.exchange.services.directory import participant_card

        data = Path(pkcs12).read_bytes() if pkcs12 else None
        participant = participant_enable(actor=None, organisation=self._org(org), pkcs12=data,
                                         passphrase=os.environ.get(passphrase_env, ""))
        self._print(participant_card(participant))

    def _card(self, org: str, **_options) -> None:
        from ratusha.exchange.models import Participant
        from ratusha.exchange.services.directory import participant_card

        participant = Participant.objects.filter(organisation=self._org(org), is_active=True).first()
        if participant is None:
            raise CommandError("This organisation does not take part in exchange yet: run `exchange enable`.")
        self._print(participant_card(participant))

    def _peer_add(self, source: str, id: str | None, **_options) -> None:
        from ratusha.exchange.models import Peer
        from ratusha.exchange.services import peer_save

        card = _read_card(source, id)
        existing = Peer.objects.filter(participant_id=str(card.get("id"))).first()
        peer = peer_save(actor=None, participant_id=str(card.get("id") or ""), name=str(card.get("name") or ""),
                         short_name=str(card.get("short_name") or ""), endpoint=str(card.get("endpoint") or ""),
                         certificate=str(card.get("certificate") or ""), peer=existing)
        self._print({"id": peer.participant_id, "name": peer.name, "endpoint": peer.endpoint,
                     "fingerprint": peer.fingerprint})

    def _sweep(self, retry_now: bool, **_options) -> None:
        from ratusha.exchange.constants import OutboxState
        from ratusha.exchange.models import OutboxMessage
        from ratusha.exchange.services import outbox_sweep

        if retry_now:
            OutboxMessage.objects.filter(state=OutboxState.PENDING).update(next_attempt_at=timezone.now())
        self._print({"sent": outbox_sweep()})

    def _status(self, **_options) -> None:
        from ratusha.exchange.models import Delivery, InboundMessage, OutboxMessage

        self._print({
            "deliveries": [{"message_id": d.message_id, "route": d.route, "status": d.status,
                            "reg_index": d.card.reg_index, "peer": d.peer.participant_id if d.peer_id else None,
                            "registered_as": d.registered_document.reg_index if d.registered_document_id else None,
                            "receipts": [[r.kind, r.reg_index, r.reason] for r in d.receipts.order_by("kind")]}
                           for d in Delivery.objects.select_related("peer", "document", "remote_card",
                                                                    "registered_document").order_by("created_at")],
            "outbox": list(OutboxMessage.objects.order_by("created_at").values(
                "message_id", "type", "state", "attempts", "last_status", "last_error")),
            "inbound": list(InboundMessage.objects.order_by("created_at").values(
                "message_id", "type", "result", "code", "reason")),
        })
