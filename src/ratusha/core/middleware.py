"""Office-wide enforcement of the second factor (installed after django_otp's OTPMiddleware).

Administrators and superusers must enrol TOTP, and users with a confirmed device must have entered
a code, before any page under /office/ or /django-admin/ is served — including pages of apps that
do not use the ``office_view`` decorator.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import get_supported_language_variant

from ratusha.core.auth import otp_gate

GUARDED_PREFIXES = ("/office/", "/django-admin/", "/cms/")


class OfficeOTPMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(GUARDED_PREFIXES):
            gate = otp_gate(request)
            if gate is not None:
                return gate
        return self.get_response(request)


class UkrainianFirstLocaleMiddleware(LocaleMiddleware):
    """Ukrainian unless the user chose another language with the switch (the language cookie).

    Django's own middleware also follows the browser's Accept-Language; many office computers run an
    English browser, and a Ukrainian council's system must not switch language behind their backs.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = settings.LANGUAGE_CODE
        if chosen:
            try:
                language = get_supported_language_variant(chosen)
            except LookupError:
                language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
