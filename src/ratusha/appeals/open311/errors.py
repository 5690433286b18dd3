"""Errors of the Open311 API: an HTTP status plus one or more descriptions (the specification's
``<errors><error><code/><description/></error></errors>`` — several errors may be returned at once)."""

from __future__ import annotations

from ratusha.core.errors import ApplicationError


class Open311Error(ApplicationError):
    code = "open311_error"

    def __init__(self, status: int, *descriptions: str, retry_after: int | None = None) -> None:
        super().__init__("; ".join(descriptions), code=f"open311_{status}")
        self.status = status
        self.descriptions = list(descriptions)
        self.retry_after = retry_after
