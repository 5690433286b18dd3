"""The administrator of a municipal enterprise governs only the enterprise (security findings 2 and 3):
the council's website, the appeals classifier, the exchange directory and the work calendar refuse them,
while a person of the same enterprise granted the installation role explicitly gets in."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ratusha.appeals.models import ClassifierVersion
from ratusha.appeals.services import classifier_load
from ratusha.calendar.models import DayOverride
from ratusha.core.errors import PermissionDeniedError
from ratusha.website.models import NewsPage
from tests.appeals.office_helpers import SAMPLE_CSV
from tests.factories import EmployeeFactory, OrganisationFactory, grant_installation_role
from tests.orgs.conftest import login_verified
from tests.website.site_builder import build_site


@pytest.fixture
def enterprise(db):
    return OrganisationFactory(kind="municipal_enterprise", name="КП «Соснівкаводоканал»")


@pytest.fixture
def enterprise_admin(enterprise):
    return EmployeeFactory(organisation=enterprise, roles=["admin", "web_editor"]).user


def _granted(enterprise, role):
    return grant_installation_role(EmployeeFactory(organisation=enterprise, roles=["executor"]).user, role)


def _news_edit_data(page) -> dict:
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    return nested_form_data({
        "title": "Підроблена новина", "slug": page.slug, "kind": "news", "summary": "Змінено.",
        "image_alt": "", "body": streamfield([]), "comments": inline_formset([]), "action-publish": "action-publish"})


def test_cms_edit_and_publish(client, enterprise, enterprise_admin):
    site = build_site()
    login_verified(client, enterprise_admin)
    assert client.get("/cms/").status_code in (302, 403)
    edit_url = f"/cms/pages/{site.news.pk}/edit/"
    assert client.get(edit_url).status_code in (302, 403)
    assert client.post(edit_url, _news_edit_data(site.news)).status_code in (302, 403)
    assert NewsPage.objects.get(pk=site.news.pk).title != "Підроблена новина"

    editor = _granted(enterprise, "website_editor")
    login_verified(client, editor)
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, _news_edit_data(site.news))
    assert response.status_code == 302, response.content.decode()[:500]
    news = NewsPage.objects.get(pk=site.news.pk)
    assert news.title == "Підроблена новина" and news.live


def test_classifier_upload(client, enterprise, enterprise_admin):
    login_verified(client, enterprise_admin)
    assert client.get("/office/appeals/classifier/").status_code == 403
    upload = SimpleUploadedFile("858.csv", SAMPLE_CSV.read_bytes())
    assert client.post("/office/appeals/classifier/", {"file": upload, "note": "x"}).status_code == 403
    with pytest.raises(PermissionDeniedError):
        classifier_load(actor=enterprise_admin, data=SAMPLE_CSV.read_bytes(), source_name="858.csv")
    assert not ClassifierVersion.objects.exists()

    keeper = _granted(enterprise, "classifier_keeper")
    login_verified(client, keeper)
    assert client.get("/office/appeals/classifier/").status_code == 200
    upload = SimpleUploadedFile("858.csv", SAMPLE_CSV.read_bytes())
    assert client.post("/office/appeals/classifier/", {"file": upload, "note": "x"}).status_code == 200
    assert classifier_load(actor=keeper, data=SAMPLE_CSV.read_bytes(), source_name="858.csv").loaded_by == keeper


def test_work_calendar(client, enterprise, enterprise_admin):
    data = {"m": "2025-05", "override-day": "02.05.2025", "override-working": "0",
            "override-reason": "Рішення виконкому № 12 від 10.04.2025"}
    login_verified(client, enterprise_admin)
    assert client.post("/office/calendar/days/add/", data).status_code == 403
    assert not DayOverride.objects.exists()
    login_verified(client, _granted(enterprise, "installation_admin"))
    assert client.post("/office/calendar/days/add/", data).status_code == 302
    assert DayOverride.objects.get().reason == "Рішення виконкому № 12 від 10.04.2025"
