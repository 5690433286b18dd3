"""A registration sent after the session ended is kept, offered again after sign-in, and then gone."""

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.utils import timezone

from ratusha.core.models import ParkedSubmission
from ratusha.core.parking import COOKIE
from ratusha.registry.models import Document
from tests.office.conftest import PDF_BYTES, upload
from tests.office.test_register import form_data

pytestmark = pytest.mark.django_db

URL = "/office/register/incoming/"
PASSWORD = "correct horse battery staple"
SUMMARY = "Про ремонт даху школи № 5 — набрано до завершення сеансу"


def post_expired(client, journal):
    return client.post(
        URL,
        {
            **form_data(journal, summary=SUMMARY),
            "files": [upload("Скан.pdf", PDF_BYTES)],
            "password": "secret-should-not-be-kept",
        },
    )


def test_expired_post_is_kept_through_login_and_sent_once_confirmed(
    client, registrar, incoming_journal, casefile
):
    parked_answer = post_expired(client, incoming_journal)
    assert parked_answer.status_code == 302 and parked_answer["Location"].startswith("/office/login/")
    parked = ParkedSubmission.objects.get()
    assert "password" not in parked.fields and "csrfmiddlewaretoken" not in parked.fields
    assert [f["name"] for f in parked.files] == ["Скан.pdf"]
    assert not Document.objects.exists()  # never sent by itself

    login = client.post(parked_answer["Location"], {"username": registrar.username, "password": PASSWORD})
    assert login["Location"] == URL
    page = client.get(URL)
    body = html.unescape(page.content.decode())
    assert "Ваш сеанс завершився; ми зберегли введене — перевірте й надішліть ще раз." in body
    assert SUMMARY in body, re.findall(r"<textarea[^>]*>[^<]*", body)
    assert "Скан.pdf" in body
    assert not Document.objects.exists()
    reference = re.search(r'name="_parked" value="([^"]+)"', body).group(1)
    token = re.search(r'name="_submission" value="([^"]+)"', body).group(1)

    sent = client.post(
        URL, {**form_data(incoming_journal, summary=SUMMARY), "_parked": reference, "_submission": token}
    )
    doc = Document.objects.get()
    assert sent["Location"] == f"/office/documents/{doc.pk}/"
    assert doc.summary == SUMMARY and [f.name for f in doc.files.all()] == ["Скан.pdf"]
    assert not ParkedSubmission.objects.exists()
    assert sent.cookies[COOKIE].value == ""  # the cookie is deleted too
    assert "Ваш сеанс завершився" not in client.get(URL).content.decode()


def test_another_browser_does_not_get_the_parked_data(client, registrar, incoming_journal, casefile):
    post_expired(client, incoming_journal)
    other = Client()
    other.force_login(registrar)
    body = html.unescape(other.get(URL).content.decode())
    assert SUMMARY not in body and "Скан.pdf" not in body and 'name="_parked"' not in body
    parked = ParkedSubmission.objects.get()
    other.post(URL, {**form_data(incoming_journal), "_parked": str(parked.pk)})
    assert not Document.objects.filter(files__name="Скан.pdf").exists()
    assert ParkedSubmission.objects.filter(pk=parked.pk).exists()


def test_parked_data_expires(client, registrar, incoming_journal, casefile, settings):
    from ratusha.core.parking import parked_purge_expired
    from ratusha.core.storage import blob_path

    post_expired(client, incoming_journal)
    parked = ParkedSubmission.objects.get()
    sha = parked.files[0]["sha256"]
    ParkedSubmission.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client.force_login(registrar)
    assert SUMMARY not in html.unescape(client.get(URL).content.decode())
    assert parked_purge_expired() == 1
    assert not ParkedSubmission.objects.exists()
    assert not blob_path(sha).exists()  # the file kept only for parking is gone with it


def test_files_beyond_the_cap_are_not_kept(client, incoming_journal, settings):
    settings.PARKING_MAX_MB = 0
    post_expired(client, incoming_journal)
    parked = ParkedSubmission.objects.get()
    assert parked.files == [] and parked.fields["summary"] == [SUMMARY]
