"""Conversions between ``cryptography`` and ``asn1crypto`` objects, names, and time helpers."""

from __future__ import annotations

from datetime import UTC, datetime

from asn1crypto import keys as a_keys
from asn1crypto import x509 as a_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID


def to_asn1_cert(cert: x509.Certificate) -> a_x509.Certificate:
    return a_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def to_crypto_cert(cert: a_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(cert.dump())


def to_asn1_key(private_key) -> a_keys.PrivateKeyInfo:
    der = private_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    return a_keys.PrivateKeyInfo.load(der)


def name_attr(name: x509.Name, oid) -> str | None:
    attrs = name.get_attributes_for_oid(oid)
    return str(attrs[0].value) if attrs else None


def display_name(name: x509.Name) -> str:
    return name_attr(name, NameOID.COMMON_NAME) or name.rfc4514_string()


def serial_hex(cert: x509.Certificate) -> str:
    return format(cert.serial_number, "X")


def now() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def valid_at(cert: x509.Certificate, moment: datetime) -> bool:
    return cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc
