"""Writes of the exchange: sending documents to other organisations and the addressee's answer."""

from ratusha.exchange.services.local import delivery_register, delivery_reject, delivery_send

__all__ = ["delivery_register", "delivery_reject", "delivery_send"]
