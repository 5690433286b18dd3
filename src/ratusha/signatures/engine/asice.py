"""ASiC-E containers (ETSI EN 319 162-1) with CAdES: ``mimetype`` first and STORED, the files, and for each
signature ``META-INF/ASiCManifestNNN.xml`` (digests of every file) + ``META-INF/signatureNNN.p7s``
(a detached CAdES signature over that manifest)."""

from __future__ import annotations

import base64
import hashlib
import io
import posixpath
import zipfile
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from django.utils.translation import gettext as _

from ratusha.core.safezip import UnsafeArchive, ZipLimits, default_limits, zip_open, zip_read

from .cades import cades_sign_detached, load_signed_data, verify_signer
from .errors import SignatureEngineError
from .pdf_verify import overall_status
from .types import ReportStatus, Services, SignatureLevel, SignatureReport, SigningKey, VerificationReport

MIMETYPE = "application/vnd.etsi.asic-e+zip"
ASIC_NS = "http://uri.etsi.org/02918/v1.2.1#"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
DIGESTS = {"http://www.w3.org/2001/04/xmlenc#sha256": "sha256", "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
           "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384"}
SHA256_URI = "http://www.w3.org/2001/04/xmlenc#sha256"
MAX_ENTRIES = 1000
MAX_TOTAL_SIZE = 200 * 1024 * 1024
MIME_BY_EXT = {".pdf": "application/pdf", ".xml": "application/xml", ".txt": "text/plain",
               ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               ".p7s": "application/pkcs7-signature", ".json": "application/json", ".png": "image/png",
               ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".odt": "application/vnd.oasis.opendocument.text"}


def signature_name(index: int) -> str:
    return f"META-INF/signature{index:03d}.p7s"


def manifest_name(index: int) -> str:
    return "META-INF/ASiCManifest.xml" if index == 1 else f"META-INF/ASiCManifest{index:03d}.xml"


def _check_name(name: str) -> str:
    clean = posixpath.normpath(name.replace("\\", "/"))
    if (not name or clean.startswith(("/", "../")) or clean in (".", "..", "mimetype")
            or clean.upper().startswith("META-INF/")):
        raise SignatureEngineError(_("Неприпустима назва файлу в контейнері: «%(name)s».") % {"name": name})
    return clean


def asice_manifest(files: Sequence[tuple[str, bytes]], index: int = 1) -> bytes:
    """The manifest that signature number ``index`` signs (deterministic: the same files give the same
    bytes, so signers can sign it one after another and ``asice_build`` puts it together)."""
    ET.register_namespace("asic", ASIC_NS)
    ET.register_namespace("ds", DS_NS)
    root = ET.Element(f"{{{ASIC_NS}}}ASiCManifest")
    ET.SubElement(root, f"{{{ASIC_NS}}}SigReference",
                  {"URI": signature_name(index), "MimeType": "application/x-pkcs7-signature"})
    for name, data in files:
        name = _check_name(name)
        ref = ET.SubElement(root, f"{{{ASIC_NS}}}DataObjectReference",
                            {"URI": name, "MimeType": MIME_BY_EXT.get(posixpath.splitext(name)[1].lower(),
                                                                      "application/octet-stream")})
        ET.SubElement(ref, f"{{{DS_NS}}}DigestMethod", {"Algorithm": SHA256_URI})
        ET.SubElement(ref, f"{{{DS_NS}}}DigestValue").text = base64.b64encode(hashlib.sha256(data).digest()).decode()
    return b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + ET.tostring(root, encoding="utf-8",
                                                                                   xml_declaration=False)


def asice_build(files: Sequence[tuple[str, bytes]], signatures: Sequence[bytes] = (),
                *, sign_with: Sequence[SigningKey] = (), services: Services | None = None,
                level: SignatureLevel = SignatureLevel.B_B) -> bytes:
    """Build the container. ``signatures`` are CAdES signatures made earlier over ``asice_manifest(files, i)``
    (i = 1, 2, … in order); ``sign_with`` adds more signatures now (numbered after them)."""
    if not files:
        raise SignatureEngineError(_("Контейнер ASiC-E має містити хоча б один файл."))
    names = [_check_name(name) for name, _data in files]
    if len(set(names)) != len(names):
        raise SignatureEngineError(_("Назви файлів у контейнері повторюються."))
    entries: list[tuple[str, bytes]] = []
    index = 0
    for index, signature in enumerate(signatures, start=1):
        manifest = asice_manifest(files, index)
        if not _signs(signature, manifest):
            raise SignatureEngineError(_("Підпис №%(n)s створено не для цього набору файлів.") % {"n": index})
        entries += [(manifest_name(index), manifest), (signature_name(index), signature)]
    for offset, key in enumerate(sign_with, start=index + 1):
        manifest = asice_manifest(files, offset)
        signature = cades_sign_detached(manifest, key=key, services=services or Services(), level=level)
        entries += [(manifest_name(offset), manifest), (signature_name(offset), signature)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", date_time=(2020, 1, 1, 0, 0, 0)), MIMETYPE,
                         compress_type=zipfile.ZIP_STORED)
        for name, data in [(n, d) for n, (_o, d) in zip(names, files, strict=True)] + entries:
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _signs(signature: bytes, manifest: bytes) -> bool:
    signed = load_signed_data(signature)
    if signed is None:
        return False
    digest_ok = False
    for info in signed["signer_infos"]:
        for attr in info["signed_attrs"]:
            if attr["type"].native == "message_digest":
                algorithm = info["digest_algorithm"]["algorithm"].native
                digest_ok |= attr["values"][0].native == hashlib.new(algorithm, manifest).digest()
    return digest_ok


# --- verification --------------------------------------------------------------------------------

def _malformed(message: str) -> VerificationReport:
    return VerificationReport(kind="asice", status=ReportStatus.MALFORMED, problems=[message])


def verify_asice(data: bytes, services: Services) -> VerificationReport:
    # A zip bomb is refused before anything is unpacked (core.safezip), each entry read with a bound.
    limits = ZipLimits(max_entries=MAX_ENTRIES, max_total=MAX_TOTAL_SIZE, max_ratio=default_limits().max_ratio)
    try:
        archive = zip_open(data, limits)
        infos = archive.infolist()
    except UnsafeArchive:
        return _malformed(_("Контейнер завеликий для перевірки."))
    except (zipfile.BadZipFile, ValueError, OSError):
        return _malformed(_("Контейнер пошкоджений: це не коректний ZIP-архів."))
    if not infos or infos[0].filename != "mimetype":
        return _malformed(_("Це не контейнер ASiC-E: першим у архіві має бути файл mimetype."))
    try:
        contents = {i.filename: zip_read(archive, i, limit=MAX_TOTAL_SIZE) for i in infos if not i.is_dir()}
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, EOFError):
        return _malformed(_("Контейнер пошкоджений: файли в архіві неможливо прочитати."))
    problems: list[str] = []
    if contents["mimetype"].strip() != MIMETYPE.encode():
        return _malformed(_("Тип контейнера «%(type)s» не підтримується (очікується ASiC-E).")
                          % {"type": contents["mimetype"][:80].decode("utf-8", "replace")})
    if infos[0].compress_type != zipfile.ZIP_STORED:
        problems.append(_("Файл mimetype стиснуто, а за стандартом ASiC він має зберігатися без стиснення."))
    data_files = sorted(n for n in contents if n != "mimetype" and not n.upper().startswith("META-INF/"))
    manifests = sorted(n for n in contents if n.startswith("META-INF/ASiCManifest") and n.endswith(".xml"))
    if not manifests:
        return VerificationReport(kind="asice", status=ReportStatus.UNSIGNED, files=data_files,
                                  problems=[_("Контейнер не містить підписів (немає маніфесту ASiC).")])
    reports: list[SignatureReport] = []
    covered: set[str] = set()
    for manifest in manifests:
        report = _verify_manifest(manifest, contents, services, covered)
        reports.append(report)
    unsigned = [name for name in data_files if name not in covered]
    for name in unsigned:
        problems.append(_("Файл «%(name)s» у контейнері не підписаний (доданий поза підписом).") % {"name": name})
    status = overall_status(reports)
    if unsigned and status == ReportStatus.VALID:
        status = ReportStatus.INVALID
    return VerificationReport(kind="asice", status=status, signatures=reports,
                              files=sorted(covered), problems=problems)


def _verify_manifest(manifest_path: str, contents: dict[str, bytes], services: Services,
                     covered: set[str]) -> SignatureReport:
    manifest = contents[manifest_path]
    try:
        if b"<!DOCTYPE" in manifest or b"<!ENTITY" in manifest:
            raise ValueError("DTD")
        root = ET.fromstring(manifest)  # noqa: S314 — DTDs/entities refused above; expat has no external fetch
        if root.tag != f"{{{ASIC_NS}}}ASiCManifest":
            raise ValueError("root")
        sig_ref = root.find(f"{{{ASIC_NS}}}SigReference")
        signature_path = sig_ref.get("URI") if sig_ref is not None else None
        references = [(ref.get("URI") or "", ref.find(f"{{{DS_NS}}}DigestMethod"),
                       ref.find(f"{{{DS_NS}}}DigestValue")) for ref in root.findall(f"{{{ASIC_NS}}}DataObjectReference")]
    except (ET.ParseError, ValueError):
        return _broken(_("Маніфест %(name)s пошкоджений.") % {"name": manifest_path})
    if not signature_path or signature_path not in contents:
        return _broken(_("Маніфест %(name)s посилається на підпис, якого немає в контейнері.")
                       % {"name": manifest_path})
    signed = load_signed_data(contents[signature_path])
    if signed is None or not list(signed["signer_infos"]):
        return _broken(_("Підпис %(name)s пошкоджений.") % {"name": signature_path})
    reports = [verify_signer(signed, info, manifest, services) for info in signed["signer_infos"]]
    report = reports[0]
    for other in reports[1:]:
        report.problems += other.problems
        if other.status != ReportStatus.VALID:
            report.status = other.status
    for uri, method, value in references:
        algorithm = DIGESTS.get(method.get("Algorithm") if method is not None else "")
        if uri not in contents:
            report.problems.append(_("Підписаного файлу «%(name)s» немає в контейнері.") % {"name": uri})
            report.status = ReportStatus.INVALID
            continue
        covered.add(uri)
        expected = base64.b64decode((value.text or "").strip()) if value is not None else b""
        if algorithm is None or hashlib.new(algorithm, contents[uri]).digest() != expected:
            report.problems.append(_("Файл «%(name)s» змінено після підписання (геш не збігається).")
                                   % {"name": uri})
            report.status = ReportStatus.INVALID
            report.integrity_ok = False
    report.level = (report.level or "").replace("CAdES", "ASiC-E CAdES") or None
    return report


def _broken(message: str) -> SignatureReport:
    report = SignatureReport(status=ReportStatus.INVALID)
    report.problems.append(message)
    return report

