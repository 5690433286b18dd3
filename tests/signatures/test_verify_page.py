"""/verify/: uploads (signed PDF, .p7s with its content, .asice) and every bad input — never a 500, never
"valid" for an invalid file; the code lookup; upload limits; rate limiting; nothing stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ratusha.core.models import Blob
from ratusha.signatures import engine, services
from tests.ratelimits import rate_limits_clear
from tests.signatures import helpers
from tests.signatures.helpers import flip_byte

_own_blob_dir, people = helpers._own_blob_dir, helpers.people  # fixtures

VALID, INVALID, UNKNOWN, UNSIGNED = "Підпис дійсний", "Підпис недійсний", "Не вдалося перевірити", "Файл не підписано"


@pytest.fixture(scope="module")
def signed(pki, sample_pdf):
    """A PAdES B-T PDF, a .p7s of a letter and an ASiC-E, all signed by the test PKI's signer."""
    key = pki.signing_key("signer")
    pdf = engine.pades_sign(sample_pdf, key=key, level=engine.SignatureLevel.B_T, services=pki.services())
    letter = "Лист про благоустрій".encode()
    p7s = engine.cades_sign_detached(letter, key=key, services=pki.services(), level=engine.SignatureLevel.B_T)
    asice = engine.asice_build([("лист.txt", letter), ("рішення.pdf", sample_pdf)], sign_with=[key],
                               services=pki.services(), level=engine.SignatureLevel.B_T)
    return {"pdf": pdf, "letter": letter, "p7s": p7s, "asice": asice}


@pytest.fixture
def trusted(people, pki):
    return services.trusted_ca_add(actor=people.admin, data=pki.pem("root"))


def upload(client, name: str, data: bytes, content: tuple[str, bytes] | None = None, **extra):
    payload = {"file": SimpleUploadedFile(name, data)}
    if content is not None:
        payload["content"] = SimpleUploadedFile(*content)
    return client.post("/verify/", payload, **extra)


def text(response) -> str:
    return response.content.decode()


def test_form(client, db):
    response = client.get("/verify/")
    assert response.status_code == 200
    assert "Перевірка електронного підпису" in text(response) and 'name="code"' in text(response)


def test_valid_pdf(client, trusted, signed):
    blobs = Blob.objects.count()
    response = upload(client, "рішення.pdf", signed["pdf"])
    assert response.status_code == 200
    body = text(response)
    assert VALID in body and "Іваненко Олена Петрівна" in body and "міський голова" in body
    assert Blob.objects.count() == blobs  # nothing stored from uploads


def test_untrusted_pdf_is_not_valid(client, db, signed):
    body = text(upload(client, "рішення.pdf", signed["pdf"]))
    assert VALID not in body and ("не веде до довіреного" in body or UNKNOWN in body or INVALID in body)


def test_tampered_pdf(client, trusted, signed):
    body = text(upload(client, "рішення.pdf", flip_byte(signed["pdf"], b"/Producer (")))
    assert INVALID in body and VALID not in body


def test_unsigned_pdf(client, db, sample_pdf):
    body = text(upload(client, "рішення.pdf", sample_pdf))
    assert UNSIGNED in body and VALID not in body


@pytest.mark.parametrize("data", [b"hello, not a signature", b"%PDF-1.7\n%%%% broken", b"PK\x03\x04broken zip",
                                  b"\x30\x82\x01\x00garbage-der", b"-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----"])
def test_malformed(client, db, data):
    response = upload(client, "file.bin", data)
    assert response.status_code == 200
    body = text(response)
    assert VALID not in body and (UNKNOWN in body or INVALID in body or UNSIGNED in body)


def test_p7s_with_its_content(client, trusted, signed):
    body = text(upload(client, "лист.txt.p7s", signed["p7s"], content=("лист.txt", signed["letter"])))
    assert VALID in body and "Іваненко Олена Петрівна" in body


def test_p7s_with_wrong_content(client, trusted, signed):
    body = text(upload(client, "лист.txt.p7s", signed["p7s"], content=("лист.txt", b"other text")))
    assert VALID not in body and INVALID in body


def test_p7s_without_content(client, trusted, signed):
    body = text(upload(client, "лист.txt.p7s", signed["p7s"]))
    assert VALID not in body


def test_asice(client, trusted, signed):
    body = text(upload(client, "пакет.asice", signed["asice"]))
    assert VALID in body and "рішення.pdf" in body


def test_too_big(client, db, settings):
    settings.SIGNATURES_VERIFY_MAX_MB = 1
    response = upload(client, "big.pdf", b"%PDF" + b"0" * (1024 * 1024))
    assert response.status_code == 400 and "завеликий" in text(response)


def test_no_file(client, db):
    response = client.post("/verify/", {})
    assert response.status_code == 400 and "Оберіть файл" in text(response)


def test_engine_failure_is_not_a_500(client, db, monkeypatch, signed):
    def boom(*args, **kwargs):
        raise RuntimeError("engine bug")

    monkeypatch.setattr(engine, "verify", boom)
    response = upload(client, "рішення.pdf", signed["pdf"])
    assert response.status_code == 200 and UNKNOWN in text(response) and VALID not in text(response)


@pytest.mark.parametrize(("code", "status"), [("abc", 400), ("OOOOO-IIIII", 400), ("ABCDE-23456", 404)])
def test_bad_or_unknown_code(client, db, code, status):
    response = client.get("/verify/", {"code": code})
    assert response.status_code == status
    assert VALID not in text(response)


def test_rate_limited(client, db, settings, sample_pdf):
    rate_limits_clear()
    settings.SIGNATURES_VERIFY_LIMIT = 2
    assert upload(client, "a.pdf", sample_pdf).status_code == 200
    assert client.get("/verify/", {"code": "ABCDE-23456"}).status_code == 404
    limited = upload(client, "a.pdf", sample_pdf)
    assert limited.status_code == 429 and limited["Retry-After"]
    assert "Забагато перевірок" in text(limited)
