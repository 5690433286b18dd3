from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def exchange_panel(context: Any, document: Any) -> str:
    """Addressees of a card with their receipts, and the send form for the sender's registrars.

    The registry shows the card only to those who may open it; the panel adds no access of its own.
    """
    from ratusha.exchange import selectors
    from ratusha.exchange.forms import SendForm
    from ratusha.exchange.models import Delivery
    from ratusha.orgs.permissions import can_register

    request = context.get("request")
    user = getattr(request, "user", None)
    deliveries = selectors.document_deliveries(user=user, document=document)
    delivered_from = Delivery.objects.filter(registered_document=document).select_related(
        "sender", "document", "peer", "remote_card").first()
    may_send = (not document.is_cancelled and can_register(user, document.organisation_id)
                and document.journal.kind != "incoming" and delivered_from is None)
    recipients = selectors.possible_recipients(document=document) if may_send else None
    peers = selectors.possible_peers(document=document) if may_send else None
    send_form = (SendForm(recipients=recipients, peers=peers, auto_id="id_send_%s")
                 if may_send and (recipients.exists() or peers.exists()) else None)
    if not deliveries and delivered_from is None and send_form is None:
        return ""
    return render_to_string("exchange/includes/panel.html", {
        "doc": document, "deliveries": deliveries, "delivered_from": delivered_from, "send_form": send_form},
        request=request)
