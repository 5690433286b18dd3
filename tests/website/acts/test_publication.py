"""Automatic publication of acts from the registry (art. 15 of Law 2939-VI)."""

import pytest
from django.urls import reverse

from ratusha.core.models import AuditEvent
from ratusha.registry.constants import AccessMark, JournalKind
from ratusha.registry.services import document_cancel, document_update
from ratusha.website.acts.constants import ActKind, ActStatus
from ratusha.website.acts.models import PublishedAct
from ratusha.website.acts.services import act_sweep, act_update

pytestmark = pytest.mark.django_db


def test_public_council_decision_is_published_on_registration(register_act):
    doc = register_act("Про затвердження бюджету громади на 2027 рік")
    act = PublishedAct.objects.get(document=doc)
    assert act.status == ActStatus.ADOPTED and act.kind == ActKind.COUNCIL_DECISION
    assert act.number == doc.reg_index == "1-VIII" and act.date == doc.reg_date
    assert act.title == doc.summary and act.published_at and act.content_updated_at
    assert act.topic.slug == "biudzhet"  # guessed from «бюджету»
    assert act.get_absolute_url() == f"/decisions/rishennia-rady/{doc.year}/1-viii/"
    assert AuditEvent.objects.filter(action="act.publish", object_id=str(act.pk)).exists()


@pytest.mark.parametrize("kind, segment", [(JournalKind.EXECUTIVE_DECISIONS, "rishennia-vykonkomu"),
                                           (JournalKind.ORDERS, "rozporiadzhennia")])
def test_other_act_journals_are_published(register_act, kind, segment):
    doc = register_act("Про організацію прибирання території", kind=kind)
    act = PublishedAct.objects.get(document=doc)
    assert act.segment == segment
    if kind == JournalKind.ORDERS:
        assert act.slug == "1-r"  # «1-р» transliterated


@pytest.mark.parametrize("access", [AccessMark.INTERNAL, AccessMark.RESTRICTED, AccessMark.PERSONAL])
def test_non_public_act_is_not_published(register_act, access):
    doc = register_act("Про кадрові питання", access=access)
    assert not PublishedAct.objects.filter(document=doc).exists()


def test_public_incoming_letter_is_not_an_act(register_act):
    doc = register_act("Лист про ремонт", kind=JournalKind.INCOMING)
    assert not PublishedAct.objects.exists()
    assert doc.access == AccessMark.PUBLIC


def test_sweep_finds_missed_acts_and_is_idempotent(clerk, journals, register_act):
    from ratusha.registry.services import FileInput, document_register
    from tests.website.acts.conftest import make_pdf

    # Registered without running the after-commit hook (as if the worker had died).
    doc = document_register(actor=clerk, journal=journals[JournalKind.COUNCIL_DECISIONS], kind="decision",
                            summary="Про оренду земельної ділянки", access=AccessMark.PUBLIC,
                            files=[FileInput(name="r.pdf", content=make_pdf())])
    assert not PublishedAct.objects.filter(document=doc).exists()
    assert act_sweep() == {"published": 1, "changed": 0}
    act = PublishedAct.objects.get(document=doc)
    assert act.topic.slug == "zemlia"
    assert act_sweep() == {"published": 0, "changed": 0}
    assert PublishedAct.objects.count() == 1


def test_cancelled_card_is_withdrawn_and_answers_410(client, clerk, register_act,
                                                     django_capture_on_commit_callbacks):
    doc = register_act()
    act = PublishedAct.objects.get(document=doc)
    url = act.get_absolute_url()
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        document_cancel(actor=clerk, document=doc, reason="Помилкова реєстрація")
    act.refresh_from_db()
    assert act.status == ActStatus.WITHDRAWN and act.withdraw_reason == "cancelled"
    response = client.get(url)
    assert response.status_code == 410
    text = response.content.decode()
    assert "знято з оприлюднення" in text and f"{act.withdrawn_at:%d.%m.%Y}" in text
    assert client.get(act.get_pdf_url()).status_code == 410
    assert act_sweep() == {"published": 0, "changed": 0}


def test_access_change_withdraws_and_restores(clerk, register_act, django_capture_on_commit_callbacks):
    doc = register_act()
    with django_capture_on_commit_callbacks(execute=True):
        document_update(actor=clerk, document=doc, access=AccessMark.RESTRICTED)
    act = PublishedAct.objects.get(document=doc)
    assert act.status == ActStatus.WITHDRAWN and act.withdraw_reason == "access"
    url = act.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        document_update(actor=clerk, document=doc, access=AccessMark.PUBLIC)
    act.refresh_from_db()
    assert act.status == ActStatus.ADOPTED and act.get_absolute_url() == url


def test_sweep_withdraws_when_the_signal_was_missed(register_act):
    doc = register_act()
    type(doc).objects.filter(pk=doc.pk).update(access=AccessMark.INTERNAL)  # behind the services' back
    assert act_sweep() == {"published": 0, "changed": 1}
    assert PublishedAct.objects.get(document=doc).status == ActStatus.WITHDRAWN


def test_unknown_address_is_a_helpful_404(client, register_act):
    register_act()
    response = client.get("/decisions/rishennia-rady/2026/999-viii/")
    assert response.status_code == 404
    assert "Рішення за цією адресою не знайдено" in response.content.decode()
    assert client.get("/decisions/nonsense/2026/1/").status_code == 404
    assert client.get("/decisions/rishennia-rady/2026/999-viii/pdf/").status_code == 404


def test_permanent_url_stable_after_title_edit(client, editor, register_act):
    doc = register_act("Про затвердження програми розвитку освіти")
    act = PublishedAct.objects.get(document=doc)
    url = act.get_absolute_url()
    act_update(actor=editor, act=act, title="Про затвердження Програми розвитку освіти на 2027–2029 роки")
    act.refresh_from_db()
    assert act.get_absolute_url() == url
    response = client.get(url)
    assert response.status_code == 200 and "2027–2029" in response.content.decode()


def test_editor_of_another_council_cannot_edit(stranger, register_act):
    from ratusha.core.errors import PermissionDeniedError

    act = PublishedAct.objects.get(document=register_act())
    with pytest.raises(PermissionDeniedError):
        act_update(actor=stranger, act=act, title="Інше")


def test_pdf_download_headers(client, register_act):
    doc = register_act("Про встановлення тарифів")
    act = PublishedAct.objects.get(document=doc)
    response = client.get(act.get_pdf_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # RFC 6266/5987: the Ukrainian file name, percent-encoded in UTF-8.
    assert "filename*=utf-8''" in disposition
    from urllib.parse import unquote

    assert unquote(disposition.split("filename*=utf-8''")[1]) == f"Рішення ради № 1-VIII від {doc.reg_date:%d.%m.%Y}.pdf"
    assert int(response["Content-Length"]) == len(body)


def test_detail_shows_dates_and_pdf_size(client, register_act):
    doc = register_act()
    act = PublishedAct.objects.get(document=doc)
    text = client.get(act.get_absolute_url()).content.decode()
    assert "Оприлюднено" in text and "Оновлено" in text
    assert f"{act.published_at.astimezone().strftime('%d.%m.%Y')}" in text
    assert reverse("acts:pdf", args=[act.segment, act.year, act.slug]) in text
    assert "act__verify" not in text  # no signature code yet: no «Перевірити підпис» link


def test_signature_link_when_signing_knows_a_code(client, register_act, monkeypatch):
    from ratusha.signatures import selectors as signature_selectors

    doc = register_act()
    monkeypatch.setattr(signature_selectors, "verification_code_for_document",
                        lambda document: "ABCD-1234" if document.pk == doc.pk else None)
    text = client.get(PublishedAct.objects.get(document=doc).get_absolute_url()).content.decode()
    assert 'href="/verify/?code=ABCD-1234"' in text and "Перевірити підпис" in text


def test_subscribers_told_once_and_cache_cleared(register_act, monkeypatch):
    from ratusha.website import cache as site_cache
    from ratusha.website.audience import services as audience

    calls, clears = [], []
    monkeypatch.setattr(audience, "subscribers_notify", lambda **kw: calls.append(kw) or 1)
    monkeypatch.setattr(site_cache, "site_cache_clear", lambda: clears.append(1))
    doc = register_act("Про місцеві податки")
    act = PublishedAct.objects.get(document=doc)
    assert calls == [{"topic": "decisions", "title": "Про місцеві податки", "url": act.get_absolute_url(),
                      "summary": str(act), "key": f"decision:{act.pk}"}]
    assert clears


def test_new_file_version_moves_the_updated_date(clerk, register_act, django_capture_on_commit_callbacks):
    from ratusha.registry.models import DocumentFile
    from ratusha.registry.services import document_file_new_version
    from tests.website.acts.conftest import make_pdf

    doc = register_act()
    act = PublishedAct.objects.get(document=doc)
    before = act.content_updated_at
    with django_capture_on_commit_callbacks(execute=True):
        document_file_new_version(actor=clerk, file=DocumentFile.objects.get(document=doc), name="підписане.pdf",
                                  content=make_pdf("signed"))
    act.refresh_from_db()
    assert act.content_updated_at > before
