"""Revocation status of a signer's certificate: OCSP (AIA) and CRL (CRL DP) fetched over HTTP when allowed,
or the OCSP responses / CRLs embedded in the document (PAdES B-LT DSS). Responses are checked: the OCSP
response must be signed by the issuing CA or by a responder it delegated (id-kp-OCSPSigning); the CRL by
the issuing CA. ``assess`` calls it for the signer's certificate and for every intermediate CA."""

from __future__ import annotations

import contextlib
import logging
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import ocsp as a_ocsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, ExtensionOID

from ._util import aware, to_asn1_cert, to_crypto_cert

logger = logging.getLogger(__name__)
HTTP_TIMEOUT = 10
MAX_RESPONSE = 5 * 1024 * 1024


@dataclass(frozen=True)
class RevocationResult:
    status: str  # "good" | "revoked" | "unknown" | "not-checked"
    revoked_at: datetime | None = None
    source: str | None = None  # "ocsp" | "crl" | "dss"
    reason: str | None = None


def find_issuer(cert: x509.Certificate, candidates: Iterable[x509.Certificate]) -> x509.Certificate | None:
    for candidate in candidates:
        if candidate.subject != cert.issuer:
            continue
        try:
            cert.verify_directly_issued_by(candidate)
            return candidate
        except (ValueError, TypeError, InvalidSignature):
            continue
    return None


def check_revocation(cert: x509.Certificate, issuer: x509.Certificate | None, *, allow_fetching: bool,
                     embedded_ocsps: Sequence[bytes] = (), embedded_crls: Sequence[bytes] = ()) -> RevocationResult:
    if issuer is None:
        return RevocationResult("unknown")
    attempted = False
    if allow_fetching:
        for url in _ocsp_urls(cert):
            attempted = True
            result = _from_ocsp(_fetch_ocsp(url, cert, issuer), cert, issuer, "ocsp")
            if result is not None:
                return result
        for url in _crl_urls(cert):
            attempted = True
            result = _from_crl(_http_get(url), cert, issuer, "crl")
            if result is not None:
                return result
    for der in embedded_ocsps:
        attempted = True
        result = _from_ocsp(der, cert, issuer, "dss")
        if result is not None:
            return result
    for der in embedded_crls:
        attempted = True
        result = _from_crl(der, cert, issuer, "dss")
        if result is not None:
            return result
    return RevocationResult("unknown" if attempted else "not-checked")


# --- OCSP ----------------------------------------------------------------------------------------

def _ocsp_urls(cert: x509.Certificate) -> list[str]:
    try:
        aia = cert.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_INFORMATION_ACCESS).value
    except x509.ExtensionNotFound:
        return []
    return [d.access_location.value for d in aia
            if d.access_method == AuthorityInformationAccessOID.OCSP
            and isinstance(d.access_location, x509.UniformResourceIdentifier)
            and d.access_location.value.startswith(("http://", "https://"))]


def _fetch_ocsp(url: str, cert: x509.Certificate, issuer: x509.Certificate) -> bytes | None:
    request = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1()).build()  # noqa: S303 — RFC 6960 CertID
    return _http_post(url, request.public_bytes(serialization.Encoding.DER), "application/ocsp-request")


def _from_ocsp(der: bytes | None, cert: x509.Certificate, issuer: x509.Certificate,
               source: str) -> RevocationResult | None:
    """Parsed with asn1crypto: real responders (certomancer among them) put fractional seconds into
    GeneralizedTime, which the strict DER parser of ``cryptography`` refuses."""
    if not der:
        return None
    try:
        response = a_ocsp.OCSPResponse.load(der)
        if response["response_status"].native != "successful":
            return None
        basic = response["response_bytes"]["response"].parsed
        tbs = basic["tbs_response_data"]
        if not _ocsp_signature_ok(basic, issuer):
            logger.warning("OCSP response with a bad signature ignored")
            return None
        for single in tbs["responses"]:
            cert_id = single["cert_id"]
            if cert_id["serial_number"].native != cert.serial_number:
                continue
            algorithm = _HASHES.get(cert_id["hash_algorithm"]["algorithm"].native)
            if algorithm is None or cert_id["issuer_name_hash"].native != _name_hash(issuer, algorithm):
                continue
            status = single["cert_status"]
            if status.name == "good":
                return RevocationResult("good", source=source)
            if status.name == "revoked":
                info = status.chosen
                reason = info["revocation_reason"].native if info["revocation_reason"].native else None
                return RevocationResult("revoked", aware(info["revocation_time"].native), source, reason)
            return RevocationResult("unknown", source=source)
    except (ValueError, TypeError, KeyError) as exc:
        logger.info("unusable OCSP response: %s", exc)
    return None


_HASHES = {"sha1": hashes.SHA1(), "sha256": hashes.SHA256(), "sha384": hashes.SHA384(),  # noqa: S303
           "sha512": hashes.SHA512()}


def _name_hash(issuer: x509.Certificate, algorithm) -> bytes:
    digest = hashes.Hash(algorithm)
    digest.update(issuer.subject.public_bytes())
    return digest.finalize()


def _ocsp_signature_ok(basic: a_ocsp.BasicOCSPResponse, issuer: x509.Certificate) -> bool:
    algorithm = _HASHES.get(basic["signature_algorithm"].hash_algo)
    if algorithm is None:
        return False
    responder_id = basic["tbs_response_data"]["responder_id"]
    embedded = [to_crypto_cert(c.chosen if hasattr(c, "chosen") else c) for c in (basic["certs"] or ())]
    for signer in [issuer, *embedded]:
        if signer is not issuer and not _delegated_responder(signer, issuer):
            continue
        if responder_id.name == "by_key" and _key_hash(signer) != responder_id.native:
            continue
        if responder_id.name == "by_name" and to_asn1_cert(signer).subject != responder_id.chosen:
            continue
        if verify_signature(signer.public_key(), basic["signature"].native,
                            basic["tbs_response_data"].dump(), algorithm):
            return True
    return False


def _delegated_responder(signer: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        signer.verify_directly_issued_by(issuer)
        eku = signer.extensions.get_extension_for_oid(ExtensionOID.EXTENDED_KEY_USAGE).value
    except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
        return False
    return ExtendedKeyUsageOID.OCSP_SIGNING in eku


def _key_hash(cert: x509.Certificate) -> bytes:
    digest = hashes.Hash(hashes.SHA1())  # noqa: S303 — RFC 6960 ResponderID byKey is SHA-1
    digest.update(_public_key_bits(cert))
    return digest.finalize()


def _public_key_bits(cert: x509.Certificate) -> bytes:
    from asn1crypto import keys as a_keys

    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return bytes(a_keys.PublicKeyInfo.load(spki)["public_key"].contents[1:])


def verify_signature(public_key, signature: bytes, data: bytes, hash_algorithm) -> bool:
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), hash_algorithm)
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(hash_algorithm))
        else:
            public_key.verify(signature, data)
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


# --- CRL -----------------------------------------------------------------------------------------

def _crl_urls(cert: x509.Certificate) -> list[str]:
    try:
        cdp = cert.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value
    except x509.ExtensionNotFound:
        return []
    return [name.value for point in cdp for name in (point.full_name or ())
            if isinstance(name, x509.UniformResourceIdentifier) and name.value.startswith(("http://", "https://"))]


def _from_crl(der: bytes | None, cert: x509.Certificate, issuer: x509.Certificate,
              source: str) -> RevocationResult | None:
    if not der:
        return None
    try:
        crl = x509.load_der_x509_crl(der) if not der.lstrip().startswith(b"-----") else x509.load_pem_x509_crl(der)
    except ValueError:
        return None
    if crl.issuer != issuer.subject or not crl.is_signature_valid(issuer.public_key()):
        return None
    entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
    if entry is None:
        return RevocationResult("good", source=source)
    reason = None
    with contextlib.suppress(x509.ExtensionNotFound):
        reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason.name
    return RevocationResult("revoked", entry.revocation_date_utc, source, reason)


# --- HTTP (loopback in tests; certificates' own URLs in production) ----------------------------

def _http_post(url: str, body: bytes, content_type: str) -> bytes | None:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")  # noqa: S310
    return _read(request)


def _http_get(url: str) -> bytes | None:
    return _read(urllib.request.Request(url, method="GET"))  # noqa: S310


def _read(request: urllib.request.Request) -> bytes | None:
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310 — http(s) only
            return response.read(MAX_RESPONSE)
    except (OSError, ValueError) as exc:
        logger.info("revocation fetch failed for %s: %s", request.full_url, exc)
        return None
