"""Value types of the signature engine (the contract with the Django side, see ``__init__``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from cryptography import x509


class SignatureLevel(StrEnum):
    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"


@dataclass(frozen=True)
class SigningKey:
    """A private key with its certificate and chain (intermediates, not the root); in memory only."""

    private_key: Any
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    def __repr__(self) -> str:  # never print key material
        return f"SigningKey(certificate={self.certificate.subject.rfc4514_string()!r})"


@dataclass(frozen=True)
class Stamp:
    """The visible stamp on a PDF: text lines and an optional QR code with ``qr_url``."""

    lines: tuple[str, ...]
    qr_url: str | None = None


@dataclass(frozen=True)
class Services:
    """Where to get timestamps and revocation data, and which roots are trusted."""

    tsa_url: str | None = None
    trust_roots: tuple[x509.Certificate, ...] = ()
    allow_fetching: bool = True


class ReportStatus(StrEnum):
    VALID = "VALID"
    INVALID = "INVALID"
    INDETERMINATE = "INDETERMINATE"
    UNSIGNED = "UNSIGNED"
    MALFORMED = "MALFORMED"


@dataclass
class SignatureReport:
    """One signature. ``problems`` say what is wrong; ``notes`` are facts that do not spoil validity."""

    signer_name: str = ""
    signer_serial: str = ""
    issuer_name: str = ""
    organisation: str | None = None
    signing_time: datetime | None = None
    timestamp_time: datetime | None = None
    integrity_ok: bool = False
    chain_ok: bool = False
    trusted_root: str | None = None
    revocation: str = "not-checked"  # "good" | "revoked" | "unknown" | "not-checked"
    revoked_at: datetime | None = None
    certificate_valid_at_signing: bool = False
    level: str | None = None
    covers_whole_file: bool | None = None
    status: ReportStatus = ReportStatus.INDETERMINATE
    problems: list[str] = field(default_factory=list)
    # additions to the contract (defaults keep callers working):
    signer_title: str | None = None
    revocation_source: str | None = None  # "ocsp" | "crl" | "dss" (embedded B-LT data) | None
    certificate_not_after: datetime | None = None
    notes: list[str] = field(default_factory=list)
    certificate_sha256: str | None = None  # the signer's certificate (DER), for callers that pin one

    def as_dict(self) -> dict:
        return _jsonable(dataclasses.asdict(self))


@dataclass
class VerificationReport:
    kind: str  # "pdf" | "cades" | "asice" | "unknown"
    status: ReportStatus
    signatures: list[SignatureReport] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return _jsonable(dataclasses.asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return str(value)
    return value
