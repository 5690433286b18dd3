"""The same registration form sent several times at once (own connections): one card, gapless numbers."""

import pytest
from django.db import connection
from django.test import Client

from ratusha.core.models import FormSubmission
from ratusha.registry.models import Document
from tests.concurrency import run_concurrently
from tests.office.test_register import form_data

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/office/register/incoming/"


def test_one_token_posted_at_once_makes_one_card(registrar, incoming_journal, casefile):
    threads = 4 if connection.vendor == "postgresql" else 3
    token = "concurrent-token-0123456789abcdef"
    clients = []
    for _ in range(threads):
        client = Client()
        client.force_login(registrar)
        clients.append(client)

    def post(client):
        return client.post(URL, {**form_data(incoming_journal), "_submission": token})

    outcomes = run_concurrently(post, [(c,) for c in clients])
    assert all(getattr(o, "status_code", None) == 302 for o in outcomes), outcomes
    doc = Document.objects.get()
    assert {o["Location"] for o in outcomes} == {f"/office/documents/{doc.pk}/"}
    assert FormSubmission.objects.filter(token=token).count() == 1

    # The next form, with its own token, takes the next number: no gap was burnt by the repeats.
    data = form_data(incoming_journal, correspondent_index="46/02-11", summary="Наступний лист")
    assert clients[0].post(URL, {**data, "_submission": "next-token-0123456789abcdef"}).status_code == 302
    assert sorted(Document.objects.values_list("seq", flat=True)) == [1, 2]
