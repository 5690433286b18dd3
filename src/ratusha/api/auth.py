"""Bearer keys ``rtk_<key id>_<secret>``: looked up by id, the secret compared by its SHA-256 in constant time."""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from ratusha.api.constants import KEY_PREFIX
from ratusha.api.models import ApiKey
from ratusha.api.services import secret_hash
from ratusha.core.errors import PermissionDeniedError

LAST_USED_EVERY = dt.timedelta(minutes=5)  # don't write on every request


class KeyAuth(HttpBearer):
    """The key; with ``scope``, also the key's permission for the operation — checked here, before ninja reads
    the request's body, so a key without the scope gets 403 whatever it sent."""

    openapi_description = "Ключ API організації: `Authorization: Bearer rtk_<id>_<secret>`."

    def __init__(self, scope: str | None = None) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        parts = (token or "").split("_", 2)
        if len(parts) != 3 or parts[0] != KEY_PREFIX:
            return None
        key = ApiKey.objects.select_related("organisation", "user").filter(
            key_id=parts[1], revoked_at__isnull=True, user__is_active=True).first()
        if key is None or not hmac.compare_digest(key.secret_sha256, secret_hash(parts[2])):
            return None
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_EVERY:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        request.user = key.user
        request.api_key = key  # type: ignore[attr-defined]
        if self.scope and self.scope not in key.scopes:
            raise PermissionDeniedError(_("Ключ не має дозволу «%(scope)s».") % {"scope": self.scope},
                                        code="forbidden_scope")
        return key


def api_key_of(request: Any) -> ApiKey:
    return request.auth
