"""Staff sign-in: password check with throttling, the TOTP second factor and its enrolment.

Service-style functions (docs/architecture.md rule 1): keyword-only, each write in one transaction with its
audit event. Views call these and only translate the outcome into pages.

Throttling lives in ``core/throttle.py``: failures lock a (username, address) pair and an address,
never a person everywhere — a stranger guessing the mayor's password cannot keep the mayor out.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as django_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratusha.core import parking
from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.core.throttle import client_ip, login_failure_add, login_is_locked, login_success_note

PENDING_SESSION_KEY = "ratusha_otp_pending"
PENDING_TTL_SECONDS = 300


class LoginLockedError(ApplicationError):
    code = "login_locked"


class LoginInvalidError(ApplicationError):
    code = "invalid_credentials"


# --- Throttling --------------------------------------------------------------------------------


def _locked_message() -> str:
    minutes = settings.LOGIN_LOCK_MINUTES
    return ngettext(
        "Забагато невдалих спроб входу. Вхід тимчасово заблоковано — спробуйте через %(n)d хвилину "
        "або зверніться до адміністратора.",
        "Забагато невдалих спроб входу. Вхід тимчасово заблоковано — спробуйте через %(n)d хвилин "
        "або зверніться до адміністратора.",
        minutes,
    ) % {"n": minutes}


def login_failure_record(*, username: str, ip: str | None, stage: str = "password") -> bool:
    """Record one failed attempt; returns True when this failure locked the name for this address."""
    with transaction.atomic():
        login_failure_add(username=username, ip=ip)
        audit_log(actor=None, action="auth.login_failed", object_type="orgs.user",
                  object_repr=username[:300], params={"username": username[:150], "ip": ip, "stage": stage})
        locked = login_is_locked(username=username, ip=ip)
        if locked:
            audit_log(actor=None, action="auth.locked", object_type="orgs.user", object_repr=username[:300],
                      params={"username": username[:150], "ip": ip,
                              "minutes": settings.LOGIN_LOCK_MINUTES})
    return locked


def login_authenticate(*, request: HttpRequest, username: str, password: str) -> Any:
    """Check the password under throttling. Returns the user or raises LoginLocked/LoginInvalid."""
    username = (username or "").strip()
    ip = client_ip(request)
    if login_is_locked(username=username, ip=ip):
        raise LoginLockedError(_locked_message())
    user = authenticate(request, username=username, password=password)
    if user is None:
        if login_failure_record(username=username, ip=ip):
            raise LoginLockedError(_locked_message())
        raise LoginInvalidError(_("Неправильне ім'я користувача або пароль. Зверніть увагу на регістр "
                                  "літер і розкладку клавіатури."))
    return user


def login_complete(*, request: HttpRequest, user: Any, device: Any | None = None) -> None:
    """Open the session (after password and, where set up, the code) and audit the sign-in."""
    from django_otp import login as otp_login

    request.session.pop(PENDING_SESSION_KEY, None)
    with transaction.atomic():
        django_login(request, user)
        if device is not None:
            otp_login(request, device)
        login_success_note(user=user, ip=client_ip(request))
        audit_log(actor=user, action="auth.login", obj=user,
                  params={"ip": client_ip(request), "otp": device is not None})


def logout_user(*, request: HttpRequest) -> None:
    from django.contrib.auth import logout

    user = request.user
    if getattr(user, "is_authenticated", False):
        with transaction.atomic():
            audit_log(actor=user, action="auth.logout", obj=user, params={"ip": client_ip(request)})
    logout(request)


# --- Second factor (TOTP) ----------------------------------------------------------------------


def confirmed_totp_device(user: Any) -> Any | None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not getattr(user, "is_authenticated", False) and not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def user_requires_otp(user: Any) -> bool:
    """Superusers, anyone holding the administrator role anywhere and the holders of the administering
    installation roles (installation, signatures administrator, classifier keeper; not the website editor,
    who like an organisation's web editor signs in with a password) must use a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    from ratusha.orgs.constants import InstallationRole, Role
    from ratusha.orgs.permissions import installation_roles, organisation_ids

    return bool(organisation_ids(user, {Role.ADMIN})) or bool(
        installation_roles(user) - {InstallationRole.WEBSITE_EDITOR})


def otp_pending_start(*, request: HttpRequest, user: Any, next_url: str = "") -> None:
    """Password accepted, code still due: remember who, not logged in yet."""
    request.session.cycle_key()
    request.session[PENDING_SESSION_KEY] = {
        "user": str(user.pk), "backend": getattr(user, "backend", ""), "at": int(time.time()),
        "next": next_url,
    }


def otp_pending_user(request: HttpRequest) -> tuple[Any | None, str]:
    """The user who passed the password step (within the time limit), and where to go next."""
    from django.contrib.auth import get_user_model

    data = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(data, dict):
        return None, ""
    if int(time.time()) - int(data.get("at", 0)) > PENDING_TTL_SECONDS:
        request.session.pop(PENDING_SESSION_KEY, None)
        return None, ""
    user = get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()
    if user is not None and data.get("backend"):
        user.backend = data["backend"]
    return user, str(data.get("next", ""))


def otp_verify(*, request: HttpRequest, user: Any, token: str) -> Any:
    """Check a code against the user's confirmed device; a wrong code counts as a failed login."""
    from django_otp import verify_token

    ip = client_ip(request)
    username = user.get_username()
    if login_is_locked(username=username, ip=ip):
        raise LoginLockedError(_locked_message())
    device = confirmed_totp_device(user)
    token = "".join((token or "").split())
    if device is not None and not device.verify_is_allowed()[0]:
        raise LoginInvalidError(_("Після невдалої спроби зачекайте кілька секунд і введіть новий код."),
                                field="token")
    verified = verify_token(user, device.persistent_id, token) if device is not None and token else None
    if verified is None:
        if login_failure_record(username=username, ip=ip, stage="otp"):
            raise LoginLockedError(_locked_message())
        raise LoginInvalidError(_("Код не підходить. Введіть шість цифр, які зараз показує застосунок "
                                  "автентифікації; код змінюється кожні 30 секунд."), field="token")
    return verified


def totp_device_start(*, user: Any) -> Any:
    """The unconfirmed device being enrolled (created once; a reload shows the same secret)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=_("Застосунок автентифікації"),
                                               confirmed=False)
            audit_log(actor=user, action="auth.otp_setup_started", obj=user, params={"device": device.pk})
    return device


def totp_device_confirm(*, request: HttpRequest, user: Any, device: Any, token: str) -> Any:
    """Confirm enrolment with a first valid code; the session counts as verified from now on."""
    from django_otp import login as otp_login

    token = "".join((token or "").split())
    if not (token.isdigit() and device.verify_token(token)):
        raise LoginInvalidError(_("Код не підходить. Перевірте, що час на телефоні встановлено "
                                  "автоматично, і введіть поточний код."), field="token")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_log(actor=user, action="auth.otp_enrolled", obj=user, params={"device": device.pk})
    otp_login(request, device)
    return device


def totp_qr_svg(device: Any) -> str:
    """The provisioning URI as an inline SVG (no external service, no inline styles)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    label = _("QR-код для застосунку автентифікації")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def totp_secret_b32(device: Any) -> str:
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


# --- Enforcement -------------------------------------------------------------------------------

EXEMPT_PREFIXES = ("/office/login/", "/office/logout/", "/office/otp/")


def otp_gate(request: HttpRequest) -> HttpResponse | None:
    """A redirect when the signed-in user still owes a second factor, else None."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    if request.path.startswith(EXEMPT_PREFIXES):
        return None
    if getattr(user, "is_verified", lambda: False)():
        return None
    if confirmed_totp_device(user) is not None:
        target = reverse("core:otp_verify")
    elif user_requires_otp(user):
        target = reverse("core:otp_setup")
    else:
        return None
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)


def office_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorator for every office page: signed in, and second factor done where it is due.

    A form sent after the session ended is parked (``core/parking.py``) and offered again, filled
    in, once the person has signed in; the confirming POST brings the parked files along.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("core:login")
                return response
            if request.method == "POST":
                page = parking.form_page(request)
                response = redirect_to_login(page)
                parking.submission_park(request, response, page=page)
                return response
            return redirect_to_login(request.get_full_path())
        gate = otp_gate(request)
        if gate is not None:
            return gate
        parked = parking.parked_offer(request)
        response = view(request, *args, **kwargs)
        if parked is not None:
            parking.parked_done(parked, response)
        return response

    return wrapper


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)
