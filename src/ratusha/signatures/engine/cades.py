"""CAdES detached signatures (``.p7s``): signing (B-B, B-T) and verification (ours, OpenSSL's, anyone's)."""

from __future__ import annotations

import asyncio
import base64
import logging
import re

from asn1crypto import cms
from django.utils.translation import gettext as _
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation import async_validate_detached_cms

from ._util import now, to_crypto_cert
from .assess import Facts, assess
from .cms_common import (
    chain_facts,
    claimed_signing_time,
    embedded_certs,
    reference_moment,
    signature_timestamp,
    timestamp_gen_time,
    timestamp_problem,
    validation_context,
)
from .errors import SignatureEngineError, SigningServiceError
from .pades import _is_network_error, check_key_usable, make_signer, make_timestamper, translate_signing_error
from .pdf_verify import overall_status
from .types import ReportStatus, Services, SignatureLevel, SignatureReport, SigningKey, VerificationReport

logger = logging.getLogger(__name__)
PEM_RE = re.compile(rb"-----BEGIN (?:PKCS7|CMS|PKCS #7 SIGNED DATA)-----(.+?)-----END", re.S)


def cades_sign_detached(data: bytes, *, key: SigningKey, services: Services,
                        level: SignatureLevel = SignatureLevel.B_B) -> bytes:
    """A detached CAdES signature (DER): content-type, message-digest, signing-time and
    signing-certificate-v2 signed; B-T adds a signature timestamp token (unsigned attribute).
    B-LT is produced as B-T (CAdES revocation values are not embedded; see docs/signatures.md)."""
    level = SignatureLevel(level)
    check_key_usable(key)
    timestamper = make_timestamper(SignatureLevel.B_T if level == SignatureLevel.B_LT else level, services)
    signer = make_signer(key)
    try:
        content_info = asyncio.run(signer.async_sign_general_data(
            data, "sha256", detached=True, use_cades=True, timestamper=timestamper,
            signed_attr_settings=PdfCMSSignedAttributes(signing_time=now())))
    except SignatureEngineError:
        raise
    except Exception as exc:
        if _is_network_error(exc):
            raise SigningServiceError() from exc
        raise translate_signing_error(exc) from exc
    return content_info.dump()


def load_signed_data(data: bytes) -> cms.SignedData | None:
    match = PEM_RE.search(data[:10_000_000])
    if match:
        try:
            data = base64.b64decode(b"".join(match.group(1).split()))
        except ValueError:
            return None
    try:
        info = cms.ContentInfo.load(data, strict=True)
        if info["content_type"].native != "signed_data":
            return None
        signed = info["content"]
        signed.native  # noqa: B018 — parse fully now, not later in the middle of validation
        return signed
    except Exception:  # noqa: BLE001
        return None


def verify_cades(data: bytes, *, content: bytes | None, services: Services) -> VerificationReport:
    signed = load_signed_data(data)
    if signed is None:
        return VerificationReport(kind="cades", status=ReportStatus.MALFORMED,
                                  problems=[_("Файл не є підписом CAdES/CMS (.p7s) або пошкоджений.")])
    attached = signed["encap_content_info"]["content"]
    if content is None and attached.native is not None:
        content = attached.native if isinstance(attached.native, bytes) else attached.contents
    if content is None:
        return VerificationReport(kind="cades", status=ReportStatus.MALFORMED,
                                  problems=[_("Це відокремлений підпис: для перевірки потрібен ще й сам "
                                              "підписаний файл.")])
    signer_infos = list(signed["signer_infos"])
    if not signer_infos:
        return VerificationReport(kind="cades", status=ReportStatus.UNSIGNED,
                                  problems=[_("Контейнер CMS не містить жодного підпису.")])
    reports = [verify_signer(signed, info, content, services) for info in signer_infos]
    return VerificationReport(kind="cades", status=overall_status(reports), signatures=reports)


def verify_signer(signed: cms.SignedData, signer_info: cms.SignerInfo, content: bytes,
                  services: Services) -> SignatureReport:
    try:
        single = signed.copy()
        single["signer_infos"] = cms.SignerInfos([signer_info])
        certs = embedded_certs(signed)
        cert = _signer_cert(signed, signer_info)
        if cert is None:
            report = SignatureReport(status=ReportStatus.INVALID)
            report.problems.append(_("У підписі немає сертифіката підписувача."))
            return report
        signing_time = claimed_signing_time(signer_info)
        tst = signature_timestamp(signer_info)
        ts_time = timestamp_gen_time(tst)
        vc = validation_context(services.trust_roots, certs, reference_moment(cert, ts_time or signing_time))
        ts_vc = validation_context(services.trust_roots, certs, None)
        status = asyncio.run(async_validate_detached_cms(content, single, signer_validation_context=vc,
                                                         ts_validation_context=ts_vc))
        chain_ok, root, chain_problem = chain_facts(status)
        ts_problem, ts_fatal = timestamp_problem(status) if tst is not None else (None, False)
        facts = Facts(cert=cert, other_certs=certs, integrity_ok=bool(status.intact and status.valid),
                      chain_ok=chain_ok, trusted_root=root, chain_problem=chain_problem,
                      signing_time=signing_time, timestamp_time=ts_time if tst is not None else None,
                      timestamp_problem=ts_problem, timestamp_fatal=ts_fatal,
                      level="CAdES-B-T" if tst is not None else "CAdES-B-B")
        return assess(facts, services)
    except Exception as exc:  # noqa: BLE001 — a broken signer info is an invalid signature, not a crash
        logger.info("CMS signer could not be checked: %r", exc)
        report = SignatureReport(status=ReportStatus.INVALID)
        report.problems.append(_("Підпис пошкоджений, його неможливо перевірити."))
        return report


def _signer_cert(signed: cms.SignedData, signer_info: cms.SignerInfo):
    sid = signer_info["sid"]
    for choice in signed["certificates"] or ():
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            if cert.issuer_serial == f"{sid.chosen['issuer'].sha256.hex()}:{sid.chosen['serial_number'].native}":
                return to_crypto_cert(cert)
            if (cert.issuer == sid.chosen["issuer"]
                    and cert.serial_number == sid.chosen["serial_number"].native):
                return to_crypto_cert(cert)
        elif sid.name == "subject_key_identifier" and cert.key_identifier == sid.chosen.native:
            return to_crypto_cert(cert)
    return None
