"""Targeted lockout: a stranger guessing a known person's password cannot keep that person out."""

import html

import pytest
from django.test import Client

from ratusha.core.models import AuditEvent, KnownLoginAddress, LoginFailure
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.7"
MAYORS_PC = "192.0.2.10"


@pytest.fixture
def client_factory():
    return Client


@pytest.fixture
def mayor(org):
    return EmployeeFactory(organisation=org, roles=["head"]).user


def login(client, username, password=PASSWORD, ip=ATTACKER):
    return client.post("/office/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_attacker_locks_only_his_own_address(client_factory, mayor, settings):
    assert settings.LOGIN_MAX_FAILURES == 5
    attacker = client_factory()
    for _ in range(7):
        login(attacker, mayor.username, "guess")
    assert LoginFailure.objects.filter(username=mayor.username, ip=ATTACKER).count() == 5  # then refused
    assert AuditEvent.objects.filter(action="auth.login_failed", params__ip=ATTACKER).count() == 5
    assert AuditEvent.objects.filter(action="auth.locked", params__ip=ATTACKER).exists()

    signed_in = login(client_factory(), mayor.username, ip=MAYORS_PC)
    assert signed_in.status_code == 302 and signed_in["Location"] == "/office/"
    assert AuditEvent.objects.filter(action="auth.login", actor=mayor, params__ip=MAYORS_PC).exists()

    # The mayor's sign-in does not reset the attacker's count: the attacker stays refused,
    # even with the right password.
    refused = login(attacker, mayor.username)
    assert refused.status_code == 400 and "Забагато невдалих спроб входу" in text(refused)
    assert "_auth_user_id" not in attacker.session


def test_many_addresses_are_bounded_per_username(client_factory, mayor, settings):
    """Bound: LOGIN_MAX_FAILURES_PER_USER guesses per window for one name, however many addresses."""
    settings.LOGIN_MAX_FAILURES_PER_USER = 12
    login(client_factory(), mayor.username, ip=MAYORS_PC)  # the mayor's machine is known
    client = client_factory()
    for n in range(20):  # twenty addresses, two guesses each
        for _ in range(2):
            login(client, mayor.username, "guess", ip=f"198.51.100.{n + 1}")
    assert LoginFailure.objects.filter(username=mayor.username).count() == 12
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 12
    # A fresh address — even with the right password — is refused while the cap holds ...
    fresh = login(client_factory(), mayor.username, ip="198.51.100.200")
    assert fresh.status_code == 400 and "Забагато невдалих спроб входу" in text(fresh)
    # ... while the mayor still signs in from the known machine.
    assert login(client_factory(), mayor.username, ip=MAYORS_PC).status_code == 302


def test_known_address_keeps_only_its_own_pair_limit_under_the_cap(client_factory, mayor, settings):
    settings.LOGIN_MAX_FAILURES_PER_USER = 6
    login(client_factory(), mayor.username, ip=MAYORS_PC)
    for n in range(6):
        login(client_factory(), mayor.username, "guess", ip=f"198.51.100.{n + 1}")
    login(client_factory(), mayor.username, "typo", ip=MAYORS_PC)  # a typo of the mayor's own
    assert login(client_factory(), mayor.username, ip=MAYORS_PC).status_code == 302
    for _ in range(7):  # the known address is still bounded by the pair limit
        login(client_factory(), mayor.username, "guess", ip=MAYORS_PC)
    assert LoginFailure.objects.filter(username=mayor.username, ip=MAYORS_PC).count() == 5
    assert LoginFailure.objects.filter(username=mayor.username).count() == 11


def test_known_address_is_remembered_and_expires(client_factory, mayor, settings):
    from datetime import timedelta

    from django.utils import timezone

    from ratusha.core.throttle import address_is_known

    login(client_factory(), mayor.username, ip=MAYORS_PC)
    assert KnownLoginAddress.objects.filter(user=mayor, ip=MAYORS_PC).count() == 1
    assert address_is_known(username=mayor.username, ip=MAYORS_PC)
    KnownLoginAddress.objects.update(
        last_at=timezone.now() - timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS + 1)
    )
    assert not address_is_known(username=mayor.username, ip=MAYORS_PC)


def test_one_address_guessing_many_names_is_locked(client_factory, mayor, settings):
    settings.LOGIN_MAX_FAILURES_PER_IP = 8
    attacker = client_factory()
    for n in range(8):
        login(attacker, f"user{n}", "guess")
    refused = login(attacker, mayor.username)
    assert "Забагато невдалих спроб входу" in text(refused)
    assert login(client_factory(), mayor.username, ip=MAYORS_PC).status_code == 302
