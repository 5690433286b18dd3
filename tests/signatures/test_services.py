"""Keys and the trust list: import (good / wrong passphrase / expired / revoked / untrusted), issuing from
the installation CA, revocation seen at once by the CRL and OCSP, trust list, access."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509 import ocsp
from django.http import Http404

from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from ratusha.signatures import engine, selectors, services
from ratusha.signatures.constants import CredentialStatus
from ratusha.signatures.models import SigningCredential
from tests.signatures import helpers
from tests.signatures.helpers import PASSPHRASE, ocsp_request, tsa_query

_own_blob_dir, own_ca, people = helpers._own_blob_dir, helpers.own_ca, helpers.people  # fixtures


def p12(pki, label: str, passphrase: str = PASSPHRASE) -> bytes:
    return engine.pkcs12_encrypt(pki.signing_key(label), passphrase)


@pytest.fixture
def trusted(people, pki):
    return services.trusted_ca_add(actor=people.admin, data=pki.pem("root"), name="Тестовий кореневий ЦС")


def test_import_good_key_is_stored_encrypted(people, pki, trusted):
    cred = services.credential_import(actor=people.head, data=p12(pki, "signer"), passphrase=PASSPHRASE)
    assert cred.subject_name == "Іваненко Олена Петрівна"
    assert cred.subject_title == "міський голова"
    assert cred.status == CredentialStatus.ACTIVE and cred.owner == people.head
    key_der = pki.private_key("signer").private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption())
    stored = bytes(cred.pkcs12_encrypted)
    assert key_der not in stored and key_der[-32:] not in stored
    with pytest.raises(engine.WrongPassphraseError):
        engine.pkcs12_load(stored, "wrong")
    assert engine.pkcs12_load(stored, PASSPHRASE).certificate == pki.cert("signer")
    assert AuditEvent.objects.filter(action="signatures.credential_imported", object_id=str(cred.pk)).exists()


def test_import_wrong_passphrase(people, pki, trusted):
    with pytest.raises(ApplicationError) as info:
        services.credential_import(actor=people.head, data=p12(pki, "signer"), passphrase="not-this-one")
    assert info.value.field == "passphrase" and info.value.code == "wrong_passphrase"
    assert not SigningCredential.objects.exists()


def test_import_garbage_file(people, trusted):
    with pytest.raises(ApplicationError) as info:
        services.credential_import(actor=people.head, data=b"%PDF-1.7 not a key", passphrase=PASSPHRASE)
    assert info.value.field == "file"


def test_import_expired(people, pki, trusted):
    with pytest.raises(ApplicationError) as info:
        services.credential_import(actor=people.head, data=p12(pki, "expired"), passphrase=PASSPHRASE)
    assert info.value.code == "certificate_expired"


def test_import_revoked(people, pki, trusted):
    with pytest.raises(ApplicationError) as info:
        services.credential_import(actor=people.head, data=p12(pki, "revoked"), passphrase=PASSPHRASE)
    assert info.value.code == "certificate_revoked"


def test_import_untrusted(people, pki):
    with pytest.raises(ApplicationError) as info:
        services.credential_import(actor=people.head, data=p12(pki, "signer"), passphrase=PASSPHRASE)
    assert info.value.code == "untrusted"


def test_import_duplicate(people, pki, trusted):
    services.credential_import(actor=people.head, data=p12(pki, "signer"), passphrase=PASSPHRASE)
    with pytest.raises(ApplicationError) as info:
        services.credential_import(actor=people.head, data=p12(pki, "signer"), passphrase=PASSPHRASE)
    assert info.value.code == "duplicate"


def test_issue_from_installation_ca(people, own_ca, settings):
    cred = services.credential_issue(actor=people.head, passphrase=PASSPHRASE, passphrase2=PASSPHRASE)
    cert = x509.load_der_x509_certificate(bytes(cred.certificate_der))
    ca_cert = x509.load_der_x509_certificate(bytes(own_ca.certificate_der))
    assert cert.issuer == ca_cert.subject
    assert cred.subject_name == "Ткачук Марія Андріївна" and cred.subject_title == "Міський голова"
    aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    assert f"{settings.BASE_URL}/pki/ocsp/{own_ca.pk}" in [d.access_location.value for d in aia]
    crl_dp = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert f"{settings.BASE_URL}/pki/{own_ca.pk}.crl" in [n.value for dp in crl_dp for n in dp.full_name]
    key = services.credential_unlock(credential=cred, passphrase=PASSPHRASE)
    assert key.certificate == cert
    with pytest.raises(ApplicationError) as info:
        services.credential_unlock(credential=cred, passphrase="wrong passphrase")
    assert info.value.field == "passphrase"


@pytest.mark.parametrize(("first", "second", "field"), [("short", "short", "passphrase"),
                                                          ("long-enough-1", "long-enough-2", "passphrase2")])
def test_issue_bad_passphrase(people, own_ca, first, second, field):
    with pytest.raises(ApplicationError) as info:
        services.credential_issue(actor=people.head, passphrase=first, passphrase2=second)
    assert info.value.field == field
    assert not SigningCredential.objects.exists()


def test_issue_without_ca(people):
    with pytest.raises(ApplicationError) as info:
        services.credential_issue(actor=people.head, passphrase=PASSPHRASE, passphrase2=PASSPHRASE)
    assert info.value.code == "no_ca"


def test_ca_created_once_and_by_admin_only(people, own_ca):
    with pytest.raises(ApplicationError) as info:
        services.installation_ca_create(actor=people.admin, name="Другий", organisation_name="МР")
    assert info.value.code == "ca_exists"
    with pytest.raises(PermissionDeniedError):
        services.installation_ca_create(actor=people.head, name="Третій", organisation_name="МР")
    assert bytes(own_ca.key_encrypted).startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")


def test_revoke_shows_in_crl_and_ocsp_at_once(people, own_ca, client):
    cred = services.credential_issue(actor=people.head, passphrase=PASSPHRASE, passphrase2=PASSPHRASE)
    cert = x509.load_der_x509_certificate(bytes(cred.certificate_der))
    ca_cert = x509.load_der_x509_certificate(bytes(own_ca.certificate_der))

    def ocsp_status():
        response = client.post(f"/pki/ocsp/{own_ca.pk}", data=ocsp_request(cert, ca_cert),
                               content_type="application/ocsp-request")
        assert response.status_code == 200 and response["Content-Type"] == "application/ocsp-response"
        return ocsp.load_der_ocsp_response(response.content).certificate_status

    def crl_serials():
        response = client.get(f"/pki/{own_ca.pk}.crl")
        assert response.status_code == 200
        crl = x509.load_der_x509_crl(response.content)
        assert crl.is_signature_valid(ca_cert.public_key())
        return {r.serial_number for r in crl}

    assert ocsp_status() == ocsp.OCSPCertStatus.GOOD
    assert cert.serial_number not in crl_serials()
    with pytest.raises(PermissionDeniedError):
        services.credential_revoke(actor=people.other, credential=cred, reason="key_compromise")
    services.credential_revoke(actor=people.admin, credential=cred, reason="key_compromise", comment="втрачено")
    assert ocsp_status() == ocsp.OCSPCertStatus.REVOKED
    assert cert.serial_number in crl_serials()
    cred.refresh_from_db()
    assert cred.status == CredentialStatus.REVOKED and cred.revoked_at is not None
    with pytest.raises(ApplicationError):
        services.credential_unlock(credential=cred, passphrase=PASSPHRASE)
    with pytest.raises(ApplicationError):  # revoked is final
        services.credential_revoke(actor=people.admin, credential=cred, reason="other")


def test_pki_endpoints_refuse_bad_input(own_ca, client):
    junk = client.post(f"/pki/ocsp/{own_ca.pk}", data=b"junk", content_type="application/ocsp-request")
    assert junk.status_code == 200  # RFC 6960 §2.3: an OCSPResponse with the status malformedRequest
    assert ocsp.load_der_ocsp_response(junk.content).response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    assert client.post(f"/pki/ocsp/{own_ca.pk}", data=b"junk", content_type="text/plain").status_code == 415
    from asn1crypto import tsp

    refused = client.post("/pki/tsa", data=b"junk", content_type="application/timestamp-query")
    from asn1crypto.core import Sequence

    status = tsp.PKIStatusInfo.load(Sequence.load(refused.content)[0].dump())
    assert status["status"].native == "rejection"
    assert client.get("/pki/00000000-0000-0000-0000-000000000000.crl").status_code == 404
    assert client.get("/pki/tsa").status_code == 405


def test_tsa_answers(own_ca, client):
    from asn1crypto import tsp

    response = client.post("/pki/tsa", data=tsa_query(b"document"), content_type="application/timestamp-query")
    assert response.status_code == 200
    reply = tsp.TimeStampResp.load(response.content)
    assert reply["status"]["status"].native == "granted"


def test_trust_list(people, pki):
    with pytest.raises(PermissionDeniedError):
        services.trusted_ca_add(actor=people.head, data=pki.pem("root"))
    with pytest.raises(ApplicationError) as info:
        services.trusted_ca_add(actor=people.admin, data=pki.pem("signer"))
    assert info.value.code == "not_ca"
    with pytest.raises(ApplicationError) as info:
        services.trusted_ca_add(actor=people.admin, data=b"not a certificate")
    assert info.value.code == "invalid_certificate"
    trusted = services.trusted_ca_add(actor=people.admin, data=pki.pem("root"))
    assert pki.root in selectors.trust_roots()
    services.trusted_ca_remove(actor=people.admin, trusted=trusted)
    assert pki.root not in selectors.trust_roots()
    again = services.trusted_ca_add(actor=people.admin, data=pki.cert("root").public_bytes(serialization.Encoding.DER))
    assert again.pk == trusted.pk and again.is_active


def test_trust_roots_include_installation_ca(own_ca):
    roots = selectors.trust_roots()
    assert x509.load_der_x509_certificate(bytes(own_ca.certificate_der)) in roots


def test_seal_and_access(people, own_ca):
    seal = services.seal_issue(actor=people.admin, organisation=people.org, passphrase=PASSPHRASE,
                               passphrase2=PASSPHRASE, seal_users=[people.clerk])
    assert list(selectors.usable_seals(user=people.clerk)) == [seal]
    assert list(selectors.usable_seals(user=people.other)) == []
    with pytest.raises(PermissionDeniedError):
        services.seal_issue(actor=people.head, organisation=people.org, passphrase=PASSPHRASE,
                            passphrase2=PASSPHRASE)
    own = services.credential_issue(actor=people.head, passphrase=PASSPHRASE, passphrase2=PASSPHRASE)
    assert selectors.credential_get(user=people.head, pk=own.pk) == own
    assert selectors.credential_get(user=people.admin, pk=own.pk) == own
    with pytest.raises(Http404):
        selectors.credential_get(user=people.other, pk=own.pk)
    with pytest.raises(PermissionDeniedError):
        selectors.admin_credentials(user=people.head)


def test_expire_sweep(people, own_ca):
    import datetime as dt

    from django.utils import timezone

    cred = services.credential_issue(actor=people.head, passphrase=PASSPHRASE, passphrase2=PASSPHRASE)
    assert services.credentials_expire(now=timezone.now()) == 0
    assert services.credentials_expire(now=cred.not_after + dt.timedelta(seconds=1)) == 1
    cred.refresh_from_db()
    assert cred.status == CredentialStatus.EXPIRED
