"""Throttling of failed sign-ins, built so that a stranger cannot lock a known person out.

Failures are counted in a sliding window of ``LOGIN_LOCK_MINUTES`` (default 15 minutes) three ways:

* per (username, address) pair — after ``LOGIN_MAX_FAILURES`` (5) that address may not try that
  username again until the window has passed; the same person from another address is not affected;
* per address — after ``LOGIN_MAX_FAILURES_PER_IP`` (20) the address may not try any username
  (a whole council often sits behind one NAT address, hence the higher number);
* per username over all addresses — after ``LOGIN_MAX_FAILURES_PER_USER`` (50) only *known*
  addresses may still try that username: addresses the person has signed in from within
  ``LOGIN_KNOWN_ADDRESS_DAYS`` (90) days, each still under its own pair limit.

So an attacker guessing one name from any number of addresses gets at most
``LOGIN_MAX_FAILURES_PER_USER`` guesses per window (plus at most ``LOGIN_MAX_FAILURES`` from
each of the person's known addresses, which a stranger does not have), while the person signs in from their own
machine throughout. A successful sign-in clears only the failures of its own address.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from ratusha.core.models import KnownLoginAddress, LoginFailure


def client_ip(request: HttpRequest) -> str | None:
    """The peer address. Proxies are not trusted here: nginx passes REMOTE_ADDR via gunicorn."""
    value = request.META.get("REMOTE_ADDR") or None
    return value


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


def max_per_ip() -> int:
    return int(getattr(settings, "LOGIN_MAX_FAILURES_PER_IP", settings.LOGIN_MAX_FAILURES * 4))


def max_per_user() -> int:
    return int(getattr(settings, "LOGIN_MAX_FAILURES_PER_USER", settings.LOGIN_MAX_FAILURES * 10))


def _ip_q(ip: str | None) -> Q:
    return Q(ip=ip) if ip else Q(ip__isnull=True)


def address_is_known(*, username: str, ip: str | None) -> bool:
    if not ip:
        return False
    since = timezone.now() - dt.timedelta(days=int(getattr(settings, "LOGIN_KNOWN_ADDRESS_DAYS", 90)))
    return KnownLoginAddress.objects.filter(
        user__username__iexact=username, ip=ip, last_at__gte=since
    ).exists()


def login_is_locked(*, username: str, ip: str | None) -> bool:
    """True when this address may not try this username now (see the module's rules)."""
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    if ip and recent.filter(ip=ip).count() >= max_per_ip():
        return True
    if not username:
        return False
    by_name = recent.filter(username__iexact=username)
    pair = by_name.filter(_ip_q(ip)).count()
    if pair >= settings.LOGIN_MAX_FAILURES:
        return True
    if by_name.count() >= max_per_user():
        return not address_is_known(username=username, ip=ip)
    return False


def login_failure_add(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username[:150], ip=ip)


def login_success_note(*, user: object, ip: str | None) -> None:
    """Forget this address's failures for the name and remember the address as known."""
    username = user.get_username()  # type: ignore[attr-defined]
    LoginFailure.objects.filter(_ip_q(ip), username__iexact=username).delete()
    if ip:
        KnownLoginAddress.objects.update_or_create(user=user, ip=ip, defaults={"last_at": timezone.now()})
