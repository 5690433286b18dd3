"""Interoperability with real third-party tools: poppler's ``pdfsig`` (NSS), ``openssl cms``, and PDFs
signed by pyHanko's stock signing path in another process. Revocation/expiry cases use the loopback PKI."""

import subprocess
import sys
from pathlib import Path

import pytest

from ratusha.signatures.engine import (
    ReportStatus,
    SignatureLevel,
    Stamp,
    cades_sign_detached,
    pades_sign,
    verify,
)

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def nssdb(pki, tmp_path_factory):
    directory = tmp_path_factory.mktemp("nss")
    subprocess.run(["certutil", "-N", "--empty-password", "-d", f"sql:{directory}"], check=True,
                   capture_output=True)
    subprocess.run(["certutil", "-A", "-n", "root", "-t", "CT,C,C", "-i", str(pki.write_pem("root")),
                    "-d", f"sql:{directory}"], check=True, capture_output=True)
    return f"sql:{directory}"


def pdfsig(nssdb: str, data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdfsig", "-nssdir", nssdb, str(path)], capture_output=True, text=True,
                          timeout=60).stdout


@pytest.fixture(scope="module")
def ours(pki, sample_pdf):
    key, services = pki.signing_key("signer"), pki.services()
    stamp = Stamp(lines=("Документ підписано електронним підписом", "Іваненко Олена Петрівна"), qr_url="https://x/v")
    signed = {str(level): pades_sign(sample_pdf, key=key, level=level, services=services, stamp=stamp)
              for level in SignatureLevel}
    signed["two"] = pades_sign(signed["B-LT"], key=pki.signing_key("seal"), level=SignatureLevel.B_LT,
                               services=services, stamp=stamp)
    return signed


@pytest.mark.parametrize("variant", ["B-B", "B-T", "B-LT", "two"])
def test_pdfsig_accepts_our_pades(nssdb, ours, variant, tmp_path):
    out = pdfsig(nssdb, ours[variant], tmp_path)
    expected = 2 if variant == "two" else 1
    assert out.count("Signature is Valid.") == expected, out
    assert out.count("Certificate is Trusted.") == expected, out
    assert out.count("ETSI.CAdES.detached") == expected


def _flip_in_signed_range(data: bytes) -> bytes:
    """Flip one byte of the page content (inside the first signature's signed range)."""
    tampered = bytearray(data)
    position = data.index(b"stream", 200) + 20
    tampered[position] ^= 0x20
    return bytes(tampered)


def test_one_flipped_byte_fails_in_pdfsig_and_in_ours(pki, nssdb, ours, tmp_path):
    tampered = _flip_in_signed_range(ours["B-T"])
    out = pdfsig(nssdb, tampered, tmp_path)
    assert "Signature is Valid." not in out
    assert "Digest Mismatch" in out or "Signature is Invalid" in out, out
    report = verify(tampered, services=pki.services())
    assert report.status == ReportStatus.INVALID
    assert any("Цілісність порушено" in p for p in report.signatures[0].problems)


@pytest.fixture(scope="module")
def files(pki, tmp_path_factory):
    directory = tmp_path_factory.mktemp("cms")
    data = directory / "data.bin"
    data.write_bytes("Протокол засідання виконкому №12\n".encode() * 50)
    return {"dir": directory, "data": data, "root": pki.write_pem("root"), "interm": pki.write_pem("interm")}


@pytest.mark.parametrize("level", [SignatureLevel.B_B, SignatureLevel.B_T])
def test_openssl_verifies_our_p7s(pki, files, level):
    p7s = files["dir"] / f"ours-{level}.p7s"
    p7s.write_bytes(cades_sign_detached(files["data"].read_bytes(), key=pki.signing_key("signer"),
                                        services=pki.services(), level=level))
    out = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(p7s), "-content",
                          str(files["data"]), "-CAfile", str(files["root"]), "-purpose", "any", "-out", "/dev/null"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "Verification successful" in out.stderr, out.stderr
    report = verify(p7s.read_bytes(), content=files["data"].read_bytes(), services=pki.services())
    assert report.kind == "cades" and report.status == ReportStatus.VALID, report.as_dict()
    assert report.signatures[0].level == f"CAdES-{level}"


@pytest.mark.parametrize("outform", ["DER", "PEM"])
def test_we_verify_openssl_signatures(pki, files, outform):
    p7s = files["dir"] / f"openssl.{outform}"
    subprocess.run(["openssl", "cms", "-sign", "-binary", "-outform", outform, "-in", str(files["data"]),
                    "-signer", str(pki.write_pem("seal")), "-inkey", str(pki.write_key_pem("seal")),
                    "-certfile", str(files["interm"]), "-out", str(p7s)], check=True, capture_output=True)
    content = files["data"].read_bytes()
    report = verify(p7s.read_bytes(), content=content, services=pki.services())
    assert report.status == ReportStatus.VALID, report.as_dict()
    assert report.signatures[0].signer_name == "Печатка виконавчого комітету"
    tampered = verify(p7s.read_bytes(), content=content[:-1] + b"!", services=pki.services())
    assert tampered.status == ReportStatus.INVALID
    assert any("Цілісність порушено" in p for p in tampered.signatures[0].problems)
    missing = verify(p7s.read_bytes(), services=pki.services())
    assert missing.status == ReportStatus.MALFORMED and "підписаний файл" in missing.problems[0]


@pytest.fixture(scope="module")
def foreign(pki, sample_pdf, tmp_path_factory):
    """PDFs signed by pyHanko's stock signing path in another process (one process, two signers)."""
    directory = tmp_path_factory.mktemp("foreign")
    (directory / "in.pdf").write_bytes(sample_pdf)
    arguments = []
    for label in ("signer", "expired"):
        arguments += [str(pki.write_key_pem(label)), str(pki.write_pem(label)), str(pki.write_pem("interm")),
                      str(directory / "in.pdf"), str(directory / f"{label}.pdf")]
    subprocess.run([sys.executable, "-m", "tests.signatures.pki.foreign_sign", *arguments], check=True, cwd=ROOT,
                   capture_output=True, timeout=120)
    return {label: (directory / f"{label}.pdf").read_bytes() for label in ("signer", "expired")}


def test_pdf_signed_by_stock_pyhanko_verifies(pki, foreign):
    report = verify(foreign["signer"], services=pki.services())
    assert report.status == ReportStatus.VALID, report.as_dict()
    assert report.signatures[0].signer_name == "Іваненко Олена Петрівна"
    assert report.signatures[0].level == "adbe.pkcs7.detached (B-B)"


def test_expired_certificate_clear_message(pki, foreign):
    report = verify(foreign["expired"], services=pki.services())
    assert report.status == ReportStatus.INVALID
    sig = report.signatures[0]
    assert not sig.certificate_valid_at_signing
    assert any("прострочено" in p and "01.06.2021" in p for p in sig.problems), sig.problems


def test_revoked_before_signing_is_invalid(pki, sample_pdf):
    signed = pades_sign(sample_pdf, key=pki.signing_key("revoked"), level=SignatureLevel.B_T,
                        services=pki.services())
    report = verify(signed, services=pki.services())
    sig = report.signatures[0]
    assert report.status == ReportStatus.INVALID
    assert sig.revocation == "revoked" and sig.revoked_at is not None and sig.revocation_source == "ocsp"
    assert any("відкликано" in p for p in sig.problems)


def test_revoked_after_the_timestamp_stays_valid_with_a_note(pki, sample_pdf):
    # the «past» TSA answers as of two days ago; the certificate was revoked one day ago
    signed = pades_sign(sample_pdf, key=pki.signing_key("revoked-later"), level=SignatureLevel.B_T,
                        services=pki.services(past=True))
    report = verify(signed, services=pki.services())
    sig = report.signatures[0]
    assert sig.revocation == "revoked" and sig.timestamp_time < sig.revoked_at
    assert report.status == ReportStatus.VALID, report.as_dict()
    assert any("після підписання" in n for n in sig.notes)


def test_revoked_certificate_refused_for_b_lt(pki, sample_pdf):
    from ratusha.signatures.engine import CertificateRevokedError

    with pytest.raises(CertificateRevokedError):
        pades_sign(sample_pdf, key=pki.signing_key("revoked"), level=SignatureLevel.B_LT, services=pki.services())


def test_revoked_intermediate_ca_is_invalid(pki, sample_pdf):
    signed = pades_sign(sample_pdf, key=pki.signing_key("under-revoked-ca"), level=SignatureLevel.B_T,
                        services=pki.services())
    report = verify(signed, services=pki.services())
    sig = report.signatures[0]
    assert sig.revocation == "good"  # the signer's own certificate is fine …
    assert report.status == ReportStatus.INVALID  # … but its CA was revoked before the signature
    assert any("Ratusha Test Revoked CA" in p and "відкликано" in p for p in sig.problems), sig.problems
