"""Errors that services raise for the user (translated message + stable code)."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A rule of the application refused the operation. ``message`` is shown to the user."""

    code = "application_error"

    def __init__(self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.extra = extra or {}
        self.field = field


class PermissionDeniedError(ApplicationError):
    code = "permission_denied"


class TransitionError(ApplicationError):
    code = "invalid_transition"


class IntegrityCheckError(ApplicationError):
    """Stored bytes no longer match their recorded SHA-256."""

    code = "integrity_error"
