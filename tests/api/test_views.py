"""The office page of an organisation's API keys and webhooks (administrators only)."""

import pytest

from ratusha.api.models import ApiKey, Webhook
from tests.orgs.conftest import login_verified

pytestmark = pytest.mark.django_db


def test_admin_creates_a_key_sees_the_secret_once_and_revokes_it(client, enterprise_admin, enterprise):
    login_verified(client, enterprise_admin)  # administrators sign in with a second factor
    response = client.post("/office/api/", {"action": "key", "org": enterprise.pk, "name": "СЕД Водоканалу",
                                            "scopes": ["incoming:read", "incoming:register"]})
    html = response.content.decode()
    key = ApiKey.objects.get()
    assert f"rtk_{key.key_id}_" in html and "повторно його не показати" in html
    assert "rtk_" not in client.get("/office/api/").content.decode().replace(f"<code>{key.key_id}</code>", "")
    client.post(f"/office/api/keys/{key.pk}/revoke/", {"org": enterprise.pk})
    key.refresh_from_db()
    assert key.revoked_at is not None and not key.user.is_active


def test_bad_input_keeps_what_was_typed(client, enterprise_admin, enterprise):
    login_verified(client, enterprise_admin)  # administrators sign in with a second factor
    response = client.post("/office/api/", {"action": "key", "org": enterprise.pk, "name": "Моя система"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Оберіть хоча б один дозвіл." in html and 'value="Моя система"' in html
    response = client.post("/office/api/", {"action": "webhook", "org": enterprise.pk, "url": "ftp://x",
                                            "events": ["document.delivered"]})
    assert response.status_code == 400 and Webhook.objects.count() == 0


def test_only_administrators(client, enterprise_clerk):
    client.force_login(enterprise_clerk)
    assert client.get("/office/api/").status_code == 403
