"""The website CMS at /cms/: who gets in (holders of the installation role «Редактор сайту ради» through the
group «Редактори сайту», kept in step with the grants — never an organisation's role), its own CSP, and alt
text required by the editor's form."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from ratusha.core.audit import AuditEvent
from ratusha.orgs.models import InstallationRoleGrant
from ratusha.orgs.services import employee_set_roles, installation_role_revoke
from ratusha.website.editors import GROUP_NAME, is_web_editor
from ratusha.website.models import NewsPage
from tests.factories import EmployeeFactory, grant_installation_role
from tests.orgs.conftest import login_verified
from tests.website.site_builder import build_site


@pytest.fixture
def site(db):
    return build_site()


def _in_group(user) -> bool:
    return user.groups.filter(name=GROUP_NAME).exists()


def test_group_has_the_editing_permissions(db):
    group = Group.objects.get(name=GROUP_NAME)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"access_admin", "change_sitesettings"} <= codenames
    page_perms = set(group.page_permissions.values_list("permission__codename", flat=True))
    assert {"add_page", "change_page", "publish_page"} <= page_perms
    collection_perms = set(group.collection_permissions.values_list("permission__codename", flat=True))
    assert {"add_image", "choose_image", "add_document", "choose_document"} <= collection_perms


def test_anonymous_goes_to_the_office_login(client, db):
    response = client.get("/cms/")
    assert response.status_code == 302 and response["Location"].startswith("/office/login/")


def test_executor_is_refused(client, db):
    executor = EmployeeFactory(roles=["executor"]).user
    assert not _in_group(executor) and not is_web_editor(executor)
    client.force_login(executor)
    response = client.get("/cms/")
    assert response.status_code in (302, 403)
    assert client.get("/cms/pages/").status_code in (302, 403)


@pytest.mark.parametrize("role", ["website_editor", "installation_admin"])
def test_website_editor_and_installation_admin_get_in(client, site, role):
    user = grant_installation_role(EmployeeFactory(organisation=site.council, roles=["executor"]).user, role)
    assert _in_group(user)
    login_verified(client, user)  # administrators sign in with TOTP
    assert client.get("/cms/").status_code == 200
    assert client.get(f"/cms/pages/{site.news_index.pk}/").status_code == 200
    assert client.get(f"/cms/pages/{site.news.pk}/edit/").status_code == 200
    assert client.get("/cms/images/").status_code == 200


@pytest.mark.parametrize("role", ["web_editor", "admin"])
def test_organisation_roles_give_no_cms(client, site, role):
    """A web editor or administrator of one organisation (the council's too) is no editor of the site."""
    user = EmployeeFactory(organisation=site.council, roles=[role]).user
    assert not _in_group(user) and not is_web_editor(user)
    login_verified(client, user)
    assert client.get("/cms/").status_code in (302, 403)
    assert client.get(f"/cms/pages/{site.news.pk}/edit/").status_code in (302, 403)


def test_membership_follows_the_grants(client, db):
    employee = EmployeeFactory(roles=["executor"])
    user = employee.user
    employee = employee_set_roles(actor=None, employee=employee, roles=["executor", "web_editor", "admin"])
    assert not _in_group(user)
    grant_installation_role(user, "website_editor")
    assert _in_group(user)
    assert AuditEvent.objects.filter(action="website.editor_add", object_id=str(user.pk)).exists()
    installation_role_revoke(actor=None, grant=InstallationRoleGrant.objects.get(user=user))
    assert not _in_group(user)
    login_verified(client, user)
    assert client.get("/cms/").status_code in (302, 403)
    grant_installation_role(user, "website_editor")
    assert _in_group(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    employee_set_roles(actor=None, employee=employee, roles=["executor"])  # any save re-checks the person
    assert not _in_group(user)
    assert AuditEvent.objects.filter(action="website.editor_remove", object_id=str(user.pk)).count() == 2


def test_cms_has_its_own_csp_and_the_site_keeps_the_strict_one(client, site):
    editor = grant_installation_role(EmployeeFactory(organisation=site.council, roles=["web_editor"]).user,
                                     "website_editor")
    client.force_login(editor)
    cms = client.get("/cms/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in cms and "gravatar" not in cms
    client.logout()
    public = client.get("/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in public and "script-src 'self'" in public


def test_editor_cannot_publish_an_image_without_alt(client, site):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    editor = grant_installation_role(EmployeeFactory(organisation=site.council, roles=["web_editor"]).user,
                                     "website_editor")
    client.force_login(editor)
    url = f"/cms/pages/add/website/newspage/{site.news_index.pk}/"
    data = nested_form_data({
        "title": "Новина з зображенням без опису", "slug": "bez-alt", "kind": "news",
        "summary": "Короткий зміст.", "image": site.image.pk, "image_alt": "",
        "body": streamfield([("image", {"image": site.image.pk, "alt": "", "caption": ""})]),
        "comments": inline_formset([]), "action-publish": "action-publish",
    })
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the errors
    assert not NewsPage.objects.filter(slug="bez-alt").exists()
    html = response.content.decode()
    assert "без текстової альтернативи" in html
    data["image_alt"] = "Будівля ради"
    data["body-0-value-alt"] = "Будівля ради взимку"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    page = NewsPage.objects.get(slug="bez-alt")
    assert page.live and page.image_alt == "Будівля ради"
