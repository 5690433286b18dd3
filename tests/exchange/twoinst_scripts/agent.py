"""One installation's hands in the two-installation test (tests/exchange/test_two_installations.py).

Runs with the installation's own environment (data dir, SQLite file, secrets), like ``ratusha manage
shell`` would, but stays up: it reads one JSON command a line on stdin and answers one JSON line on
stdout, so the test does not pay Django's start-up for every step. Every write goes through the
product's services or its ``exchange`` management command; the reads here are only for the test's
assertions.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import sys
import traceback

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusha.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from ratusha.core.storage import blob_read  # noqa: E402
from ratusha.exchange.constants import Route  # noqa: E402
from ratusha.exchange.models import Delivery, InboundMessage, OutboxMessage, Peer  # noqa: E402
from ratusha.orgs.models import Employee, Organisation  # noqa: E402
from ratusha.registry.models import Journal  # noqa: E402

OPS = {}


def op(fn):
    OPS[fn.__name__] = fn
    return fn


def _command(*args: str):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def _org() -> Organisation:
    return Organisation.objects.get(code=os.environ["TWOINST_ORG"])


def _user(role: str):
    return get_user_model().objects.get(username=f"{os.environ['TWOINST_ORG']}-{role}")


@op
def setup(code: str, edrpou: str, name: str) -> dict:
    """The organisation, its clerk and administrator, journals, the installation CA; joins the exchange."""
    from ratusha.signatures.services import installation_ca_create

    installation_ca_create(actor=None, name=name + " ЦС", organisation_name=name)
    org = Organisation.objects.create(
        kind="city_council", name=name, short_name=name[:30], code=code, edrpou=edrpou
    )
    users = get_user_model().objects
    clerk = users.create_user(
        username=code + "-clerk", password="x-secret-123", first_name="Діловод", last_name=code
    )
    Employee.objects.create(user=clerk, organisation=org, roles=["registrar"])
    admin = users.create_user(
        username=code + "-admin", password="x-secret-123", first_name="Адмін", last_name=code
    )
    Employee.objects.create(user=admin, organisation=org, roles=["admin"])
    # The installation's administrator too (explicitly, as ``ratusha createadmin`` does): told about peers.
    from ratusha.orgs.services import installation_role_grant

    installation_role_grant(actor=None, user=admin, role="installation_admin")
    for kind in ("incoming", "outgoing"):
        Journal.objects.create(organisation=org, kind=kind, name=kind, index_template="{seq}")
    return _command("exchange", "enable", "--org", code)


@op
def database() -> list:
    from django.db import connection

    return [connection.vendor, str(connection.settings_dict["NAME"])]


@op
def peer_add(card: dict) -> dict:
    path = os.path.join(os.environ["RATUSHA_DATA_DIR"], f"card-{card['id']}.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(card, fh, ensure_ascii=False)
    return _command("exchange", "peer-add", path)


@op
def send(summary: str, text: str) -> str:
    """Register an outgoing letter and send it to the (only) peer; the package waits in the outbox."""
    from ratusha.exchange.services import delivery_send
    from ratusha.registry.services import FileInput, document_register

    clerk = _user("clerk")
    doc = document_register(
        actor=clerk,
        journal=Journal.objects.get(organisation=_org(), kind="outgoing"),
        kind="letter",
        summary=summary,
        signed_by="Олена ІВАНЕНКО",
        files=[FileInput(name="Лист.txt", content=text.encode())],
    )
    [delivery] = delivery_send(actor=clerk, document=doc, peers=list(Peer.objects.all()))
    return str(delivery.message_id)


@op
def container(message_id: str) -> str:
    return base64.b64encode(blob_read(OutboxMessage.objects.get(message_id=message_id).container_id)).decode()


@op
def sweep() -> dict:
    return _command("exchange", "sweep", "--retry-now")


@op
def status() -> dict:
    return _command("exchange", "status")


@op
def outbox() -> dict:
    return {
        str(m.message_id): {
            "type": m.type,
            "state": m.state,
            "attempts": m.attempts,
            "last_status": m.last_status,
            "last_error": m.last_error,
            "delivery": str(m.delivery.message_id),
            "ack": (m.ack or {}).get("result"),
        }
        for m in OutboxMessage.objects.select_related("delivery")
    }


@op
def peer() -> dict:
    p = Peer.objects.get()
    return {
        "failing_since": p.failing_since and p.failing_since.isoformat(),
        "alerted_at": p.alerted_at and p.alerted_at.isoformat(),
        "last_error": p.last_error,
        "last_success_at": p.last_success_at and p.last_success_at.isoformat(),
    }


@op
def resend(message_id: str) -> str:
    """The administrator's «Надіслати знову» on the operations page."""
    from ratusha.exchange.services import outbox_resend

    return outbox_resend(actor=_user("admin"), message=OutboxMessage.objects.get(message_id=message_id)).state


@op
def peer_failing_since(hours_ago: float) -> int:
    """Support's shell: pretend the peer has been failing for a while (the alert waits an hour)."""
    return Peer.objects.update(failing_since=timezone.now() - dt.timedelta(hours=hours_ago))


@op
def notifications(kind: str) -> list:
    from ratusha.notifications.models import Notification

    return [
        [n.recipient.username, n.title]
        for n in Notification.objects.filter(kind=kind).select_related("recipient").order_by("created_at")
    ]


@op
def inbound() -> dict:
    """What arrived here: each inbound delivery (by message id), the registered cards, the inbound log."""
    deliveries = {}
    for d in Delivery.objects.filter(route=Route.INBOUND).select_related(
        "remote_card", "registered_document"
    ):
        deliveries.setdefault(str(d.message_id), []).append(
            {
                "status": d.status,
                "summary": d.remote_card.summary,
                "registered_as": d.registered_document.reg_index if d.registered_document_id else None,
                "files": [[f.name, blob_read(f.blob_id).decode()] for f in d.remote_card.files.all()],
            }
        )
    incoming = Journal.objects.get(organisation=_org(), kind="incoming")
    return {
        "deliveries": deliveries,
        "registered": sorted([d.reg_index, d.summary] for d in incoming.documents.all()),
        "log": [
            [str(m.message_id or ""), m.type, m.result, m.code, m.claimed_sender]
            for m in InboundMessage.objects.order_by("created_at")
        ],
    }


@op
def register(message_id: str) -> str:
    from ratusha.exchange.services import delivery_register

    doc = delivery_register(
        actor=_user("clerk"),
        delivery=Delivery.objects.get(message_id=message_id),
        journal=Journal.objects.get(organisation=_org(), kind="incoming"),
    )
    return doc.reg_index


@op
def reject(message_id: str, reason: str) -> str:
    from ratusha.exchange.services import delivery_reject

    return delivery_reject(
        actor=_user("clerk"), delivery=Delivery.objects.get(message_id=message_id), reason=reason
    ).status


def main() -> None:
    answers = sys.stdout
    sys.stdout = sys.stderr  # anything the product prints goes to the log, not into the answers
    answers.write(json.dumps({"ready": True}) + "\n")
    answers.flush()
    for line in sys.stdin:
        command = json.loads(line)
        close_old_connections()
        try:
            answer = {"ok": OPS[command["op"]](**command.get("args", {}))}
        except Exception:  # noqa: BLE001 — the test shows it
            answer = {"error": traceback.format_exc()}
        finally:
            close_old_connections()
        answers.write(json.dumps(answer, ensure_ascii=False, default=str) + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
