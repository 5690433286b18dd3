"""PAdES signing (ETSI.CAdES.detached): B-B, B-T (RFC 3161 timestamp), B-LT (DSS with OCSP/CRL + certs)."""

from __future__ import annotations

import io
import logging

from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathValidationError, RevokedError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ._util import now, to_asn1_cert, to_asn1_key, valid_at
from .errors import (
    CertificateExpiredError,
    CertificateRevokedError,
    SignatureEngineError,
    SigningServiceError,
)
from .placement import NEW_PAGE, Placement, free_box
from .stamp import StampFile
from .types import Services, SignatureLevel, SigningKey, Stamp

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 15


def check_key_usable(key: SigningKey) -> None:
    if not valid_at(key.certificate, now()):
        raise CertificateExpiredError(
            _("Сертифікат підписувача не чинний зараз (строк дії: %(start)s — %(end)s).") % {
                "start": key.certificate.not_valid_before_utc.strftime("%d.%m.%Y"),
                "end": key.certificate.not_valid_after_utc.strftime("%d.%m.%Y"),
            })


def make_signer(key: SigningKey) -> signers.SimpleSigner:
    cert = to_asn1_cert(key.certificate)
    store = SimpleCertificateStore.from_certs([cert, *(to_asn1_cert(c) for c in key.chain)])
    return signers.SimpleSigner(signing_cert=cert, signing_key=to_asn1_key(key.private_key), cert_registry=store)


def make_timestamper(level: SignatureLevel, services: Services) -> HTTPTimeStamper | None:
    if level == SignatureLevel.B_B:
        return None
    if not services.tsa_url:
        raise SigningServiceError(_("Для рівня підпису %(level)s потрібна служба позначок часу (TSA), "
                                    "а її не налаштовано.") % {"level": level})
    return HTTPTimeStamper(services.tsa_url, timeout=TIMEOUT_SECONDS)


def validation_context_for_signing(key: SigningKey, services: Services) -> ValidationContext:
    return ValidationContext(
        trust_roots=[to_asn1_cert(c) for c in services.trust_roots],
        other_certs=[to_asn1_cert(c) for c in key.chain],
        allow_fetching=True, revocation_mode="hard-fail",
    )


def _existing_signature_count(writer: IncrementalPdfFileWriter) -> int:
    try:
        return sum(1 for _f in fields.enumerate_sig_fields(writer.prev, filled_status=True))
    except Exception:  # noqa: BLE001
        return 0


def _last_page_width(writer: IncrementalPdfFileWriter) -> float:
    try:
        page_ref = writer.prev.find_page_for_modification(-1)[0]
        page = page_ref.get_object()
        while "/MediaBox" not in page and "/Parent" in page:
            page = page["/Parent"].get_object()
        x1, _y1, x2, _y2 = (float(v) for v in page["/MediaBox"])
        return abs(x2 - x1)
    except Exception:  # noqa: BLE001
        return 595.0


def _add_signature_page(writer: IncrementalPdfFileWriter) -> None:
    """An empty page at the end, the size of the last one, to hold the stamp (placement.NEW_PAGE)."""
    width = _last_page_width(writer)
    height = 842.0
    try:
        page = writer.prev.find_page_for_modification(-1)[0].get_object()
        while "/MediaBox" not in page and "/Parent" in page:
            page = page["/Parent"].get_object()
        height = abs(float(page["/MediaBox"][3]) - float(page["/MediaBox"][1]))
    except Exception:  # noqa: BLE001, S110 - A4 then
        pass
    contents = writer.add_object(generic.StreamObject(stream_data=b""))
    writer.insert_page(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/MediaBox"): generic.ArrayObject([generic.FloatObject(0), generic.FloatObject(0),
                                                              generic.FloatObject(width), generic.FloatObject(height)]),
        generic.NameObject("/Resources"): generic.DictionaryObject(),
        generic.NameObject("/Contents"): contents,
    }))


def pades_sign(pdf: bytes, *, key: SigningKey, level: SignatureLevel, services: Services,
               stamp: Stamp | None = None, field_name: str | None = None, reason: str = "",
               location: str = "", placement: Placement | None = None) -> bytes:
    """Sign ``pdf`` and return the signed bytes (an incremental update: earlier signatures stay valid).

    The stamp goes to ``placement`` (the area a generated document keeps for it), else where
    ``placement.free_box`` finds room that covers no text; with no room it is left out (module note there)."""
    level = SignatureLevel(level)
    check_key_usable(key)
    timestamper = make_timestamper(level, services)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as exc:  # noqa: BLE001
        raise SignatureEngineError(_("Файл не є коректним PDF, його неможливо підписати.")) from exc
    index = _existing_signature_count(writer)
    name = field_name or f"Signature{index + 1}"
    meta = signers.PdfSignatureMetadata(
        field_name=name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None, location=location or None,
        embed_validation_info=level == SignatureLevel.B_LT,
        validation_context=validation_context_for_signing(key, services) if level == SignatureLevel.B_LT else None,
    )
    try:
        if stamp is None:
            return _sign(writer, meta, key, timestamper, None, None)
        placement = placement or free_box(pdf, has_signatures=index > 0)
        if placement is None:  # no room on a co-signed file: the signature without a stamp
            return _sign(writer, meta, key, timestamper, None, None)
        if placement.page == NEW_PAGE:
            _add_signature_page(writer)
        spec = fields.SigFieldSpec(sig_field_name=name, box=placement.box,
                                   on_page=-1 if placement.page == NEW_PAGE else int(placement.page))
        with StampFile(stamp) as path:
            style = StaticStampStyle.from_pdf_file(path, border_width=0, background_opacity=1.0,
                                                   background_layout=layout.SimpleBoxLayoutRule(
                                                       x_align=layout.AxisAlignment.ALIGN_MID,
                                                       y_align=layout.AxisAlignment.ALIGN_MID,
                                                       inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT))
            return _sign(writer, meta, key, timestamper, style, spec)
    except (SignatureEngineError, generic.PdfError) as exc:
        if isinstance(exc, SignatureEngineError):
            raise
        raise SignatureEngineError(_("Файл не є коректним PDF, його неможливо підписати.")) from exc


def _sign(writer, meta, key, timestamper, style, spec) -> bytes:
    pdf_signer = signers.PdfSigner(meta, make_signer(key), timestamper=timestamper, stamp_style=style,
                                   new_field_spec=spec)
    try:
        out = pdf_signer.sign_pdf(writer)
    except RevokedError as exc:
        raise CertificateRevokedError() from exc
    except SigningError as exc:
        raise translate_signing_error(exc) from exc
    except PathValidationError as exc:
        raise translate_signing_error(exc) from exc
    except (OSError, TimeoutError) as exc:
        raise SigningServiceError() from exc
    except Exception as exc:
        if _is_network_error(exc):
            raise SigningServiceError() from exc
        logger.exception("PAdES signing failed")
        raise SignatureEngineError(_("Не вдалося підписати документ: файл PDF має непідтримувану структуру "
                                     "(наприклад, зашифрований).")) from exc
    return out.getvalue()


def translate_signing_error(exc: BaseException) -> SignatureEngineError:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    text = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, RevokedError) for e in chain) or "revoked" in text:
        return CertificateRevokedError()
    if any(_is_network_error(e) for e in chain) or "timestamp" in text or "fetch" in text:
        return SigningServiceError()
    if "expired" in text:
        return CertificateExpiredError()
    logger.warning("signing failed: %s", exc)
    return SignatureEngineError(_("Не вдалося створити підпис: сертифікат або ланцюжок не пройшли перевірку."))


def _is_network_error(exc: BaseException) -> bool:
    name = type(exc).__module__ + "." + type(exc).__name__
    return any(part in name for part in ("aiohttp", "requests", "urllib3", "TimestampRequestError", "Connection",
                                         "socket"))
