"""The sign step as one swappable strategy.

Until qualified electronic signatures land (issue 6), signing is the signer's confirmation with
their second factor: they re-enter a TOTP code from their django-otp device. Issue 6 replaces the
strategy (setting ``APPROVALS_SIGNATURE_STRATEGY``, a dotted path) with one that makes a PAdES
signature of the draft's PDF and returns it as ``SignatureResult.signed_blob``; the signing service
(``services/signing.py``) then registers the signed bytes instead of the draft's file, and keeps the
signature record with the registered card either way.

A strategy is an object with:
- ``method`` — a short code stored in ``Signature.method``;
- ``readiness(signer) -> str`` — "" when the signer can sign, else a message for the page;
- ``confirm(*, signer, draft, version, credentials) -> SignatureResult`` — raises ApplicationError
  (field ``token`` for the code) when the signature cannot be made; runs outside the signing
  transaction, before it (so counted failures stay recorded).

A strategy that signs bytes returns ``SignatureResult.sign_pdf``: the signing service calls it inside its
transaction, once the registration number is taken, with the final PDF (for a draft made from a template:
rendered again with the number, date and signer, and the area kept for the stamp — ``placement``) or None
(sign the draft's own PDF), and registers the signed blob it returns. If it raises, nothing is registered
and the number is not used. (A strategy may still return ready ``signed_blob`` bytes made in ``confirm``.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.workflow.approvals.constants import SIGN_LOCK_MINUTES, SIGN_MAX_FAILURES, SIGN_METHOD_OTP

DEFAULT_STRATEGY = "ratusha.workflow.approvals.signing.OtpConfirmation"


@dataclass(frozen=True)
class SignatureResult:
    method: str
    details: dict[str, Any] = field(default_factory=dict)
    signed_blob: Any = None  # core.Blob of the signed bytes, when signing produces new bytes
    signed_name: str = ""
    # (pdf or None, placement or None) -> core.Blob of the signed PDF; called inside the signing transaction
    sign_pdf: Callable[[bytes | None, Any], Any] | None = None


class SignatureStrategy(Protocol):
    method: str

    def readiness(self, signer: Any) -> str: ...

    def confirm(self, *, signer: Any, draft: Any, version: Any,
                credentials: Mapping[str, str]) -> SignatureResult: ...


class NoSigningMeansError(ApplicationError):
    code = "no_otp_device"


class SignLockedError(ApplicationError):
    code = "sign_locked"


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=SIGN_LOCK_MINUTES)


def sign_is_locked(user: Any) -> bool:
    from ratusha.workflow.approvals.models import SignFailure

    return SignFailure.objects.filter(user=user, at__gte=_window_start()).count() >= SIGN_MAX_FAILURES


def _locked_message() -> str:
    return ngettext(
        "Забагато невдалих спроб підписати. Підписання тимчасово заблоковано — спробуйте через %(n)d "
        "хвилину.",
        "Забагато невдалих спроб підписати. Підписання тимчасово заблоковано — спробуйте через %(n)d "
        "хвилин.", SIGN_LOCK_MINUTES) % {"n": SIGN_LOCK_MINUTES}


def sign_failure_record(*, user: Any, draft: Any) -> bool:
    """Count one wrong code (committed on its own); True when this failure locked signing."""
    from ratusha.workflow.approvals.models import SignFailure

    with transaction.atomic():
        SignFailure.objects.create(user=user)
        audit_log(actor=user, action="signature.code_failed", obj=draft, params={"user": str(user.pk)})
        locked = sign_is_locked(user)
        if locked:
            audit_log(actor=user, action="signature.locked", obj=draft,
                      params={"user": str(user.pk), "minutes": SIGN_LOCK_MINUTES})
    return locked


class OtpConfirmation:
    """The signer confirms with a fresh TOTP code from their confirmed device."""

    method = SIGN_METHOD_OTP

    def readiness(self, signer: Any) -> str:
        from ratusha.core.auth import confirmed_totp_device

        if confirmed_totp_device(signer) is None:
            return _("Щоб підписувати документи, налаштуйте двофакторну автентифікацію "
                     "(застосунок з одноразовими кодами).")
        return ""

    def confirm(self, *, signer: Any, draft: Any, version: Any,
                credentials: Mapping[str, str]) -> SignatureResult:
        from ratusha.core.auth import confirmed_totp_device
        from ratusha.workflow.approvals.models import SignFailure

        device = confirmed_totp_device(signer)
        if device is None:
            raise NoSigningMeansError(self.readiness(signer), field="token")
        if sign_is_locked(signer):
            raise SignLockedError(_locked_message(), field="token")
        token = "".join(str(credentials.get("token") or "").split())
        if not device.verify_is_allowed()[0]:
            raise ApplicationError(_("Після невдалої спроби зачекайте кілька секунд і введіть новий код."),
                                   code="otp_throttled", field="token")
        if not (token.isdigit() and len(token) == 6 and device.verify_token(token)):
            if sign_failure_record(user=signer, draft=draft):
                raise SignLockedError(_locked_message(), field="token")
            raise ApplicationError(_("Код не підходить. Введіть шість цифр, які зараз показує застосунок "
                                     "автентифікації; код змінюється кожні 30 секунд."),
                                   code="wrong_code", field="token")
        SignFailure.objects.filter(user=signer).delete()
        return SignatureResult(method=self.method, details={"device": device.persistent_id,
                                                            "device_name": str(device.name)[:100]})


def get_signature_strategy() -> SignatureStrategy:
    path = getattr(settings, "APPROVALS_SIGNATURE_STRATEGY", DEFAULT_STRATEGY)
    return import_string(path)()


def confirm_signature(*, signer: Any, draft: Any, version: Any, credentials: Mapping[str, str]) -> SignatureResult:
    """Make (or confirm) the signature of ``version`` by ``signer`` with the configured strategy."""
    return get_signature_strategy().confirm(signer=signer, draft=draft, version=version,
                                            credentials=credentials)


def signing_readiness(signer: Any) -> str:
    return get_signature_strategy().readiness(signer)


def signature_registered(*, signature: Any, document: Any) -> None:
    """The strategy's optional ``after_registration`` hook (inside the signing transaction)."""
    hook = getattr(get_signature_strategy(), "after_registration", None)
    if hook is not None:
        hook(signature=signature, document=document)
