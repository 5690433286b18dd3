"""Shared pieces of the Django-side signature tests: people, the installation CA, pdfsig with an NSS db."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from tests.factories import (
    EmployeeFactory,
    JournalFactory,
    OrganisationFactory,
    PositionFactory,
    grant_installation_role,
)

PASSPHRASE = "correct-key-passphrase"


@dataclass
class People:
    org: Any
    admin: Any
    head: Any
    clerk: Any
    other: Any
    journal: Any


def make_people() -> People:
    org = OrganisationFactory(name="Зеленодольська міська рада", short_name="Зеленодольська МР")
    position = PositionFactory(organisation=org, title="Міський голова", is_head=True)
    admin = grant_installation_role(
        EmployeeFactory(organisation=org, roles=["admin"], user__username="sigadmin").user, "signatures_admin")
    head = EmployeeFactory(organisation=org, position=position, roles=["head"], user__username="sighead",
                           user__first_name="Марія", user__last_name="Ткачук", user__middle_name="Андріївна").user
    clerk = EmployeeFactory(organisation=org, roles=["registrar"], user__username="sigclerk").user
    other = EmployeeFactory(organisation=org, roles=["executor"], user__username="sigother").user
    journal = JournalFactory(organisation=org, kind="outgoing", name="Вихідна кореспонденція",
                             index_template="{case}/{seq}", default_case_index="05-12")
    return People(org=org, admin=admin, head=head, clerk=clerk, other=other, journal=journal)


@pytest.fixture
def people(db) -> People:
    return make_people()


@pytest.fixture
def own_ca(people):
    from ratusha.signatures.services import installation_ca_create

    return installation_ca_create(actor=people.admin, name="Зеленодольськ ЦС", organisation_name="Зеленодольська МР")


@pytest.fixture(autouse=True)
def _own_blob_dir(settings, tmp_path):
    settings.BLOB_DIR = tmp_path / "blobs"


def nss_db(tmp: Path, *certs: Any) -> str:
    """An NSS database trusting ``certs`` (cryptography certificates) for pdfsig."""
    db = tmp / "nss"
    db.mkdir(exist_ok=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"], check=True, capture_output=True)
    for n, cert in enumerate(certs):
        pem = tmp / f"trust{n}.pem"
        pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        subprocess.run(["certutil", "-A", "-d", f"sql:{db}", "-n", f"ca{n}", "-t", "CT,C,C", "-i", str(pem)],
                       check=True, capture_output=True)
    return f"sql:{db}"


def pdfsig(path: Path, nssdir: str) -> str:
    result = subprocess.run(["pdfsig", "-nssdir", nssdir, str(path)], capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


def ocsp_request(cert: Any, issuer: Any) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509 import ocsp

    sha1 = hashes.SHA1()  # noqa: S303 - the usual OCSP CertID hash (RFC 6960)
    return ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, sha1).build().public_bytes(serialization.Encoding.DER)


def tsa_query(data: bytes) -> bytes:
    import hashlib

    from asn1crypto import algos, tsp

    return tsp.TimeStampReq({
        "version": 1,
        "message_imprint": {"hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                            "hashed_message": hashlib.sha256(data).digest()},
        "cert_req": True}).dump()


def login(client: Any, user: Any, *, admin: bool = False) -> Any:
    """Signed in; administrators also pass their second factor (a confirmed TOTP device in the session)."""
    client.force_login(user)
    if admin:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="Телефон", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def make_pdf(text: str = "Проєкт листа") -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def flip_byte(data: bytes, marker: bytes) -> bytes:
    """``data`` with one byte changed inside the first occurrence of ``marker`` (signed content)."""
    at = data.index(marker) + len(marker) - 1
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]
