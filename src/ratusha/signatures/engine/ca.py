"""The installation's own CA for internal signatures: create the CA, issue certificates, publish a CRL,
answer OCSP (RFC 6960) and timestamp (RFC 3161) requests. Pure functions: the Django side stores the keys
(encrypted) and serves these over HTTP."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as a_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ._util import now, to_asn1_cert

CA_KEY_SIZE = 3072
# RFC 3161 requires a TSA policy OID. 2.999 is the ITU-T/ISO "example" arc: an installation that needs a
# registered policy passes its own ``policy_oid``.
TSA_POLICY_OID = "2.999.3161.1"


UB_NAME = 64  # RFC 5280 upper bound (characters) for common name, organisation and title


def _attr(oid, value: str) -> x509.NameAttribute:
    value = " ".join(value.split())
    if not value or len(value) > UB_NAME:
        from django.utils.translation import gettext as _

        from .errors import SignatureEngineError

        raise SignatureEngineError(_("Поле сертифіката «%(value)s» має містити від 1 до %(max)s символів.")
                                   % {"value": value[:80], "max": UB_NAME})
    # cryptography counts UTF-8 bytes; RFC 5280 counts characters (Cyrillic takes two bytes each)
    return x509.NameAttribute(oid, value, _validate=False)


def _name(common_name: str, organisation: str | None = None, title: str | None = None,
          email: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "UA")]
    if organisation:
        attrs.append(_attr(NameOID.ORGANIZATION_NAME, organisation))
    if title:
        attrs.append(_attr(NameOID.TITLE, title))
    attrs.append(_attr(NameOID.COMMON_NAME, common_name))
    if email:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attrs)


def _serial() -> int:
    return secrets.randbits(127) | (1 << 64)  # positive, ≥ 64 bits of entropy (CA/B BR 7.1)


def ca_create(*, common_name: str, organisation: str, valid_years: int = 10):
    """A self-signed root for the installation: returns ``(private_key, certificate)``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=CA_KEY_SIZE)
    name = _name(common_name, organisation)
    start = now() - timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(_serial()).not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * valid_years + valid_years // 4))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def certificate_issue(*, ca_key, ca_cert: x509.Certificate, subject_name: str, organisation: str,
                      title: str | None, email: str | None, public_key, seal: bool = False,
                      valid_days: int = 730, crl_url: str | None, ocsp_url: str | None,
                      tsa: bool = False) -> x509.Certificate:
    """A signing certificate (non-repudiation) for a person, an organisation's seal (``seal=True``: the
    subject is the organisation) or, with ``tsa=True``, the installation's timestamping unit."""
    start = now() - timedelta(minutes=5)
    end = min(start + timedelta(days=valid_days), ca_cert.not_valid_after_utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject_name, organisation, None if seal else title, email))
        .issuer_name(ca_cert.subject).public_key(public_key).serial_number(_serial())
        .not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=not tsa, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False)
    )
    if tsa:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    if email:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
    if crl_url:
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None, reasons=None,
            crl_issuer=None)]), critical=False)
    if ocsp_url:
        builder = builder.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
            x509.oid.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))]),
            critical=False)
    return builder.sign(ca_key, _hash_for(ca_key))


def _hash_for(key):
    return None if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)) else hashes.SHA256()


def crl_build(*, ca_key, ca_cert: x509.Certificate, revoked: Sequence[tuple[int, datetime]],
              next_update_hours: int = 24) -> bytes:
    """A DER CRL of the installation CA."""
    moment = now().replace(microsecond=0)  # whole seconds: NSS refuses fractional GeneralizedTime
    builder = (
        x509.CertificateRevocationListBuilder().issuer_name(ca_cert.subject)
        .last_update(moment - timedelta(minutes=1)).next_update(moment + timedelta(hours=next_update_hours))
        .add_extension(x509.CRLNumber(int(moment.timestamp())), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False)
    )
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(int(serial))
            .revocation_date(when if when.tzinfo else when.replace(tzinfo=UTC)).build())
    return builder.sign(ca_key, _hash_for(ca_key)).public_bytes(serialization.Encoding.DER)


def ocsp_respond(request_der: bytes, *, ca_key, ca_cert: x509.Certificate,
                 status_of: Callable[[int], tuple[str, datetime | None]]) -> bytes:
    """Answer an OCSP request for certificates of ``ca_cert`` (signed by the CA itself, RFC 6960 §4.2.2.2).
    ``status_of(serial)`` returns ("good" | "revoked" | "unknown", revocation time)."""
    try:
        request = ocsp.load_der_ocsp_request(request_der)
    except ValueError:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST).public_bytes(
            serialization.Encoding.DER)
    algorithm = request.hash_algorithm
    ours = (request.issuer_name_hash == _digest(algorithm, ca_cert.subject.public_bytes())
            and request.issuer_key_hash == _digest(algorithm, _key_bits(ca_cert)))
    state, revoked_at = status_of(request.serial_number) if ours else ("unknown", None)
    cert_status = {"good": ocsp.OCSPCertStatus.GOOD, "revoked": ocsp.OCSPCertStatus.REVOKED}.get(
        state, ocsp.OCSPCertStatus.UNKNOWN)
    moment = now().replace(microsecond=0)  # whole seconds: NSS refuses fractional GeneralizedTime
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        issuer_name_hash=request.issuer_name_hash, issuer_key_hash=request.issuer_key_hash,
        serial_number=request.serial_number, algorithm=algorithm, cert_status=cert_status,
        this_update=moment - timedelta(minutes=1), next_update=moment + timedelta(hours=1),
        revocation_time=(revoked_at if cert_status == ocsp.OCSPCertStatus.REVOKED else None),
        revocation_reason=None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, ca_cert).certificates([ca_cert])
    for extension in request.extensions:
        if isinstance(extension.value, x509.OCSPNonce):
            builder = builder.add_extension(extension.value, critical=False)
    return builder.sign(ca_key, _hash_for(ca_key)).public_bytes(serialization.Encoding.DER)


def _digest(algorithm, data: bytes) -> bytes:
    digest = hashes.Hash(algorithm)
    digest.update(data)
    return digest.finalize()


def _key_bits(cert: x509.Certificate) -> bytes:
    return bytes(to_asn1_cert(cert)["tbs_certificate"]["subject_public_key_info"]["public_key"].contents[1:])


def timestamp_respond(request_der: bytes, *, tsa_key, tsa_cert: x509.Certificate,
                      chain: Sequence[x509.Certificate] = (), policy_oid: str = TSA_POLICY_OID) -> bytes:
    """An RFC 3161 TimeStampResp for a TimeStampReq (any RSA/EC key; SHA-256 signature)."""
    try:
        request = tsp.TimeStampReq.load(request_der)
        imprint = request["message_imprint"]
        imprint.native  # noqa: B018 — validate now
        if imprint["hash_algorithm"]["algorithm"].native not in ("sha256", "sha384", "sha512", "sha1"):
            return _ts_failure("bad_alg")
    except Exception:  # noqa: BLE001
        return _ts_failure("bad_data_format")
    a_cert = to_asn1_cert(tsa_cert)
    info = {
        "version": "v1", "policy": request["req_policy"].native or policy_oid, "message_imprint": imprint,
        "serial_number": secrets.randbits(120), "gen_time": now().replace(microsecond=0),
        "tsa": a_x509.GeneralName(name="directory_name", value=a_cert.subject),
    }
    if request["nonce"].native is not None:
        info["nonce"] = request["nonce"]
    tst_info = tsp.TSTInfo(info)
    content = tst_info.dump()
    cert_digest = hashlib.sha256(a_cert.dump()).digest()
    signed_attrs = cms.CMSAttributes([
        cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
        cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(content).digest()]}),
        cms.CMSAttribute({"type": "signing_certificate_v2", "values": [tsp.SigningCertificateV2({
            "certs": [tsp.ESSCertIDv2({"hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                                      "cert_hash": cert_digest})]})]}),
    ])
    to_sign = signed_attrs.dump()
    if isinstance(tsa_key, rsa.RSAPrivateKey):
        signature = tsa_key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
        sig_algo = "sha256_rsa"
    else:
        signature = tsa_key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
        sig_algo = "sha256_ecdsa"
    signer_info = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": a_cert.issuer, "serial_number": a_cert.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
        "signed_attrs": signed_attrs,
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": sig_algo}),
        "signature": signature,
    })
    certs = [a_cert, *(to_asn1_cert(c) for c in chain)] if request["cert_req"].native else []
    signed_data = cms.SignedData({
        "version": "v3",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
        "encap_content_info": {"content_type": "tst_info", "content": core.ParsableOctetString(content)},
        "certificates": certs or None,
        "signer_infos": [signer_info],
    })
    return tsp.TimeStampResp({
        "status": {"status": "granted"},
        "time_stamp_token": cms.ContentInfo({"content_type": "signed_data", "content": signed_data}),
    }).dump()


def _ts_failure(reason: str) -> bytes:
    # TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken OPTIONAL } (asn1crypto insists on
    # the token, so the outer SEQUENCE is encoded here)
    status = tsp.PKIStatusInfo({"status": "rejection", "fail_info": tsp.PKIFailureInfo({reason})}).dump()
    return b"\x30" + _der_length(len(status)) + status


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body
