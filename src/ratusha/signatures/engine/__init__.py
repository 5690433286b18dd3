"""The signature engine: PAdES / CAdES / ASiC-E signing and verification, and the installation's own CA.

Pure functions and dataclasses (no models, no database). The Django side (keys, trust list, approvals,
``/verify/``) lives in ``ratusha.signatures`` and calls only what is exported here. See
docs/signatures.md and docs/adr/0001-signature-provider.md.

Changes to the contract agreed in the brief (additive only, existing names unchanged):
* ``SignatureReport`` has extra fields with defaults: ``signer_title``, ``revocation_source``
  ("ocsp" | "crl" | "dss" | None), ``certificate_not_after`` and ``notes`` (facts that do not spoil
  validity, e.g. "revoked after the timestamp"); all report fields have defaults; ``SignatureReport`` also
  has ``as_dict()``.
* ``cades_sign_detached`` supports B-B and B-T; B-LT is accepted and produces B-T (no revocation values in
  CAdES; documented in docs/signatures.md).
* ``asice_build`` also takes ``level=`` (for ``sign_with``); ``signatures`` are CAdES signatures made
  earlier over ``asice_manifest(files, i)`` for i = 1, 2, … (so signers can sign one after another, each
  with their own passphrase); a signature over anything else is refused. ``asice_manifest`` is exported.
* ``certificate_issue`` has an extra ``tsa=False`` keyword (a timestamping-unit certificate for the
  installation's TSA: EKU timeStamping); ``timestamp_respond`` takes optional ``chain`` and ``policy_oid``.
* Errors derive from ``SignatureEngineError`` (an ``ApplicationError``), exported too.
* ``SignatureProvider`` / ``get_provider`` / ``PyHankoProvider``: the setting ``SIGNATURES_PROVIDER``
  (default "pyhanko") and optionally ``SIGNATURES_PROVIDERS = {"name": "module:attr"}``.
* ``pades_sign`` takes ``placement=Placement(page, box)`` — the area a generated document keeps for the
  stamp; without it the stamp goes where it covers no text (``placement.py``), not to a fixed corner.
"""

import warnings

from .asice import asice_build, asice_manifest, verify_asice
from .ca import ca_create, certificate_issue, crl_build, ocsp_respond, timestamp_respond
from .cades import cades_sign_detached
from .errors import (
    CertificateExpiredError,
    CertificateRevokedError,
    InvalidKeyFileError,
    SignatureEngineError,
    SigningServiceError,
    WrongPassphraseError,
)
from .keys import pkcs12_encrypt, pkcs12_load
from .pades import pades_sign
from .placement import Placement
from .provider import PyHankoProvider, SignatureProvider, get_provider
from .types import (
    ReportStatus,
    Services,
    SignatureLevel,
    SignatureReport,
    SigningKey,
    Stamp,
    VerificationReport,
)
from .verify import verify

# RFC 5280 bounds names in characters; cryptography counts UTF-8 bytes when it reads a certificate back,
# so every Cyrillic name over 32 letters (the bound is 64) would warn on each check. Our CA checks the
# real bound when issuing (ca._attr).
warnings.filterwarnings("ignore", message="Attribute's length must be", category=UserWarning)

__all__ = [
    "Placement",
    "PyHankoProvider",
    "SignatureProvider",
    "asice_build",
    "asice_manifest",
    "verify_asice",
    "ca_create",
    "cades_sign_detached",
    "certificate_issue",
    "crl_build",
    "get_provider",
    "ocsp_respond",
    "timestamp_respond",
    "CertificateExpiredError",
    "CertificateRevokedError",
    "InvalidKeyFileError",
    "ReportStatus",
    "Services",
    "SignatureEngineError",
    "SignatureLevel",
    "SignatureReport",
    "SigningKey",
    "SigningServiceError",
    "Stamp",
    "VerificationReport",
    "WrongPassphraseError",
    "pades_sign",
    "pkcs12_encrypt",
    "pkcs12_load",
    "verify",
]
