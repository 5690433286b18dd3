"""Hooks other apps attach to the registry without the registry knowing them (e.g. the website publishes
a public council decision the moment it is registered).

A hook is ``fn(document)``; it runs inside the registration transaction, right after the card is
created, so it must be cheap and defer real work with ``transaction.on_commit``. A failing hook never
breaks a registration: the error is logged and the apps' periodic sweeps re-find what was missed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

_after_registration: dict[str, Callable[[Any], None]] = {}


def register_after_registration(fn: Callable[[Any], None], *, name: str | None = None) -> None:
    """Register (or replace, by name) a hook; call from an ``AppConfig.ready``."""
    _after_registration[name or f"{fn.__module__}.{fn.__qualname__}"] = fn


def run_after_registration(document: Any) -> None:
    for name, fn in list(_after_registration.items()):
        try:
            fn(document)
        except Exception:  # noqa: BLE001 - a hook must never break the registration
            logger.exception("registry hook %s failed for document %s", name, getattr(document, "pk", None))
