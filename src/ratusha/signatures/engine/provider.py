"""The pluggable interface: callers use ``get_provider()`` and never pyHanko directly, so that a DSTU 4145
(КЕП, Ukrainian qualified signature) provider can be added without touching them
(docs/adr/0001-signature-provider.md)."""

from __future__ import annotations

import importlib
from typing import Any, Protocol, runtime_checkable

from .types import Services, SignatureLevel, SigningKey, Stamp, VerificationReport

DEFAULT_PROVIDER = "pyhanko"
# name → "module:attribute" of a provider object or class; installations may add more through the
# SIGNATURES_PROVIDERS setting (same format).
BUILTIN_PROVIDERS = {"pyhanko": "ratusha.signatures.engine.provider:PyHankoProvider"}


@runtime_checkable
class SignatureProvider(Protocol):
    name: str

    def pades_sign(self, pdf: bytes, *, key: SigningKey, level: SignatureLevel, services: Services,
                   stamp: Stamp | None = None, field_name: str | None = None, reason: str = "",
                   location: str = "", placement: Any = None) -> bytes: ...

    def cades_sign_detached(self, data: bytes, *, key: SigningKey, services: Services,
                            level: SignatureLevel = SignatureLevel.B_B) -> bytes: ...

    def verify(self, data: bytes, *, content: bytes | None = None, filename: str = "",
               services: Services) -> VerificationReport: ...


class PyHankoProvider:
    """PAdES/CAdES/ASiC-E with RSA/ECDSA keys (pyHanko, cryptography, asn1crypto)."""

    name = "pyhanko"

    def pades_sign(self, pdf: bytes, **kwargs) -> bytes:
        from .pades import pades_sign

        return pades_sign(pdf, **kwargs)

    def cades_sign_detached(self, data: bytes, **kwargs) -> bytes:
        from .cades import cades_sign_detached

        return cades_sign_detached(data, **kwargs)

    def verify(self, data: bytes, **kwargs) -> VerificationReport:
        from .verify import verify

        return verify(data, **kwargs)


def _registry() -> dict[str, str]:
    registry = dict(BUILTIN_PROVIDERS)
    try:
        from django.conf import settings

        registry.update(getattr(settings, "SIGNATURES_PROVIDERS", {}) or {})
    except Exception:  # noqa: BLE001, S110 — usable without Django settings
        pass
    return registry


def _configured_name() -> str:
    try:
        from django.conf import settings

        return getattr(settings, "SIGNATURES_PROVIDER", DEFAULT_PROVIDER) or DEFAULT_PROVIDER
    except Exception:  # noqa: BLE001
        return DEFAULT_PROVIDER


def get_provider(name: str | None = None) -> SignatureProvider:
    """The provider called ``name`` (default: the ``SIGNATURES_PROVIDER`` setting, else "pyhanko")."""
    name = name or _configured_name()
    target = _registry().get(name)
    if target is None:
        raise LookupError(f"Unknown signature provider {name!r}; known: {', '.join(sorted(_registry()))}")
    module_name, _sep, attribute = target.partition(":")
    obj = getattr(importlib.import_module(module_name), attribute)
    provider = obj() if isinstance(obj, type) else obj
    if not isinstance(provider, SignatureProvider):
        raise TypeError(f"{target} does not implement SignatureProvider")
    return provider
