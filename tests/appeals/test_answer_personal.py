"""Answers to appeals are PERSONAL (Law 2297-VI; docs/legal.md §7), enforced by the registry whatever access was
asked for: registered with a «Відповідь на» link to an appeal's card (office form, service, approvals
draft), linked afterwards, or recorded as the appeal's answer. Controllers, executors and web editors
neither open them nor find them by the applicant's surname; appeals officers and registrars do."""

import importlib

import pytest
from django.apps import apps as django_apps

from ratusha.appeals import services as svc
from ratusha.registry.constants import AccessMark, LinkKind
from ratusha.registry.models import Document
from ratusha.registry.selectors import document_list
from ratusha.registry.services import document_link_add, document_register, document_update
from ratusha.search.services import index_document
from ratusha.workflow.approvals.models import Draft
from tests.appeals.glue_helpers import answer_draft, outgoing_journal, route, sign_draft
from tests.appeals.office_helpers import answer_document, register_written
from tests.factories import EmployeeFactory
from tests.orgs.conftest import login_verified

pytest_plugins = ["tests.appeals.office"]
pytestmark = pytest.mark.django_db

SURNAME = "Коваленко"  # the applicant of register_written


def _register_answer(w, appeal, **kwargs):
    return document_register(
        actor=w.registrar,
        journal=outgoing_journal(w),
        kind="letter",
        summary="Щодо ремонту дороги",
        correspondent="Коваленко Іван Петрович",
        **kwargs,
    )


def _web_editor(w):
    return EmployeeFactory(organisation=w.org, roles=["web_editor"]).user


def test_posting_internal_for_an_answer_still_yields_personal(client, appeals_world):
    w = appeals_world
    appeal = register_written(w)
    outgoing_journal(w)
    login_verified(client, w.registrar)
    response = client.post(
        "/office/register/outgoing/",
        {
            "journal": str(outgoing_journal(w).pk),
            "kind": "letter",
            "summary": "Щодо ремонту дороги",
            "correspondent": "Коваленко Іван Петрович",
            "access": "internal",
            "urgency": "normal",
            "delivery_method": "post",
            "link_kind": "answer_to",
            "link_target": str(appeal.document.pk),
            "link_query": appeal.document.reg_index,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    answer = Document.objects.get(links_out__target=appeal.document)
    assert answer.access == AccessMark.PERSONAL


def test_who_opens_and_finds_the_answer(client, appeals_world):
    w = appeals_world
    appeal = register_written(w)
    answer = _register_answer(
        w, appeal, access=AccessMark.INTERNAL, links=[(LinkKind.ANSWER_TO, appeal.document)]
    )
    assert answer.access == AccessMark.PERSONAL
    index_document(document_id=answer.pk)
    url = f"/office/documents/{answer.pk}/"
    for user in (w.controller, w.executor, _web_editor(w)):
        login_verified(client, user)
        assert client.get(url).status_code in (403, 404)
        found = client.get("/office/search/", {"q": SURNAME}).content.decode()
        assert url not in found and "Щодо ремонту дороги" not in found
        assert answer not in document_list(user=user, correspondent=SURNAME)
        journal_page = client.get(f"/office/journals/{answer.journal_id}/").content.decode()
        assert url not in journal_page
    for user in (w.officer, w.registrar):
        login_verified(client, user)
        assert client.get(url).status_code == 200
        assert url in client.get("/office/search/", {"q": SURNAME}).content.decode()
        assert answer in document_list(user=user, correspondent=SURNAME)


def test_an_approvals_draft_answering_an_appeal_is_registered_personal(appeals_world):
    w = appeals_world
    appeal = register_written(w)
    route(w, appeal)
    appeal.refresh_from_db()
    draft = answer_draft(w, appeal)
    Draft.objects.filter(pk=draft.pk).update(access=AccessMark.INTERNAL)  # whatever the draft asked for
    draft.refresh_from_db()
    answer = sign_draft(w, draft)
    assert answer.access == AccessMark.PERSONAL
    # the draft's author (the responsible executor) keeps the card they prepared
    assert answer.grants.filter(user=w.executor).exists()
    assert list(svc.answer_candidates(user=w.officer, appeal=appeal)) == [answer]


def test_linking_or_recording_an_answer_makes_it_personal(appeals_world):
    w = appeals_world
    appeal = register_written(w)
    linked_later = _register_answer(w, appeal, access=AccessMark.INTERNAL)
    assert linked_later.access == AccessMark.INTERNAL
    document_link_add(actor=w.registrar, source=linked_later, target=appeal.document, kind=LinkKind.ANSWER_TO)
    linked_later.refresh_from_db()
    assert linked_later.access == AccessMark.PERSONAL
    # changing the access back is refused silently: an answer stays PERSONAL
    document_update(actor=w.registrar, document=linked_later, access=AccessMark.INTERNAL)
    assert linked_later.access == AccessMark.PERSONAL

    recorded = answer_document(w)  # no link: recorded through the appeals answer flow
    assert recorded.access == AccessMark.INTERNAL
    route(w, appeal)
    appeal.refresh_from_db()
    svc.appeal_answer(
        actor=w.officer,
        appeal=appeal,
        answer_document=recorded,
        outcome="satisfied",
        channel="post",
        expected_version=appeal.version,
    )
    recorded.refresh_from_db()
    assert recorded.access == AccessMark.PERSONAL


def test_a_link_to_an_ordinary_card_changes_nothing(appeals_world):
    w = appeals_world
    ordinary = _register_answer(w, None, access=AccessMark.INTERNAL)
    reply = _register_answer(w, None, access=AccessMark.INTERNAL, links=[(LinkKind.ANSWER_TO, ordinary)])
    assert reply.access == AccessMark.INTERNAL


def test_the_migration_makes_existing_answers_personal(appeals_world):
    w = appeals_world
    appeal = register_written(w)
    linked = _register_answer(w, appeal, links=[(LinkKind.ANSWER_TO, appeal.document)])
    other = _register_answer(w, appeal)
    Document.objects.filter(pk__in=[linked.pk, other.pk]).update(access=AccessMark.INTERNAL)  # as before
    migration = importlib.import_module("ratusha.appeals.migrations.0003_answers_are_personal")
    assert migration.answers_make_personal(django_apps, None) == 1
    linked.refresh_from_db()
    other.refresh_from_db()
    assert (linked.access, other.access) == (AccessMark.PERSONAL, AccessMark.INTERNAL)
