"""Writes of the API's own objects: keys (with their service accounts) and webhooks."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.api.constants import KEY_PREFIX, Scope, WebhookEvent
from ratusha.api.models import ApiKey, Webhook
from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.orgs.constants import Role
from ratusha.orgs.models import Organisation
from ratusha.orgs.permissions import is_org_admin


def _require_admin(actor: Any, organisation: Organisation) -> None:
    if not is_org_admin(actor, organisation):
        raise PermissionDeniedError(_("Керувати ключами API може адміністратор організації."))


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = sorted(set(scopes))
    unknown = [s for s in chosen if s not in Scope.values]
    if unknown or not chosen:
        raise ApplicationError(_("Оберіть дозволи ключа зі списку."), code="invalid_scopes", field="scopes")
    return chosen


def api_key_create(*, actor: Any, organisation: Organisation, name: str, scopes: Iterable[str],
                   key_id: str = "", secret: str = "") -> tuple[ApiKey, str]:
    """A new key; returns it with the full secret, which is shown once and never stored.

    ``key_id``/``secret`` are for the demo installation only (a published training key); real keys are
    random."""
    from ratusha.orgs.services import employee_hire

    _require_admin(actor, organisation)
    name = " ".join((name or "").split())[:120]
    if not name:
        raise ApplicationError(_("Вкажіть назву системи, яка користуватиметься ключем."), code="required",
                               field="name")
    chosen = _clean_scopes(scopes)
    key_id = key_id or secrets.token_hex(6)
    secret = secret or secrets.token_urlsafe(32)
    with transaction.atomic():
        employee = employee_hire(actor=actor, organisation=organisation, roles=[Role.REGISTRAR],
                                 username=f"api-{key_id}", last_name="API", first_name=name[:100])
        key = ApiKey.objects.create(organisation=organisation, name=name, key_id=key_id,
                                    secret_sha256=secret_hash(secret), scopes=chosen, user=employee.user,
                                    created_by=actor)
        audit_log(actor=actor, action="api.key_create", obj=key,
                  params={"organisation": str(organisation.pk), "name": name, "scopes": chosen, "key_id": key_id})
    return key, f"{KEY_PREFIX}_{key_id}_{secret}"


def api_key_revoke(*, actor: Any, key: ApiKey) -> ApiKey:
    from ratusha.orgs.models import Employee

    _require_admin(actor, key.organisation)
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at", "updated_at"])
            Employee.objects.filter(user=key.user_id).update(is_active=False)
            key.user.is_active = False
            key.user.save(update_fields=["is_active"])
            audit_log(actor=actor, action="api.key_revoke", obj=key, params={"key_id": key.key_id})
    return key


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.netloc:
        raise ApplicationError(_("Вкажіть повну адресу, що починається з https://"), code="invalid_url", field="url")
    return url


def webhook_create(*, actor: Any, organisation: Organisation, url: str, events: Iterable[str]) -> Webhook:
    _require_admin(actor, organisation)
    url = _clean_url(url)
    chosen = sorted(set(events))
    if not chosen or any(e not in WebhookEvent.values for e in chosen):
        raise ApplicationError(_("Оберіть події зі списку."), code="invalid_events", field="events")
    with transaction.atomic():
        hook = Webhook.objects.create(organisation=organisation, url=url, events=chosen,
                                      secret=secrets.token_hex(32), created_by=actor)
        audit_log(actor=actor, action="api.webhook_create", obj=hook,
                  params={"organisation": str(organisation.pk), "url": url, "events": chosen})
    return hook


def webhook_disable(*, actor: Any, webhook: Webhook) -> Webhook:
    _require_admin(actor, webhook.organisation)
    with transaction.atomic():
        webhook.is_active = False
        webhook.save(update_fields=["is_active", "updated_at"])
        audit_log(actor=actor, action="api.webhook_disable", obj=webhook, params={"url": webhook.url})
    return webhook
