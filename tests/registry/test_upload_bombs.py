"""Zip bombs sent as uploads are refused unread: a clear Ukrainian message, nothing stored, memory bounded."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ratusha.core.errors import ApplicationError
from ratusha.core.models import Blob, StagedUpload
from ratusha.registry.services import upload_check, upload_stage
from tests.zipbombs import MB, PeakMemory, lying_odt, odt_bomb, xlsx_bomb

pytestmark = pytest.mark.django_db
BOUND = 50 * MB


@pytest.mark.parametrize("make", [odt_bomb, xlsx_bomb, lying_odt], ids=["odt", "xlsx", "lying-odt"])
def test_upload_check_refuses_a_bomb_without_unpacking_it(make):
    bomb = make()
    assert len(bomb) < 2 * MB
    with PeakMemory() as peak, pytest.raises(ApplicationError) as caught:
        upload_check(name="рішення.odt", content=bomb)
    assert peak.growth < BOUND
    assert caught.value.code == "upload_bomb" and caught.value.field == "files"
    assert (
        "«рішення.odt» не прийнято" in caught.value.message and "надто великий обсяг" in caught.value.message
    )


def test_staging_a_bomb_stores_nothing(registrar):
    with pytest.raises(ApplicationError):
        upload_stage(actor=registrar, name="a.odt", content=odt_bomb())
    assert not Blob.objects.exists() and not StagedUpload.objects.exists()


def test_card_file_upload_refuses_a_bomb_with_the_comment_kept(client, register, registrar):
    doc = register()
    client.force_login(registrar)
    bomb = SimpleUploadedFile("додаток.odt", odt_bomb(), "application/vnd.oasis.opendocument.text")
    with PeakMemory() as peak:
        response = client.post(
            reverse("registry:file_add", args=[doc.pk]), {"file": bomb, "comment": "скан заяви"}
        )
    assert peak.growth < BOUND
    assert response.status_code == 400
    form = response.context["file_form"]
    assert "«додаток.odt» не прийнято" in " ".join(form.errors["file"])
    assert form["comment"].value() == "скан заяви"
    assert "скан заяви" in response.content.decode()
    assert doc.files.count() == 0 and not Blob.objects.exists()
