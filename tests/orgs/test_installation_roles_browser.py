"""The «Ролі установки» page in Chromium: an installation administrator grants a role to an enterprise's
person and revokes it; axe finds nothing on the page in each state."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from ratusha.orgs.models import InstallationRoleGrant
from tests.browser import BROWSER_MARKS, check_page, chromium, sign_in  # noqa: F401 (fixture)
from tests.factories import EmployeeFactory, OrganisationFactory, grant_installation_role

pytestmark = BROWSER_MARKS


def test_grant_and_revoke_an_installation_role(chromium, live_server):  # noqa: F811
    council = OrganisationFactory(kind="city_council", name="Соснівська міська рада")
    enterprise = OrganisationFactory(kind="municipal_enterprise", name="КП «Соснівкаводоканал»")
    admin = grant_installation_role(EmployeeFactory(organisation=council, roles=["admin"]).user,
                                    "installation_admin")
    clerk = EmployeeFactory(organisation=enterprise, roles=["registrar"]).user
    device = TOTPDevice.objects.create(user=admin, name="Телефон", confirmed=True)
    page = sign_in(chromium, live_server.url, admin, device=device)
    page.goto(f"{live_server.url}/office/staff/installation-roles/")
    check_page(page, "installation-roles")

    page.get_by_role("button", name="Надати").click()  # nothing chosen: errors, nothing granted
    assert page.locator(".error-summary, [role=alert]").first.is_visible()
    page.console_errors.clear()  # the form with errors is answered 400, which Chromium logs; nothing else
    check_page(page, "installation-roles-error")

    page.select_option("#id_user", str(clerk.pk))
    page.select_option("#id_role", "signatures_admin")
    page.fill("#id_note", "Розпорядження міського голови від 01.12.2026 № 41")
    page.get_by_role("button", name="Надати").click()
    page.wait_for_load_state()
    grant = InstallationRoleGrant.objects.get(user=clerk, role="signatures_admin", revoked_at__isnull=True)
    assert clerk.last_name in page.content()
    check_page(page, "installation-roles-granted")

    page.get_by_role("button", name="Відкликати").last.click()
    page.wait_for_load_state()
    grant.refresh_from_db()
    assert grant.revoked_at is not None
