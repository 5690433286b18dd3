"""PAdES signing and verification with the real test PKI (OCSP, CRL, TSA on loopback)."""

import io

import pytest
from pypdf import PdfReader

from ratusha.signatures.engine import (
    CertificateExpiredError,
    ReportStatus,
    SignatureLevel,
    SigningServiceError,
    Stamp,
    pades_sign,
    verify,
)

STAMP = Stamp(lines=("Документ підписано електронним підписом", "Іваненко Олена Петрівна, міський голова",
                     "Сертифікат: 1001", "26.11.2026 10:00"), qr_url="https://rada.example.org/verify/?code=AB12")


@pytest.fixture(scope="module")
def signed(pki, sample_pdf):
    key = pki.signing_key("signer")
    services = pki.services()
    out = {level: pades_sign(sample_pdf, key=key, level=level, services=services, stamp=STAMP,
                             reason="Затвердження", location="Тестове")
           for level in SignatureLevel}
    out["two"] = pades_sign(out[SignatureLevel.B_T], key=pki.signing_key("seal"), level=SignatureLevel.B_T,
                            services=services, stamp=Stamp(lines=("Печатка",), qr_url=None))
    return out


@pytest.mark.parametrize("level", list(SignatureLevel))
def test_each_level_verifies_valid(pki, signed, level):
    report = verify(signed[level], services=pki.services())
    assert report.kind == "pdf"
    assert report.status == ReportStatus.VALID, report.as_dict()
    (sig,) = report.signatures
    assert sig.signer_name == "Іваненко Олена Петрівна"
    assert sig.signer_title == "міський голова"
    assert sig.organisation == "Виконавчий комітет Тестової міської ради"
    assert sig.integrity_ok and sig.chain_ok and sig.certificate_valid_at_signing
    assert sig.trusted_root == "Ratusha Test Root CA"
    assert sig.revocation == "good"
    assert sig.covers_whole_file is True
    assert sig.level == f"PAdES-{level}"
    assert sig.signing_time is not None
    assert (sig.timestamp_time is not None) == (level != SignatureLevel.B_B)


def test_b_lt_is_checked_offline_from_the_embedded_dss(pki, signed):
    report = verify(signed[SignatureLevel.B_LT], services=pki.services(allow_fetching=False))
    assert report.status == ReportStatus.VALID, report.as_dict()
    assert report.signatures[0].revocation_source == "dss"
    # a B-B file has nothing embedded: offline it cannot be confirmed
    offline = verify(signed[SignatureLevel.B_B], services=pki.services(allow_fetching=False))
    assert offline.status == ReportStatus.INDETERMINATE
    assert offline.signatures[0].revocation == "not-checked"


def test_two_signers_incremental_both_valid(pki, signed):
    report = verify(signed["two"], services=pki.services())
    assert report.status == ReportStatus.VALID, report.as_dict()
    assert [s.signer_name for s in report.signatures] == ["Іваненко Олена Петрівна", "Печатка виконавчого комітету"]
    first, second = report.signatures
    assert first.covers_whole_file is False and second.covers_whole_file is True
    assert first.notes  # says that later signatures were added


def test_visible_stamp_on_the_last_page(signed):
    reader = PdfReader(io.BytesIO(signed["two"]))
    last = reader.pages[-1]
    widgets = [a.get_object() for a in last.get("/Annots", [])]
    sig_widgets = [w for w in widgets if w.get("/FT") == "/Sig" or w.get("/Parent", {}).get("/FT") == "/Sig"]
    assert len(sig_widgets) == 2
    first, second = ([float(v) for v in w["/Rect"]] for w in sig_widgets)
    assert first[2] <= second[0] or second[2] <= first[0]  # side by side, not on top of each other
    from ratusha.signatures.engine.placement import text_bands

    lowest_text = min(bottom for bottom, _top in text_bands(PdfReader(io.BytesIO(signed[SignatureLevel.B_T])).pages[-1]))
    for widget in sig_widgets:
        x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
        assert y2 < lowest_text and x2 - x1 > 100  # in the empty space under the page's text, a real box
        assert "/AP" in widget
    assert not reader.pages[0].get("/Annots")


def test_stamp_text_is_rendered_in_cyrillic(signed):
    # the stamp's appearance carries the embedded DejaVu font; its text extracts back as Cyrillic
    from ratusha.signatures.engine.stamp import stamp_pdf

    page = PdfReader(io.BytesIO(stamp_pdf(STAMP))).pages[0]
    text = " ".join(page.extract_text().split())
    assert "Документ підписано електронним підписом" in text
    assert "Іваненко Олена Петрівна" in text
    fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    descriptors = [f["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object() for f in fonts]
    assert descriptors and all("/FontFile2" in d for d in descriptors)  # embedded TrueType (DejaVu Sans)


def test_tampered_byte_is_invalid(pki, signed):
    data = bytearray(signed[SignatureLevel.B_T])
    index = data.index(b"/Type /Page") if b"/Type /Page" in data else len(data) // 4
    data[index + 1] ^= 0x01
    report = verify(bytes(data), services=pki.services())
    assert report.status == ReportStatus.INVALID
    assert any("Цілісність порушено" in p for p in report.signatures[0].problems)


def test_unknown_ca_is_indeterminate(pki, signed):
    report = verify(signed[SignatureLevel.B_B], services=pki.services(trust=False))
    assert report.status == ReportStatus.INDETERMINATE
    assert any("не веде до довіреного центру" in p for p in report.signatures[0].problems)


def test_unsigned_and_garbage(pki, sample_pdf):
    assert verify(sample_pdf, services=pki.services()).status == ReportStatus.UNSIGNED
    garbage = verify(b"\x00\x01 not a document", services=pki.services())
    assert garbage.status == ReportStatus.MALFORMED and garbage.problems
    broken = verify(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", services=pki.services())
    assert broken.status in (ReportStatus.MALFORMED, ReportStatus.UNSIGNED)
    assert verify(b"", services=pki.services()).status == ReportStatus.MALFORMED


def test_expired_certificate_refused_when_signing(pki, sample_pdf):
    with pytest.raises(CertificateExpiredError) as error:
        pades_sign(sample_pdf, key=pki.signing_key("expired"), level=SignatureLevel.B_B, services=pki.services())
    assert "01.06.2021" in error.value.message


def test_b_t_without_tsa_is_a_clear_error(pki, sample_pdf):
    with pytest.raises(SigningServiceError):
        pades_sign(sample_pdf, key=pki.signing_key("signer"), level=SignatureLevel.B_T,
                   services=pki.services(tsa=False))


def test_unreachable_tsa_is_a_service_error(pki, sample_pdf):
    from ratusha.signatures.engine import Services

    services = Services(tsa_url="http://127.0.0.1:9/tsa", trust_roots=(pki.root,))
    with pytest.raises(SigningServiceError):
        pades_sign(sample_pdf, key=pki.signing_key("signer"), level=SignatureLevel.B_T, services=services)


def test_content_changed_in_a_later_revision_is_invalid(pki, signed):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed[SignatureLevel.B_T]))
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (FAKE) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    report = verify(out.getvalue(), services=pki.services())
    assert report.status == ReportStatus.INVALID
    sig = report.signatures[0]
    assert sig.integrity_ok and sig.covers_whole_file is False
    assert any("Після підписання документ змінено" in p for p in sig.problems)


def test_untrusted_certificates_urls_are_not_fetched(pki, signed):
    # no trusted root → the OCSP/CRL addresses inside the certificate are not contacted (SSRF guard)
    report = verify(signed[SignatureLevel.B_B], services=pki.services(trust=False))
    assert report.signatures[0].revocation == "not-checked"


def test_encrypted_or_broken_pdf_gives_a_clear_error(pki, sample_pdf):
    from pypdf import PdfReader, PdfWriter

    from ratusha.signatures.engine import SignatureEngineError

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(sample_pdf)))
    writer.encrypt(user_password="секрет", owner_password="власник", algorithm="AES-256")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    for data in (encrypted.getvalue(), b"%PDF-1.7 nonsense"):
        with pytest.raises(SignatureEngineError) as error:
            pades_sign(data, key=pki.signing_key("signer"), level=SignatureLevel.B_B, services=pki.services())
        assert error.value.message
