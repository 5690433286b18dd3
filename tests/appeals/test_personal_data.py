"""Applicants' personal data (Law 2297-VI; docs/legal.md §7): who sees appeals, who sees the details unmasked,
every unmasked read audited, outsiders get 404, lists and searches never leak."""

import datetime as dt

import pytest
from django.utils import timezone

from ratusha.appeals import selectors
from ratusha.appeals.personal import mask_email, mask_full_name, mask_name, mask_phone
from ratusha.core.models import AuditEvent
from ratusha.orgs.models import Delegation, Employee
from ratusha.registry.selectors import documents_visible_to
from ratusha.workflow.services import resolution_create
from tests.appeals.office_helpers import pdf_bytes, register_written
from tests.orgs.conftest import login_verified

pytest_plugins = ["tests.appeals.office"]

SECRETS = ("Коваленко", "ivan.kovalenko@example.org", "123 45 67", "вул. Шевченка, буд. 12", "Петренко")


def test_masks():
    assert mask_name("Коваленко", "Іван", "Петрович") == "К***о І. П."
    assert mask_name("Ли", "Ан", "") == "Л*** А."
    assert mask_full_name("Петренко Олег Ігорович") == "П***о О. І."
    assert mask_email("someone@gmail.com") == "***@gmail.com"
    assert mask_phone("+380 67 123 45 67") == "+380 ** *** ** 67"
    assert mask_phone("067 123 45 89") == "+380 ** *** ** 89"
    assert mask_phone("") == "" and mask_email("") == ""


@pytest.fixture
def appeal(appeals_world):
    from ratusha.registry.services import FileInput

    return register_written(appeals_world, cosigners=[("Петренко Олег Ігорович", "вул. Лесі Українки, 3")],
                            files=[FileInput("Скан.pdf", pdf_bytes())])


def _assign(w, appeal):
    """The head gives the executor access to the PERSONAL card and an assignment on it (the workflow glue)."""
    from ratusha.registry.services import document_access_grant

    document_access_grant(actor=w.head, document=appeal.document, user=w.executor)
    resolution_create(actor=w.head, document=appeal.document, text="Розглянути та підготувати відповідь.",
                      responsible=w.executor)


def _ids(user):
    return set(selectors.appeals_visible_to(user).values_list("pk", flat=True))


def test_who_sees_the_appeal(appeals_world, appeal):
    w = appeals_world
    for who in ("officer", "registrar", "head", "admin", "controller"):
        assert _ids(getattr(w, who)) == {appeal.pk}, who
    assert _ids(w.executor) == set() and _ids(w.outsider) == set()
    _assign(w, appeal)
    assert _ids(w.executor) == {appeal.pk}  # executors of the appeal's assignments see it


def test_the_head_s_deputy_sees_it_while_acting(appeals_world, appeal):
    w = appeals_world
    today = timezone.localdate()
    Delegation.objects.create(principal=Employee.objects.get(user=w.head), deputy=w.executor,
                              start=today, end=today + dt.timedelta(days=2))
    assert _ids(w.executor) == {appeal.pk}


def test_full_details_only_for_handlers_and_every_read_is_audited(appeals_world, appeal):
    w = appeals_world
    masked = selectors.appeal_applicant(user=w.controller, appeal=appeal)
    assert masked.masked and masked.name == "К***о І. П." and masked.email == "***@example.org"
    assert masked.phone == "+380 ** *** ** 67" and masked.address == "***"
    assert masked.cosigners == [{"full_name": "П***о О. І.", "address": "***"}]
    assert selectors.appeal_attachments(user=w.controller, appeal=appeal) == []
    assert not AuditEvent.objects.filter(action="appeal.personal_read").exists()
    full = selectors.appeal_applicant(user=w.officer, appeal=appeal)
    assert not full.masked and full.name == "Коваленко Іван Петрович" and full.phone == "+380 67 123 45 67"
    [event] = AuditEvent.objects.filter(action="appeal.personal_read")
    assert event.actor == w.officer and event.object_id == str(appeal.pk)
    _assign(w, appeal)
    assert not selectors.appeal_applicant(user=w.executor, appeal=appeal).masked
    assert AuditEvent.objects.filter(action="appeal.personal_read", actor=w.executor).count() == 1


def test_pages_mask_for_the_controller_and_refuse_outsiders(appeals_world, appeal, client):
    w = appeals_world
    client.force_login(w.controller)
    page = client.get(f"/office/appeals/{appeal.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    for secret in SECRETS:
        assert secret not in html, secret
    assert "К***о І. П." in html and "Скан.pdf" not in html and appeal.tracking_code not in html
    listing = client.get("/office/appeals/").content.decode()
    assert "К***о І. П." in listing and "Коваленко" not in listing
    attachment = appeal.attachments.get()
    assert client.get(f"/office/appeals/{appeal.pk}/attachments/{attachment.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(action__in=["appeal.personal_read", "appeal.attachment_read"]).exists()
    client.force_login(w.outsider)
    assert client.get(f"/office/appeals/{appeal.pk}/").status_code == 404
    assert client.get(f"/office/appeals/{appeal.pk}/attachments/{attachment.pk}/").status_code == 404
    outsider_list = client.get("/office/appeals/?text=Коваленко").content.decode()
    assert "Коваленко Іван" not in outsider_list and "К***о" not in outsider_list and "ap-sum-" not in outsider_list
    assert client.post(f"/office/appeals/{appeal.pk}/return/", {"explanation": "x"}).status_code == 404
    client.force_login(w.executor)
    assert client.get("/office/appeals/").status_code == 403
    assert client.get(f"/office/appeals/{appeal.pk}/").status_code == 404


def test_handlers_see_everything_and_the_reads_are_logged(appeals_world, appeal, client):
    w = appeals_world
    client.force_login(w.officer)
    html = client.get(f"/office/appeals/{appeal.pk}/").content.decode()
    assert "Коваленко Іван Петрович" in html and "ivan.kovalenko@example.org" in html and "Скан.pdf" in html
    assert AuditEvent.objects.filter(action="appeal.personal_read", actor=w.officer,
                                     object_id=str(appeal.pk), params__context="appeal").count() == 1
    listing = client.get("/office/appeals/").content.decode()
    assert "Коваленко Іван Петрович" in listing
    list_event = AuditEvent.objects.filter(action="appeal.personal_read", params__context="list").get()
    assert list_event.params["appeals"] == [str(appeal.pk)]
    attachment = appeal.attachments.get()
    response = client.get(f"/office/appeals/{appeal.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="appeal.attachment_read", actor=w.officer).count() == 1


def test_the_card_and_search_never_leak(appeals_world, appeal, client):
    w = appeals_world
    assert not documents_visible_to(w.controller).filter(pk=appeal.document_id).exists()
    assert not documents_visible_to(w.executor).filter(pk=appeal.document_id).exists()
    assert not documents_visible_to(w.outsider).filter(pk=appeal.document_id).exists()
    assert documents_visible_to(w.officer).filter(pk=appeal.document_id).exists()
    client.force_login(w.controller)
    # The text filter searches the substance, the number and the tracking code — never the applicant.
    assert client.get("/office/appeals/?text=Коваленко").content.decode().count("К***о") == 0
    assert "К***о" in client.get("/office/appeals/?text=дорогу").content.decode()


def test_the_submitted_queue_is_for_registering_officers(appeals_world, client):
    w = appeals_world
    client.force_login(w.controller)
    assert client.get("/office/appeals/submitted/").status_code == 403
    login_verified(client, w.admin)
    assert client.get("/office/appeals/submitted/").status_code == 403
    client.force_login(w.officer)
    assert client.get("/office/appeals/submitted/").status_code == 200
