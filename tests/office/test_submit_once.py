"""A create form is taken once per submission token: a resent POST answers with the first's result."""

import re

import pytest

from ratusha.core.models import FormSubmission
from ratusha.registry.models import Document
from tests.office.conftest import PDF_BYTES, upload
from tests.office.test_register import form_data

pytestmark = pytest.mark.django_db

URL = "/office/register/incoming/"


def token_in(body: str) -> str:
    found = re.findall(r'name="_submission" value="([^"]+)"', body)
    assert len(found) == 1, found
    return found[0]


def test_register_twice_with_one_token_makes_one_card(registrar_client, incoming_journal, casefile):
    token = token_in(registrar_client.get(URL).content.decode())
    data = {**form_data(incoming_journal), "_submission": token}
    first = registrar_client.post(URL, {**data, "files": [upload("Лист.pdf", PDF_BYTES)]})
    second = registrar_client.post(URL, {**data, "files": [upload("Лист.pdf", PDF_BYTES)]})
    doc = Document.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/office/documents/{doc.pk}/"
    assert FormSubmission.objects.get(token=token).result_url == f"/office/documents/{doc.pk}/"
    page = registrar_client.get(second["Location"]).content.decode()
    assert "Цю форму вже надіслано" in page


def test_a_new_form_gets_a_new_token_and_makes_a_second_card(registrar_client, incoming_journal, casefile):
    for n in range(2):
        token = token_in(registrar_client.get(URL).content.decode())
        data = form_data(incoming_journal, correspondent_index=f"45/02-1{n}", summary=f"Лист номер {n + 1}")
        assert registrar_client.post(URL, {**data, "_submission": token}).status_code == 302
    assert sorted(Document.objects.values_list("seq", flat=True)) == [1, 2]


def test_form_with_errors_keeps_its_token_and_can_be_sent_again(registrar_client, incoming_journal, casefile):
    token = token_in(registrar_client.get(URL).content.decode())
    bad = registrar_client.post(URL, {**form_data(incoming_journal, summary=""), "_submission": token})
    assert bad.status_code == 400 and token_in(bad.content.decode()) == token
    assert not FormSubmission.objects.exists()  # freed for the corrected form
    good = registrar_client.post(URL, {**form_data(incoming_journal), "_submission": token})
    assert good.status_code == 302 and Document.objects.count() == 1


def test_another_users_post_with_the_same_token_is_not_answered_with_the_first_card(
    client, org, registrar, incoming_journal, casefile
):
    from tests.factories import EmployeeFactory

    client.force_login(registrar)
    token = token_in(client.get(URL).content.decode())
    first = client.post(URL, {**form_data(incoming_journal), "_submission": token})
    client.force_login(EmployeeFactory(organisation=org, roles=["registrar"]).user)
    data = form_data(incoming_journal, correspondent_index="99/01", summary="Інший лист іншого діловода")
    second = client.post(URL, {**data, "_submission": token})
    assert second.status_code == 302 and second["Location"] != first["Location"]
    assert Document.objects.count() == 2


COVERED = [
    "/office/register/incoming/",
    "/office/register/outgoing/",
    "/office/register/internal/",
]


@pytest.mark.parametrize("url", COVERED)
def test_registration_pages_carry_the_token(registrar_client, incoming_journal, casefile, url):
    token_in(registrar_client.get(url).content.decode())


def test_card_create_forms_carry_the_token(registrar_client, register_doc):
    doc = register_doc(files=[])
    body = registrar_client.get(f"/office/documents/{doc.pk}/").content.decode()
    assert len(re.findall(r'name="_submission"', body)) >= 2  # file add, link add (versions per file)


def test_public_appeal_form_carries_the_token(client, org):
    response = client.get("/appeals/new/")
    assert response.status_code == 200
    token_in(response.content.decode())
