"""Signatures are the installation's: the administrator of a municipal enterprise governs none of it
(security finding 2). The installation CA, the trust list, seals and every person's key belong to the
signatures administrator (an installation role); a person's key also to its owner and to the
administrator of the organisation the person works in."""

from __future__ import annotations

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ratusha.core.errors import PermissionDeniedError
from ratusha.signatures import services
from ratusha.signatures.models import SigningCredential, TrustedCA
from ratusha.signatures.services._common import is_signatures_admin, may_manage_keys_of
from tests.factories import EmployeeFactory, OrganisationFactory, grant_installation_role
from tests.signatures import helpers
from tests.signatures.helpers import PASSPHRASE, login

_own_blob_dir, own_ca, people = helpers._own_blob_dir, helpers.own_ca, helpers.people  # fixtures

ADMIN = "/office/signatures/admin/"
TRUST = "/office/signatures/admin/trust/"


@pytest.fixture
def enterprise(db):
    return OrganisationFactory(kind="municipal_enterprise", name="КП «Соснівкаводоканал»", short_name="Водоканал")


@pytest.fixture
def enterprise_admin(enterprise):
    return EmployeeFactory(organisation=enterprise, roles=["admin"], user__username="kp-admin").user


@pytest.fixture
def mayor_key(people, own_ca):
    return services.credential_issue(actor=None, user=people.head, passphrase=PASSPHRASE)


def test_an_enterprise_administrator_is_no_signatures_administrator(enterprise, enterprise_admin, people):
    assert not is_signatures_admin(enterprise_admin)
    assert may_manage_keys_of(enterprise_admin, enterprise)
    assert not may_manage_keys_of(enterprise_admin, people.org)
    assert not may_manage_keys_of(enterprise_admin, None)  # no «any organisation» check


def test_enterprise_administrator_is_refused_everywhere(client, enterprise_admin, people, own_ca, mayor_key, pki):
    login(client, enterprise_admin, admin=True)
    assert client.get(ADMIN).status_code == 403
    preview = client.post(TRUST, {"certificate": SimpleUploadedFile("root.pem", pki.pem("root"))})
    assert preview.status_code == 403
    b64 = base64.b64encode(pki.pem("root")).decode()
    confirm = client.post(TRUST, {"certificate_b64": b64, "name": "Саморобний ЦС", "confirm": "1"})
    assert confirm.status_code == 403 and not TrustedCA.objects.exists()
    assert client.post("/office/signatures/admin/ca/", {"name": "x", "organisation_name": "y"}).status_code == 403
    assert client.post("/office/signatures/admin/seals/", {"organisation": people.org.pk, "passphrase": PASSPHRASE,
                                                           "passphrase2": PASSPHRASE}).status_code == 403
    # The mayor's certificate and its revocation: not found for them.
    assert client.get(f"/office/signatures/keys/{mayor_key.pk}/certificate.cer").status_code == 404
    assert client.post(f"/office/signatures/keys/{mayor_key.pk}/revoke/", {"reason": "key_compromise"}).status_code == 404
    mayor_key.refresh_from_db()
    assert mayor_key.status == "active"
    # The services refuse the same person too (not only the pages).
    with pytest.raises(PermissionDeniedError):
        services.trusted_ca_add(actor=enterprise_admin, data=pki.pem("root"), name="Саморобний ЦС")
    with pytest.raises(PermissionDeniedError):
        services.credential_revoke(actor=enterprise_admin, credential=mayor_key, reason="key_compromise")
    with pytest.raises(PermissionDeniedError):
        services.credential_issue(actor=enterprise_admin, user=people.head, passphrase=PASSPHRASE,
                                  passphrase2=PASSPHRASE)
    with pytest.raises(PermissionDeniedError):
        services.seal_issue(actor=enterprise_admin, organisation=people.org, passphrase=PASSPHRASE,
                            passphrase2=PASSPHRASE)
    assert not TrustedCA.objects.exists() and SigningCredential.objects.count() == 1


def test_granted_person_of_the_same_enterprise_may(client, enterprise, people, own_ca, mayor_key, pki):
    keeper = grant_installation_role(EmployeeFactory(organisation=enterprise, roles=["executor"]).user,
                                     "signatures_admin")
    login(client, keeper, admin=True)
    assert client.get(ADMIN).status_code == 200
    preview = client.post(TRUST, {"certificate": SimpleUploadedFile("root.pem", pki.pem("root"))})
    assert preview.status_code == 200
    b64 = preview.context["trust_form"].initial["certificate_b64"]
    added = client.post(TRUST, {"certificate_b64": b64, "name": "Тестовий ЦС", "confirm": "1"})
    assert added.status_code == 302 and TrustedCA.objects.get().name == "Тестовий ЦС"
    cert = client.get(f"/office/signatures/keys/{mayor_key.pk}/certificate.cer")
    assert cert.status_code == 200 and cert.content == bytes(mayor_key.certificate_der)
    revoked = client.post(f"/office/signatures/keys/{mayor_key.pk}/revoke/", {"reason": "key_compromise"})
    assert revoked.status_code == 302
    mayor_key.refresh_from_db()
    assert mayor_key.status == "revoked"


def test_the_organisation_administrator_manages_its_own_peoples_keys(client, people, own_ca, mayor_key, enterprise):
    """The council's administrator (no installation role) may fetch and revoke the council mayor's key — not
    an enterprise person's key, and not the installation's pages."""
    council_admin = EmployeeFactory(organisation=people.org, roles=["admin"]).user
    worker = EmployeeFactory(organisation=enterprise, roles=["executor"]).user
    worker_key = services.credential_issue(actor=None, user=worker, passphrase=PASSPHRASE)
    login(client, council_admin, admin=True)
    assert client.get(ADMIN).status_code == 403
    assert client.get(f"/office/signatures/keys/{mayor_key.pk}/certificate.cer").status_code == 200
    assert client.get(f"/office/signatures/keys/{worker_key.pk}/certificate.cer").status_code == 404
    assert client.post(f"/office/signatures/keys/{mayor_key.pk}/revoke/", {"reason": "superseded"}).status_code == 302
    mayor_key.refresh_from_db()
    assert mayor_key.status == "revoked"


def test_the_owner_still_manages_own_key(client, people, own_ca, mayor_key):
    login(client, people.head)
    assert client.get(f"/office/signatures/keys/{mayor_key.pk}/certificate.cer").status_code == 200
    assert client.post(f"/office/signatures/keys/{mayor_key.pk}/revoke/", {"reason": "superseded"}).status_code == 302
    mayor_key.refresh_from_db()
    assert mayor_key.status == "revoked"
