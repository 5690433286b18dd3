"""PAdES verification: every signature of a PDF, with pyHanko's integrity and difference analysis."""

from __future__ import annotations

import io
import logging

from asn1crypto import crl as a_crl
from asn1crypto import ocsp as a_ocsp
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.status import SignatureCoverageLevel

from ._util import to_crypto_cert
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
from .revocation import check_revocation, find_issuer
from .types import ReportStatus, Services, SignatureReport, VerificationReport

logger = logging.getLogger(__name__)


def _dss_material(reader: PdfFileReader) -> tuple[list, list[bytes], list[bytes]]:
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:  # noqa: BLE001 — no DSS (KeyError) or an unreadable one: nothing embedded
        return [], [], []
    certs = []
    for cert in dss.load_certs():
        try:
            certs.append(to_crypto_cert(cert))
        except ValueError:  # noqa: S112 — a broken embedded certificate is simply not used
            continue
    ocsps, crls = [], []
    for ref in dss.ocsps:
        try:
            ocsps.append(a_ocsp.OCSPResponse.load(ref.get_object().data).dump())
        except Exception:  # noqa: BLE001, S112 — unusable embedded data is ignored (revocation → unknown)
            continue
    for ref in dss.crls:
        try:
            crls.append(a_crl.CertificateList.load(ref.get_object().data).dump())
        except Exception:  # noqa: BLE001, S112
            continue
    return certs, ocsps, crls


def verify_pdf(data: bytes, services: Services) -> VerificationReport:
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_regular_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        logger.info("unreadable PDF: %s", exc)
        return VerificationReport(kind="pdf", status=ReportStatus.MALFORMED,
                                  problems=[_("Файл PDF пошкоджений, його неможливо прочитати.")])
    if not signatures:
        return VerificationReport(kind="pdf", status=ReportStatus.UNSIGNED,
                                  problems=[_("Документ не містить електронних підписів.")])
    dss_certs, dss_ocsps, dss_crls = _dss_material(reader)
    reports = []
    for embedded in signatures:
        try:
            reports.append(_verify_one(embedded, services, dss_certs, dss_ocsps, dss_crls))
        except Exception as exc:  # noqa: BLE001 — one broken signature must not hide the others
            logger.warning("PDF signature could not be checked: %r", exc)
            report = SignatureReport(status=ReportStatus.INVALID)
            report.problems.append(_("Підпис пошкоджений, його неможливо перевірити."))
            reports.append(report)
    return VerificationReport(kind="pdf", status=overall_status(reports), signatures=reports)


def overall_status(reports: list[SignatureReport]) -> ReportStatus:
    if not reports:
        return ReportStatus.UNSIGNED
    if all(r.status == ReportStatus.VALID for r in reports):
        return ReportStatus.VALID
    if any(r.status == ReportStatus.INVALID for r in reports):
        return ReportStatus.INVALID
    return ReportStatus.INDETERMINATE


def _verify_one(embedded, services: Services, dss_certs, dss_ocsps, dss_crls) -> SignatureReport:
    signer_info = embedded.signer_info
    cert = to_crypto_cert(embedded.signer_cert)
    others = embedded_certs(embedded.signed_data) + dss_certs
    signing_time = claimed_signing_time(signer_info) or embedded.self_reported_timestamp
    tst = signature_timestamp(signer_info)
    ts_time = timestamp_gen_time(tst)
    moment = reference_moment(cert, ts_time or signing_time)
    vc = validation_context(services.trust_roots, others, moment)
    ts_vc = validation_context(services.trust_roots, others, None)
    status = validate_pdf_signature(embedded, signer_validation_context=vc, ts_validation_context=ts_vc)
    chain_ok, root, chain_problem = chain_facts(status)
    ts_problem, ts_fatal = timestamp_problem(status) if tst is not None else (None, False)

    modification_problem = None
    level = status.modification_level
    if status.coverage not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION):
        modification_problem = _("Підпис охоплює не весь документ.")
    elif status.docmdp_ok is False or (level is not None and level > ModificationLevel.FORM_FILLING):
        modification_problem = _("Після підписання документ змінено (зміни, не дозволені для підписаного "
                                 "документа).")
    # later revisions that only add validation data (DSS) or document timestamps do not change the content
    covers = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        level is not None and level <= ModificationLevel.LTA_UPDATES and not modification_problem)

    has_revinfo = bool(dss_ocsps or dss_crls) and check_revocation(
        cert, find_issuer(cert, others), allow_fetching=False, embedded_ocsps=dss_ocsps,
        embedded_crls=dss_crls).status in ("good", "revoked")  # the DSS holds data for *this* certificate
    detected = "B-LT" if (tst is not None and has_revinfo) else "B-T" if tst is not None else "B-B"
    subfilter = str(embedded.sig_object.get("/SubFilter", "")).lstrip("/")
    level_name = f"PAdES-{detected}" if subfilter == "ETSI.CAdES.detached" else f"{subfilter or 'PDF'} ({detected})"
    facts = Facts(
        cert=cert, other_certs=others, integrity_ok=bool(status.intact and status.valid),
        chain_ok=chain_ok, trusted_root=root, chain_problem=chain_problem,
        signing_time=signing_time, timestamp_time=ts_time if tst is not None else None,
        timestamp_problem=ts_problem, timestamp_fatal=ts_fatal,
        level=level_name, covers_whole_file=covers, modification_problem=modification_problem,
        embedded_ocsps=dss_ocsps, embedded_crls=dss_crls,
    )
    report = assess(facts, services)
    if not covers and not modification_problem:
        report.notes.append(_("Після цього підпису до документа додано інші підписи або дані перевірки "
                              "(допустимі зміни)."))
    return report
