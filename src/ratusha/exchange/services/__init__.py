"""Writes of the exchange: sending documents to other organisations and the addressee's answer, inside
this installation (``local``) and with other installations (``directory``, ``outbound``, ``inbound``)."""

from ratusha.exchange.services.directory import (
    participant_disable,
    participant_enable,
    peer_save,
    peer_set_active,
)
from ratusha.exchange.services.inbound import inbound_receive
from ratusha.exchange.services.local import delivery_register, delivery_reject, delivery_send
from ratusha.exchange.services.outbound import (
    outbox_resend,
    outbox_retry_now,
    outbox_send,
    outbox_sweep,
    peers_check,
)

__all__ = ["delivery_register", "delivery_reject", "delivery_send", "inbound_receive", "outbox_resend", "outbox_retry_now",
           "outbox_send", "outbox_sweep", "participant_disable", "participant_enable", "peer_save",
           "peer_set_active", "peers_check"]
