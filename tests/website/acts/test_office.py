"""The office pages under /decisions/office/: access, the new-draft form (late warning before the
confirmation, the upload kept across a re-render), publishing a prepared draft, editing, topics."""

import datetime as dt

import pytest

from ratusha.website.acts.constants import ActStatus
from ratusha.website.acts.models import PublishedAct, Topic
from ratusha.website.acts.services import drafts as drafts_module
from tests.factories import EmployeeFactory, OrganisationFactory
from tests.website.acts.conftest import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _post(client, council, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"organisation": str(council.pk), "kind": "council", "title": "Про бюджет громади",
            "session_date": "18.02.2027", "publish": "now",
            "file": SimpleUploadedFile("проєкт.pdf", make_pdf(), content_type="application/pdf")}
    data.update(extra)
    return client.post("/decisions/office/new/", data)


def test_access(client, stranger, editor_client):
    assert editor_client.get("/decisions/office/").status_code == 200
    assert editor_client.get("/decisions/office/new/").status_code == 200
    other = client.__class__()
    other.force_login(stranger)
    assert other.get("/decisions/office/").status_code == 403
    anonymous = client.__class__()
    assert anonymous.get("/decisions/office/").status_code == 302


def test_late_warning_shown_before_confirmation(editor_client, council, monkeypatch):
    monkeypatch.setattr(drafts_module, "_today", lambda: dt.date(2027, 2, 5))  # latest day was 04.02
    response = _post(editor_client, council)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Строк оприлюднення минув" in text and "04.02.2027" in text and "18.02.2027" in text
    assert "ст. 15" in text and "confirm_late" in text
    assert not PublishedAct.objects.exists()
    # The form kept what was typed and the uploaded file (a token), nothing to add again.
    assert "Про бюджет громади" in text and 'name="file_token"' in text
    token = response.context["staged"].token
    response = _post(editor_client, council, file="", file_token=token, confirm_late="on")
    assert response.status_code == 302
    act = PublishedAct.objects.get()
    assert act.published_late and act.status == ActStatus.DRAFT
    page = editor_client.get(act.get_absolute_url()).content.decode()
    assert "оприлюднено із запізненням" in page


def test_in_time_draft_from_the_form(editor_client, council, monkeypatch):
    monkeypatch.setattr(drafts_module, "_today", lambda: dt.date(2027, 2, 1))
    assert _post(editor_client, council).status_code == 302
    act = PublishedAct.objects.get()
    assert not act.published_late and act.session_date == dt.date(2027, 2, 18)


def test_bad_input_keeps_data_and_names_fields(editor_client, council, monkeypatch):
    monkeypatch.setattr(drafts_module, "_today", lambda: dt.date(2027, 2, 1))
    response = _post(editor_client, council, session_date="31.02.2027", title="Про щось важливе")
    assert response.status_code == 400
    text = response.content.decode()
    assert "ДД.ММ.РРРР" in text and "Про щось важливе" in text
    response = _post(editor_client, council, file="")
    assert response.status_code == 400 and "PDF-файл" in response.content.decode()


def test_prepared_draft_publish_page_warns_then_publishes(editor_client, editor, council, monkeypatch):
    from django.utils import timezone

    from ratusha.registry.services import FileInput
    from ratusha.website.acts.services import act_draft_create

    monkeypatch.setattr(drafts_module, "_today", lambda: dt.date(2027, 2, 1))
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2027, 2, 1))
    act = act_draft_create(actor=editor, organisation=council, kind="council", title="Про тарифи",
                           session_date=dt.date(2027, 2, 18), file=FileInput(name="p.pdf", content=make_pdf()),
                           publish=False)
    office = editor_client.get("/decisions/office/").content.decode()
    assert "Лишилося 3 робочі дні" in office  # 01.02 → 04.02: at risk
    monkeypatch.setattr(drafts_module, "_today", lambda: dt.date(2027, 2, 8))
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2027, 2, 8))
    page = editor_client.get(f"/decisions/office/{act.pk}/publish/").content.decode()
    assert "Строк оприлюднення минув" in page and "04.02.2027" in page
    assert editor_client.post(f"/decisions/office/{act.pk}/publish/").status_code == 400  # not confirmed
    assert editor_client.post(f"/decisions/office/{act.pk}/publish/", {"confirm_late": "on"}).status_code == 302
    act.refresh_from_db()
    assert act.status == ActStatus.DRAFT and act.published_late


def test_edit_title_and_topic_keeps_address(editor_client, register_act):
    act = PublishedAct.objects.get(document=register_act())
    url = act.get_absolute_url()
    topic = Topic.objects.get(slug="osvita")
    response = editor_client.post(f"/decisions/office/{act.pk}/edit/", {"title": "Нова назва", "topic": str(topic.pk)})
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.title == "Нова назва" and act.topic == topic and act.get_absolute_url() == url


def test_topics_page_adds_a_topic(editor_client):
    response = editor_client.post("/decisions/office/topics/", {"name": "Культура", "keywords": "культур, музе",
                                                              "position": "90", "is_active": "on"})
    assert response.status_code == 302
    assert Topic.objects.filter(name="Культура", keywords="культур, музе").exists()
    response = editor_client.post("/decisions/office/topics/", {"name": "культура", "position": "90"})
    assert response.status_code == 400 and "вже є" in response.content.decode()


def test_withdraw_by_editor(editor_client, register_act, client):
    act = PublishedAct.objects.get(document=register_act())
    assert editor_client.post(f"/decisions/office/{act.pk}/withdraw/").status_code == 302
    act.refresh_from_db()
    assert act.status == ActStatus.WITHDRAWN
    assert client.get(act.get_absolute_url()).status_code == 410


def test_demo_loader_is_idempotent(editor, register_act):
    from ratusha.training.demo_acts import load_acts

    register_act("Про бюджет")
    first = load_acts()
    assert first["acts"] == 1
    second = load_acts()
    assert second["drafts"] == 0 and second["published"] == 0
    assert PublishedAct.objects.filter(segment="proiekty").count() == first["drafts"]


def test_topics_are_kept_by_the_website_editor_only(client, clerk, db):
    """A registrar (or an administrator) of an organisation publishes its acts, but the controlled list of
    topics is the council website's: the installation role only."""
    from tests.orgs.conftest import login_verified

    enterprise_admin = EmployeeFactory(organisation=OrganisationFactory(kind="municipal_enterprise"),
                                       roles=["admin", "registrar"]).user
    for user in (clerk, enterprise_admin):
        login_verified(client, user)
        response = client.post("/decisions/office/topics/", {"name": "Підроблена тема", "position": "1",
                                                             "is_active": "on"})
        assert response.status_code == 403
    assert not Topic.objects.filter(name="Підроблена тема").exists()
