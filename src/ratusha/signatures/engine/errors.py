"""Errors of the signature engine (translated messages, Ukrainian source)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ratusha.core.errors import ApplicationError


class SignatureEngineError(ApplicationError):
    code = "signature_error"
    default_message = _("Помилка електронного підпису.")

    def __init__(self, message: str | None = None, **kwargs) -> None:
        super().__init__(str(message or self.default_message), **kwargs)


class WrongPassphraseError(SignatureEngineError):
    code = "wrong_passphrase"
    default_message = _("Неправильний пароль до ключа.")


class InvalidKeyFileError(SignatureEngineError):
    code = "invalid_key_file"
    default_message = _("Файл ключа пошкоджений або не є контейнером PKCS#12 (.p12, .pfx) з ключем і сертифікатом.")


class CertificateExpiredError(SignatureEngineError):
    code = "certificate_expired"
    default_message = _("Строк дії сертифіката підписувача минув або ще не настав.")


class CertificateRevokedError(SignatureEngineError):
    code = "certificate_revoked"
    default_message = _("Сертифікат підписувача відкликано.")


class SigningServiceError(SignatureEngineError):
    code = "signing_service_unavailable"
    default_message = _("Служба позначок часу або перевірки статусу сертифіката недоступна. Спробуйте пізніше.")
