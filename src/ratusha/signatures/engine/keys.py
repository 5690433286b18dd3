"""PKCS#12 key files: load (with the holder's passphrase) and encrypt (AES-256, never unencrypted)."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from .errors import InvalidKeyFileError, WrongPassphraseError
from .types import SigningKey


def pkcs12_load(data: bytes, passphrase: str) -> SigningKey:
    """Open a PKCS#12 file. Raises ``WrongPassphraseError`` or ``InvalidKeyFileError``."""
    if not data:
        raise InvalidKeyFileError()
    try:
        loaded = pkcs12.load_pkcs12(data, passphrase.encode("utf-8") if passphrase else None)
    except ValueError as exc:
        # cryptography says "Invalid password or PKCS12 data" for both; tell them apart by structure
        raise (WrongPassphraseError() if _looks_like_pkcs12(data) else InvalidKeyFileError()) from exc
    except Exception as exc:  # noqa: BLE001 — any parser failure is a bad file for the user
        raise InvalidKeyFileError() from exc
    if loaded.key is None or loaded.cert is None:
        raise InvalidKeyFileError()
    certificate = loaded.cert.certificate
    others = [c.certificate for c in loaded.additional_certs]
    chain = tuple(c for c in _order_chain(certificate, others) if not _is_self_signed(c))
    return SigningKey(private_key=loaded.key, certificate=certificate, chain=chain)


def pkcs12_encrypt(key: SigningKey, passphrase: str) -> bytes:
    """Serialise as PKCS#12 protected by PBES2 / AES-256-CBC with PBKDF2-SHA256 and an HMAC-SHA256 MAC."""
    if not passphrase:
        raise WrongPassphraseError(_empty_passphrase_message())
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(200_000)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(passphrase.encode("utf-8"))
    )
    name = _common_name(key.certificate).encode("utf-8") or None
    return pkcs12.serialize_key_and_certificates(name, key.private_key, key.certificate, list(key.chain) or None,
                                                 encryption)


def _empty_passphrase_message() -> str:
    from django.utils.translation import gettext as _

    return _("Пароль до ключа не може бути порожнім.")


def _looks_like_pkcs12(data: bytes) -> bool:
    from asn1crypto import pkcs12 as a_pkcs12

    try:
        pfx = a_pkcs12.Pfx.load(data)
        pfx.native  # noqa: B018 — forces a full parse
        return True
    except Exception:  # noqa: BLE001
        return False


def _is_self_signed(cert: x509.Certificate) -> bool:
    return cert.issuer == cert.subject


def _order_chain(leaf: x509.Certificate, others: list[x509.Certificate]) -> list[x509.Certificate]:
    """Order the additional certificates from the leaf's issuer upwards; unrelated ones go last."""
    ordered: list[x509.Certificate] = []
    pool = list(others)
    current = leaf
    while True:
        parent = next((c for c in pool if c.subject == current.issuer), None)
        if parent is None:
            break
        ordered.append(parent)
        pool.remove(parent)
        if _is_self_signed(parent):
            break
        current = parent
    return ordered + pool


def _common_name(cert: x509.Certificate) -> str:
    attrs = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else ""
