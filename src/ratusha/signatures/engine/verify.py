"""``verify``: detect the format by content and check every signature. Never raises on bad input."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from .types import ReportStatus, Services, VerificationReport

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
PEM_CMS_MARKERS = (b"-----BEGIN PKCS7-----", b"-----BEGIN CMS-----", b"-----BEGIN PKCS #7 SIGNED DATA-----")


def detect_kind(data: bytes) -> str:
    head = data[:1024]
    if PDF_MAGIC in head:
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        return "asice"
    if data[:1] == b"\x30" or any(marker in head for marker in PEM_CMS_MARKERS):
        return "cades"
    return "unknown"


def verify(data: bytes, *, content: bytes | None = None, filename: str = "",
           services: Services) -> VerificationReport:
    kind = detect_kind(data or b"")
    try:
        if kind == "pdf":
            from .pdf_verify import verify_pdf

            return verify_pdf(data, services)
        if kind == "asice":
            from .asice import verify_asice

            return verify_asice(data, services)
        if kind == "cades":
            from .cades import verify_cades

            return verify_cades(data, content=content, services=services)
    except Exception as exc:  # noqa: BLE001 — the contract: a report, never an exception
        logger.exception("verification failed unexpectedly for %r", filename)
        return VerificationReport(kind=kind, status=ReportStatus.MALFORMED,
                                  problems=[_("Файл неможливо перевірити: його структура пошкоджена (%(error)s).")
                                            % {"error": type(exc).__name__}])
    if not data:
        problem = _("Файл порожній.")
    else:
        problem = _("Формат файлу не розпізнано: очікується підписаний PDF, підпис CAdES (.p7s) або контейнер "
                    "ASiC-E (.asice).")
    return VerificationReport(kind="unknown", status=ReportStatus.MALFORMED, problems=[problem])
