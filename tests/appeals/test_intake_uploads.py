"""Uploads on the public e-appeal form: a zip bomb refused unread, staging limited per address and by
quota (nothing stored when refused, everything typed kept), used uploads leave the quota."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ratusha.appeals.models import Appeal
from ratusha.core.models import Blob, StagedUpload
from tests.appeals.test_intake_support import PDF, form_data
from tests.zipbombs import MB, PeakMemory, odt_bomb

pytest_plugins = ["tests.appeals.test_intake_support"]
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

URL = "/appeals/new/"


@pytest.fixture(autouse=True)
def _own_blob_dir(settings, tmp_path):
    settings.BLOB_DIR = tmp_path / "blobs"


def pdf(n: int, size: int = 0) -> SimpleUploadedFile:
    """A distinct small «PDF» (by content), padded to ``size`` bytes."""
    data = PDF + f"% {n}\n".encode()
    return SimpleUploadedFile(f"скан-{n}.pdf", data + b"%" * max(0, size - len(data)), "application/pdf")


def post(client, data, files, ip="203.0.113.7"):
    return client.post(URL, {**data, "files": files}, REMOTE_ADDR=ip)


def file_errors(response) -> str:
    return " ".join(response.context["form"].errors.get("files", []))


def kept(response) -> bool:
    form = response.context["form"]
    return (
        form["last_name"].value() == "Петренко" and form["address"].value() == "вул. Лесі Українки, 5, кв. 12"
    )


def test_zip_bomb_is_refused_unread_with_the_form_kept(client, council):
    bomb = SimpleUploadedFile("заява.odt", odt_bomb(), "application/vnd.oasis.opendocument.text")
    with PeakMemory() as peak:
        response = post(client, form_data(council), [bomb])
    assert peak.growth < 50 * MB
    assert response.status_code == 400
    assert "Файл «заява.odt» не прийнято" in file_errors(response)
    assert kept(response) and "Петренко" in response.content.decode()
    assert not Appeal.objects.exists() and not Blob.objects.exists() and not StagedUpload.objects.exists()


def test_staging_over_the_address_rate_limit_is_refused_and_the_form_kept(client, council, settings):
    settings.UPLOAD_STAGE_LIMIT = 2
    first = post(client, form_data(council, text=""), [pdf(1), pdf(2)])  # an error: the files are staged
    assert first.status_code == 400 and len(first.context["staged"]) == 2
    tokens = [f.token for f in first.context["staged"]]

    second = client.post(
        URL, {**form_data(council, text=""), "staged": tokens, "files": [pdf(3)]}, REMOTE_ADDR="203.0.113.7"
    )

    assert second.status_code == 400
    assert "з вашої адреси завантажено забагато файлів" in file_errors(second)
    assert "хв." in file_errors(second) and kept(second)
    assert [f.name for f in second.context["staged"]] == ["скан-1.pdf", "скан-2.pdf"]  # the earlier ones stay
    assert StagedUpload.objects.count() == 2 and Blob.objects.count() == 2  # the refused one is not stored
    other = post(client, form_data(council, text=""), [pdf(4)], ip="198.51.100.1")  # another address
    assert other.status_code == 400 and len(other.context["staged"]) == 1


def test_per_address_quota_refuses_and_stores_nothing(client, council, settings):
    settings.UPLOAD_STAGE_IP_QUOTA_MB = 1
    first = post(client, form_data(council, text=""), [pdf(1, 600_000)])
    assert len(first.context["staged"]) == 1
    second = post(client, form_data(council, text=""), [pdf(2, 600_000)])
    assert "з вашої адреси вже завантажено файли, які ще не надіслано, на 1 МБ" in file_errors(second)
    assert kept(second) and StagedUpload.objects.count() == 1 and Blob.objects.count() == 1
    elsewhere = post(client, form_data(council, text=""), [pdf(3, 600_000)], ip="198.51.100.1")
    assert len(elsewhere.context["staged"]) == 1


def test_total_quota_of_anonymous_staging_refuses(client, council, settings):
    settings.UPLOAD_STAGE_QUOTA_MB = 1
    post(client, form_data(council, text=""), [pdf(1, 600_000)])
    response = post(client, form_data(council, text=""), [pdf(2, 600_000)], ip="198.51.100.1")
    assert "місце для тимчасових файлів зараз вичерпано" in file_errors(response)
    assert kept(response) and Blob.objects.count() == 1


def test_files_of_a_sent_appeal_leave_the_quota(client, council, settings):
    settings.UPLOAD_STAGE_IP_QUOTA_MB = 1
    first = post(client, form_data(council, text=""), [pdf(1, 600_000)])
    tokens = [f.token for f in first.context["staged"]]
    sent = client.post(URL, {**form_data(council), "staged": tokens}, REMOTE_ADDR="203.0.113.7")
    assert sent.status_code == 302 and Appeal.objects.get().attachments.count() == 1
    assert StagedUpload.objects.get().consumed_at is not None
    again = post(client, form_data(council, text=""), [pdf(2, 600_000)])
    assert len(again.context["staged"]) == 1 and not file_errors(again)
