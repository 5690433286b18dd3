"""A signed-in person who is not a website editor gets a clear Ukrainian 403 at /cms/ (no loop through the login
page), and the CMS's preview may still be framed by the CMS itself while every other page is denied (finding 13)."""

from __future__ import annotations

import pytest

from tests.factories import EmployeeFactory, grant_installation_role
from tests.orgs.conftest import login_verified
from tests.website.site_builder import build_site

pytestmark = pytest.mark.django_db


def test_signed_in_non_editor_gets_a_403_page_saying_who_to_ask(client):
    executor = EmployeeFactory(roles=["executor"])
    org_admin = EmployeeFactory(organisation=executor.organisation, roles=["admin"]).user
    installation_admin = EmployeeFactory(roles=["admin"]).user
    grant_installation_role(installation_admin, "installation_admin")
    client.force_login(executor.user)
    for path in ("/cms/", "/cms/pages/", "/cms/login/"):
        response = client.get(path)
        assert response.status_code == 403, path
        html = response.content.decode()
        assert "Ви не редактор сайту" in html and "Редактор сайту ради" in html
        # Who to ask: the installation's administrators — an organisation's administrator cannot give the role.
        assert installation_admin.full_name in html and org_admin.full_name not in html
    # The login page does not send them back to /cms/ in a loop any more: /cms/ answers by itself.
    assert client.get("/cms/", follow=True).redirect_chain == []


def test_anonymous_still_goes_to_the_login(client):
    response = client.get("/cms/")
    assert response.status_code == 302 and response["Location"].startswith("/office/login/")


def test_preview_is_framed_by_the_cms_only_and_other_pages_by_nobody(client):
    site = build_site()
    editor = EmployeeFactory(organisation=site.council, roles=["web_editor"]).user
    grant_installation_role(editor, "website_editor")
    login_verified(client, editor)
    page = client.get("/cms/")
    assert page.status_code == 200
    assert page["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page["Content-Security-Policy"]
    preview = client.get(f"/cms/pages/{site.news.pk}/edit/preview/")
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in preview["Content-Security-Policy"]
    public = client.get("/")
    assert (
        public["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in public["Content-Security-Policy"]
    )
