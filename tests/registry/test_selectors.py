import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from ratusha.core.models import AuditEvent
from ratusha.orgs.models import Delegation, User
from ratusha.registry.models import Document
from ratusha.registry.selectors import (
    document_files,
    document_get,
    document_history,
    document_list,
    documents_visible_to,
    file_get_for_user,
    journals_for_user,
    my_documents,
)
from ratusha.registry.services import (
    document_access_grant,
    document_file_add,
    document_file_new_version,
    document_register,
    document_transition,
    document_update,
)
from tests.factories import EmployeeFactory, JournalFactory, OrganisationFactory, UnitFactory, UserFactory
from tests.registry.conftest import file_input, make_pdf

MARKS = ["public", "internal", "restricted", "personal"]
# Who may open a card of each access mark (the rule in registry/selectors.py).
EXPECTED = {
    "registrar":          {"public", "internal", "restricted", "personal"},
    "head":               {"public", "internal", "restricted", "personal"},
    "org_admin":          {"public", "internal", "restricted", "personal"},
    "reception":          {"public", "internal", "personal"},
    "staff":              {"public", "internal"},
    "assigned_executor":  {"public", "internal", "restricted", "personal"},
    "resolution_author":  {"public", "internal", "restricted", "personal"},
    "granted_user":       {"public", "internal", "restricted", "personal"},
    "unit_member":        {"public", "internal", "restricted", "personal"},
    "acting_head":        {"public", "internal", "restricted", "personal"},
    "acting_executor":    {"public", "internal", "restricted", "personal"},
    "expired_deputy":     {"public", "internal"},
    "outsider":           {"public"},
    "deputy_from_outside": {"public", "internal", "restricted", "personal"},
    "superuser":          set(),
    "inactive":           set(),
    "left_the_job":       set(),
    "anonymous":          set(),
}


@pytest.fixture
def world(org, registrar, head, reception, org_admin, outsider, today):
    """One card per access mark, and a user of every kind."""
    emp = lambda roles, **kw: EmployeeFactory(organisation=org, roles=roles, **kw).user  # noqa: E731
    journal = JournalFactory(organisation=org)
    unit = UnitFactory(organisation=org)
    users = {
        "registrar": registrar, "head": head, "reception": reception, "org_admin": org_admin,
        "staff": emp(["executor"]), "assigned_executor": emp(["executor"]),
        "resolution_author": emp(["executor"]), "granted_user": emp(["executor"]),
        "unit_member": emp(["executor"], unit=unit), "acting_head": emp(["executor"]),
        "acting_executor": emp(["executor"]), "expired_deputy": emp(["executor"]),
        "outsider": outsider, "deputy_from_outside": EmployeeFactory(roles=["executor"]).user,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "inactive": emp(["registrar"]), "left_the_job": emp(["registrar"]),
        "anonymous": AnonymousUser(),
    }
    head_employment = head.employments.get()
    executor_employment = users["assigned_executor"].employments.get()
    day = dt.timedelta(days=1)
    Delegation.objects.create(principal=head_employment, deputy=users["acting_head"], start=today - day, end=today + day)
    Delegation.objects.create(principal=executor_employment, deputy=users["acting_executor"], start=today, end=today)
    Delegation.objects.create(principal=head_employment, deputy=users["expired_deputy"],
                              start=today - 10 * day, end=today - day)
    Delegation.objects.create(principal=head_employment, deputy=users["deputy_from_outside"], start=today, end=today)
    User.objects.filter(pk=users["inactive"].pk).update(is_active=False)
    users["left_the_job"].employments.update(is_active=False)

    docs = {}
    for mark in MARKS:
        doc = document_register(actor=registrar, journal=journal, kind="letter", summary=f"Документ {mark}",
                                access=mark, executor=users["assigned_executor"])
        Document.objects.filter(pk=doc.pk).update(resolution_author=users["resolution_author"])
        document_access_grant(actor=head, document=doc, user=users["granted_user"])
        document_access_grant(actor=head, document=doc, unit=unit)
        docs[mark] = doc
    # Reload users so nothing is cached from set-up.
    for name, user in users.items():
        if name != "anonymous":
            users[name] = User.objects.get(pk=user.pk)
    return users, docs


@pytest.mark.parametrize("who", list(EXPECTED))
def test_list_and_get_filter_by_access_mark(world, who):
    users, docs = world
    user = users[who]
    listed = {doc.access for doc in document_list(user=user)}
    assert listed == EXPECTED[who]
    assert {d.access for d in documents_visible_to(user)} == EXPECTED[who]
    for mark, doc in docs.items():
        if mark in EXPECTED[who]:
            assert document_get(user=user, pk=doc.pk) == doc
        else:
            with pytest.raises(Http404):
                document_get(user=user, pk=doc.pk)


def test_get_with_a_malformed_id_is_404(registrar):
    with pytest.raises(Http404):
        document_get(user=registrar, pk="not-a-uuid")


def test_reading_a_personal_card_is_audited(world):
    users, docs = world
    before = AuditEvent.objects.filter(action="document.read_personal").count()
    document_get(user=users["reception"], pk=docs["internal"].pk)
    assert AuditEvent.objects.filter(action="document.read_personal").count() == before
    document_get(user=users["reception"], pk=docs["personal"].pk)
    event = AuditEvent.objects.filter(action="document.read_personal").latest("seq")
    assert (event.actor, event.object_id) == (users["reception"], str(docs["personal"].pk))


def test_list_filters(register, registrar, executor, outgoing_journal, today, org):
    a = register(correspondent="Обласна державна адміністрація", kind="letter", executor=executor)
    b = register(journal=outgoing_journal, correspondent="ТОВ «Дорбуд»", kind="application")
    c = register(reg_date=today - dt.timedelta(days=10), correspondent="обласна рада")
    document_transition(actor=registrar, document=b, to="in_work")
    ids = lambda qs: {d.pk for d in qs}  # noqa: E731
    assert ids(document_list(user=registrar)) == {a.pk, b.pk, c.pk}
    assert ids(document_list(user=registrar, journal=outgoing_journal)) == {b.pk}
    assert ids(document_list(user=registrar, organisation=org)) == {a.pk, b.pk, c.pk}
    assert ids(document_list(user=registrar, organisation=OrganisationFactory())) == set()
    assert ids(document_list(user=registrar, date_from=today - dt.timedelta(days=1))) == {a.pk, b.pk}
    assert ids(document_list(user=registrar, date_to=today - dt.timedelta(days=1))) == {c.pk}
    assert ids(document_list(user=registrar, correspondent="ОБЛАСНА")) == {a.pk, c.pk}
    assert ids(document_list(user=registrar, correspondent="обласна державна")) == {a.pk}
    assert ids(document_list(user=registrar, kind="application")) == {b.pk}
    assert ids(document_list(user=registrar, status="in_work")) == {b.pk}
    assert ids(document_list(user=executor, mine=True)) == {a.pk}
    assert [d.pk for d in document_list(user=registrar)][-1] == c.pk  # newest first


def test_my_documents(register, registrar, executor, org):
    assigned = register(executor=executor)
    unassigned = register()
    done = register(executor=executor)
    document_transition(actor=executor, document=done, to="executed")
    mine = my_documents(user=executor)
    assert [d.pk for d in mine["to_execute"]] == [assigned.pk]
    assert list(mine["registered_by_me"]) == []
    assert list(mine["to_register"]) == []
    assert list(mine["unassigned"]) == []
    mine = my_documents(user=registrar)
    assert {d.pk for d in mine["registered_by_me"]} == {assigned.pk, unassigned.pk, done.pk}
    assert [d.pk for d in mine["unassigned"]] == [unassigned.pk]
    assert my_documents(user=AnonymousUser())["to_execute"].count() == 0


def test_journals_for_user(org, registrar, executor, outsider, incoming_journal, outgoing_journal):
    closed = JournalFactory(organisation=org, is_active=False)
    assert set(journals_for_user(user=registrar, registering=True)) == {incoming_journal, outgoing_journal}
    assert set(journals_for_user(user=executor)) == {incoming_journal, outgoing_journal}
    assert list(journals_for_user(user=executor, registering=True)) == []
    assert incoming_journal not in journals_for_user(user=outsider)
    assert closed not in journals_for_user(user=registrar)
    assert list(journals_for_user(user=AnonymousUser())) == []


def test_history_lists_card_and_file_events_newest_first(register, registrar, executor):
    doc = register(files=[file_input()])
    file = doc.files.get()
    document_update(actor=registrar, document=doc, summary="Уточнений зміст")
    document_file_new_version(actor=registrar, file=file, name="v2.pdf", content=make_pdf("v2"))
    document_get(user=registrar, pk=doc.pk)
    history = document_history(user=registrar, document=doc)
    assert [e.action for e in history] == ["document.file_version", "document.update", "document.register"]
    assert history[0].seq > history[1].seq > history[2].seq
    # Another card's events are not in this history.
    other = register()
    assert all(e.object_id != str(other.pk) for e in document_history(user=registrar, document=doc))


def test_history_of_an_invisible_card_is_404(register, outsider):
    doc = register(access="restricted")
    with pytest.raises(Http404):
        document_history(user=outsider, document=doc)


def test_document_files_groups_versions(register, registrar):
    doc = register(files=[file_input("a.pdf", make_pdf("a")), file_input("b.pdf", make_pdf("b"))])
    a = doc.files.get(name="a.pdf")
    document_file_new_version(actor=registrar, file=a, name="a.pdf", content=make_pdf("a2"))
    document_file_new_version(actor=registrar, file=a, name="a.pdf", content=make_pdf("a3"))
    files = document_files(document=doc)
    assert [(f.name, f.version) for f in files] == [("a.pdf", 3), ("b.pdf", 1)]
    assert [v.version for v in files[0].versions] == [3, 2, 1]
    assert all(f.is_current for f in files)


def test_file_get_for_user_filters_and_audits_personal(register, registrar, executor, outsider, reception):
    doc = register(access="personal", files=[file_input()])
    file = doc.files.get()
    with pytest.raises(Http404):
        file_get_for_user(user=executor, pk=file.pk)
    with pytest.raises(Http404):
        file_get_for_user(user=outsider, pk=file.pk)
    assert file_get_for_user(user=reception, pk=file.pk) == file
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.object_id, event.actor) == ("document.file_read_personal", str(file.pk), reception)
    # The file read shows in the card's history.
    assert event in document_history(user=registrar, document=doc)
    public = register(access="public", files=[file_input(content=make_pdf("p"))])
    assert file_get_for_user(user=outsider, pk=public.files.get().pk).document == public


def test_executor_may_add_files_to_what_they_execute(register, executor, org):
    doc = register(executor=executor)
    other = EmployeeFactory(organisation=org, roles=["executor"]).user
    file = document_file_add(actor=executor, document=doc, name="відповідь.pdf", content=make_pdf("answer"))
    assert file.uploaded_by == executor
    from ratusha.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        document_file_add(actor=other, document=doc, name="x.pdf", content=make_pdf("x"))
