"""ASiC-E: structure per ETSI EN 319 162-1, round trip, tampering, unsigned extra files, malformed zips."""

import io
import zipfile

import pytest

from ratusha.signatures.engine import (
    ReportStatus,
    SignatureEngineError,
    asice_build,
    asice_manifest,
    cades_sign_detached,
    verify,
)

FILES = [("рішення.pdf", b"%PDF-1.7 decision"), ("додаток 1.txt", "Додаток".encode())]


@pytest.fixture(scope="module")
def container(pki):
    earlier = cades_sign_detached(asice_manifest(FILES, 1), key=pki.signing_key("signer"), services=pki.services())
    return asice_build(FILES, [earlier], sign_with=[pki.signing_key("seal")], services=pki.services())


def rebuild(data: bytes, *, replace: dict | None = None, add: dict | None = None, compress_mimetype=False) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = (replace or {}).get(info.filename, source.read(info))
            kind = zipfile.ZIP_DEFLATED if (compress_mimetype and info.filename == "mimetype") else info.compress_type
            target.writestr(info.filename, content, compress_type=kind)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def test_structure(container):
    archive = zipfile.ZipFile(io.BytesIO(container))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.etsi.asic-e+zip"
    names = archive.namelist()
    assert {"META-INF/ASiCManifest.xml", "META-INF/signature001.p7s", "META-INF/ASiCManifest002.xml",
            "META-INF/signature002.p7s", "рішення.pdf", "додаток 1.txt"} <= set(names)
    manifest = archive.read("META-INF/ASiCManifest.xml").decode()
    assert 'xmlns:asic="http://uri.etsi.org/02918/v1.2.1#"' in manifest
    assert 'SigReference URI="META-INF/signature001.p7s"' in manifest
    assert manifest.count("<asic:DataObjectReference") == 2 and "xmlenc#sha256" in manifest


def test_round_trip_valid(pki, container):
    report = verify(container, services=pki.services())
    assert report.kind == "asice"
    assert report.status == ReportStatus.VALID, report.as_dict()
    assert sorted(report.files) == sorted(name for name, _ in FILES)
    assert [s.signer_name for s in report.signatures] == ["Іваненко Олена Петрівна", "Печатка виконавчого комітету"]
    import json

    assert json.loads(json.dumps(report.as_dict()))["files"] == report.files


def test_manifest_signature_passes_openssl(pki, container, tmp_path):
    import subprocess

    archive = zipfile.ZipFile(io.BytesIO(container))
    (tmp_path / "m.xml").write_bytes(archive.read("META-INF/ASiCManifest.xml"))
    (tmp_path / "s.p7s").write_bytes(archive.read("META-INF/signature001.p7s"))
    out = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "s.p7s"),
                          "-content", str(tmp_path / "m.xml"), "-CAfile", str(pki.write_pem("root")),
                          "-purpose", "any", "-out", "/dev/null"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_modified_file_inside_is_reported(pki, container):
    report = verify(rebuild(container, replace={"додаток 1.txt": b"changed"}), services=pki.services())
    assert report.status == ReportStatus.INVALID
    assert all(any("«додаток 1.txt» змінено" in p for p in s.problems) for s in report.signatures)


def test_unsigned_extra_file_is_reported(pki, container):
    report = verify(rebuild(container, add={"extra.exe": b"MZ"}), services=pki.services())
    assert report.status == ReportStatus.INVALID
    assert any("«extra.exe»" in p and "не підписаний" in p for p in report.problems)


def test_modified_manifest_breaks_its_signature(pki, container):
    archive = zipfile.ZipFile(io.BytesIO(container))
    manifest = archive.read("META-INF/ASiCManifest.xml").replace(b"text/plain", b"text/html")
    report = verify(rebuild(container, replace={"META-INF/ASiCManifest.xml": manifest}), services=pki.services())
    assert report.status == ReportStatus.INVALID
    assert any("Цілісність порушено" in p for p in report.signatures[0].problems)


def test_malformed_containers(pki, container):
    services = pki.services()
    assert verify(b"PK\x03\x04 broken zip", services=services).status == ReportStatus.MALFORMED
    compressed = verify(rebuild(container, compress_mimetype=True), services=services)
    assert any("mimetype" in p for p in compressed.problems)
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("a.txt", b"x")
    assert verify(plain.getvalue(), services=services).status == ReportStatus.MALFORMED
    unsigned = io.BytesIO()
    with zipfile.ZipFile(unsigned, "w") as archive:
        archive.writestr("mimetype", "application/vnd.etsi.asic-e+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("a.txt", b"x")
    assert verify(unsigned.getvalue(), services=services).status == ReportStatus.UNSIGNED
    evil = rebuild(container, replace={"META-INF/ASiCManifest.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'})
    report = verify(evil, services=services)
    assert report.status == ReportStatus.INVALID
    assert any("Маніфест" in p for p in report.signatures[0].problems)


def test_build_refuses_foreign_signatures_and_bad_names(pki):
    other = cades_sign_detached(b"something else", key=pki.signing_key("signer"), services=pki.services())
    with pytest.raises(SignatureEngineError):
        asice_build(FILES, [other])
    for bad in ("../x", "META-INF/x.xml", "mimetype", "/abs"):
        with pytest.raises(SignatureEngineError):
            asice_build([(bad, b"x")])
    with pytest.raises(SignatureEngineError):
        asice_build([])
