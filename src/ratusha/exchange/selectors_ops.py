"""Reads of the exchange operations page («Обмін: операції»), for administrators only (checked here).

The directory of peers and the refusals of unknown senders belong to the whole installation: only the
installation administrator sees them (``exchange.permissions``). Messages that carry a card (the outbox,
accepted inbound messages) are shown to the administrators of the organisation that sent or received it;
the installation administrator sees everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ratusha.core.errors import PermissionDeniedError
from ratusha.exchange.constants import AckResult, OutboxState
from ratusha.exchange.models import InboundMessage, OutboxMessage, Participant, Peer
from ratusha.exchange.permissions import administered_ids, require_installation_admin
from ratusha.orgs.models import Organisation
from ratusha.orgs.permissions import is_installation_admin

# The order of the outbox filter on the page: what needs attention first.
OUTBOX_FILTERS = (OutboxState.PENDING, OutboxState.FAILED, OutboxState.REFUSED, OutboxState.SENT)
INBOUND_LIMIT = 100


def is_ops_admin(user: Any) -> bool:
    """Whether the user may open the operations page (the inbox and sent pages link to it then)."""
    return is_installation_admin(user) or bool(administered_ids(user))


def sees_installation(user: Any) -> bool:
    """Whether the page shows the installation-wide parts (the directory of peers, unknown senders)."""
    return is_installation_admin(user)


def _org_ids(user: Any) -> list[str] | None:
    """Organisations the administrator administers; ``None`` means all (the installation administrator)."""
    if is_installation_admin(user):
        return None
    orgs = administered_ids(user)
    if not orgs:
        raise PermissionDeniedError(_("Цю сторінку може відкрити лише адміністратор."))
    return orgs


def _org_filter(orgs: list[str] | None, prefix: str = "") -> Q:
    if orgs is None:
        return Q()
    return Q(**{f"{prefix}delivery__sender_id__in": orgs}) | Q(**{f"{prefix}delivery__recipient_id__in": orgs})


def outbox(*, user: Any, state: str | None = None) -> QuerySet[OutboxMessage]:
    """Messages waiting for or done with their POST to another installation (newest first)."""
    qs = OutboxMessage.objects.filter(_org_filter(_org_ids(user))).select_related(
        "peer", "delivery", "delivery__document", "delivery__remote_card", "delivery__sender",
        "delivery__recipient")
    if state:
        qs = qs.filter(state=state)
    if state == OutboxState.PENDING:
        return qs.order_by("next_attempt_at")
    return qs.order_by("-last_attempt_at", "-created_at")


def outbox_counts(*, user: Any) -> dict[str, int]:
    rows = (OutboxMessage.objects.filter(_org_filter(_org_ids(user))).values("state").annotate(n=Count("pk")))
    counts = {s.value: 0 for s in OutboxState}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def outbox_get(*, user: Any, pk: Any) -> OutboxMessage:
    try:
        return outbox(user=user).get(pk=pk)
    except (OutboxMessage.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def inbound_log(*, user: Any, refused_only: bool = False, limit: int = INBOUND_LIMIT) -> list[InboundMessage]:
    """The latest messages other installations POSTed to us: those of the administrator's organisations;
    the installation administrator also sees every refusal that reached no organisation (unknown sender,
    bad seal…)."""
    orgs = _org_ids(user)
    qs = InboundMessage.objects.select_related("peer", "delivery", "delivery__recipient", "delivery__remote_card")
    if orgs is not None:
        qs = qs.filter(Q(delivery__recipient_id__in=orgs) | Q(delivery__sender_id__in=orgs))
    if refused_only:
        qs = qs.filter(result=AckResult.REFUSED)
    return list(qs.order_by("-created_at")[:limit])


def inbound_refused_count(*, user: Any) -> int:
    orgs = _org_ids(user)
    qs = InboundMessage.objects.filter(result=AckResult.REFUSED)
    if orgs is not None:
        qs = qs.filter(Q(delivery__recipient_id__in=orgs) | Q(delivery__sender_id__in=orgs))
    return qs.count()


def peers(*, user: Any) -> list[Peer]:
    """The directory of participants of other installations, with the count of messages waiting."""
    require_installation_admin(user)
    return list(Peer.objects.annotate(
        waiting=Count("outbox", filter=Q(outbox__state__in=[OutboxState.PENDING, OutboxState.FAILED]))
    ).order_by("-is_active", "name"))


def peer_get(*, user: Any, pk: Any) -> Peer:
    require_installation_admin(user)
    try:
        return Peer.objects.get(pk=pk)
    except (Peer.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def admin_organisations(*, user: Any) -> QuerySet[Organisation]:
    """Organisations of this installation the administrator may connect to the exchange."""
    orgs = _org_ids(user)
    qs = Organisation.objects.filter(is_active=True)
    if orgs is not None:
        qs = qs.filter(pk__in=orgs)
    return qs.select_related("exchange_participant").order_by("name")


def participant_get(*, user: Any, pk: Any) -> Participant:
    orgs = _org_ids(user)
    qs = Participant.objects.select_related("organisation")
    if orgs is not None:
        qs = qs.filter(organisation_id__in=orgs)
    try:
        return qs.get(pk=pk)
    except (Participant.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
