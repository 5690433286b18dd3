import pytest
from asn1crypto import pkcs12 as a_pkcs12
from cryptography.hazmat.primitives import serialization

from ratusha.signatures.engine import InvalidKeyFileError, WrongPassphraseError, pkcs12_encrypt, pkcs12_load


def test_pkcs12_round_trip_keeps_key_certificate_and_chain(pki):
    key = pki.signing_key("signer")
    data = pkcs12_encrypt(key, "таємниця-42")
    loaded = pkcs12_load(data, "таємниця-42")
    assert loaded.certificate == key.certificate
    assert loaded.chain == (pki.cert("interm"),)
    public = lambda k: k.public_key().public_bytes(serialization.Encoding.DER,  # noqa: E731
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    assert public(loaded.private_key) == public(key.private_key)
    assert "PRIVATE" not in repr(loaded)


def test_pkcs12_is_encrypted_with_aes256_pbes2(pki):
    data = pkcs12_encrypt(pki.signing_key("seal"), "пароль")
    pfx = a_pkcs12.Pfx.load(data)
    algorithms = []
    for content_info in pfx.authenticated_safe:
        if content_info["content_type"].native == "encrypted_data":
            algorithms.append(content_info["content"]["encrypted_content_info"]["content_encryption_algorithm"])
        else:
            for bag in a_pkcs12.SafeContents.load(content_info["content"].native):
                if bag["bag_id"].native == "pkcs8_shrouded_key_bag":
                    algorithms.append(bag["bag_value"]["encryption_algorithm"])
    assert algorithms
    for algorithm in algorithms:
        assert algorithm["algorithm"].native == "pbes2"
        assert algorithm["parameters"]["encryption_scheme"]["algorithm"].native == "aes256_cbc"
    assert b"PRIVATE KEY" not in data


def test_wrong_passphrase_and_bad_file_are_told_apart(pki):
    data = pkcs12_encrypt(pki.signing_key("signer"), "правильний")
    with pytest.raises(WrongPassphraseError) as wrong:
        pkcs12_load(data, "неправильний")
    assert "пароль" in wrong.value.message.lower()
    with pytest.raises(InvalidKeyFileError):
        pkcs12_load(b"not a key file at all", "x")
    with pytest.raises(InvalidKeyFileError):
        pkcs12_load(b"", "x")


def test_pkcs12_from_openssl_loads(pki, tmp_path):
    import subprocess

    out = tmp_path / "k.p12"
    subprocess.run(["openssl", "pkcs12", "-export", "-inkey", str(pki.write_key_pem("signer")),
                    "-in", str(pki.write_pem("signer")), "-certfile", str(pki.write_pem("interm")),
                    "-passout", "pass:Ключ123", "-out", str(out)], check=True, capture_output=True)
    loaded = pkcs12_load(out.read_bytes(), "Ключ123")
    assert loaded.certificate == pki.cert("signer")
    assert loaded.chain == (pki.cert("interm"),)


def test_empty_passphrase_is_refused_for_encryption(pki):
    with pytest.raises(WrongPassphraseError) as error:
        pkcs12_encrypt(pki.signing_key("signer"), "")
    assert "порожнім" in error.value.message
