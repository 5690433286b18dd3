import datetime as dt

import pytest

from ratusha.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from ratusha.core.models import AuditEvent
from ratusha.orgs.models import Delegation
from ratusha.registry.models import Document, DocumentAccessGrant, DocumentFile, DocumentLink, JournalCounter
from ratusha.registry.selectors import document_duplicates, documents_visible_to
from ratusha.registry.services import (
    DuplicateRegistrationError,
    document_access_grant,
    document_cancel,
    document_link_add,
    document_transition,
    document_update,
)
from tests.factories import CaseFileFactory, EmployeeFactory, JournalFactory, OrganisationFactory, UnitFactory
from tests.registry.conftest import file_input

LETTER = {"correspondent": "ТОВ «Дорбуд»", "correspondent_index": "12/345", "correspondent_date": dt.date(2026, 1, 5)}


def _events(action, obj):
    return list(AuditEvent.objects.filter(action=action, object_id=str(obj.pk)))


def test_register_fills_the_card_and_writes_an_audit_event(register, registrar, executor, org, today):
    doc = register(files=[file_input("лист.pdf", comment="скан")], executor=executor, urgency="urgent",
                   on_control=True, execution_deadline=today + dt.timedelta(days=3), pages=2,
                   delivery_method="post", access="public", signed_by="Іваненко І. І.", **LETTER)
    doc.refresh_from_db()
    assert doc.organisation == org
    assert (doc.year, doc.seq, doc.reg_date, doc.status) == (today.year, 1, today, "registered")
    assert doc.registered_by == registrar
    assert doc.executor == executor
    assert (doc.urgency, doc.on_control, doc.pages, doc.access) == ("urgent", True, 2, "public")
    assert doc.duplicate_of is None
    files = list(DocumentFile.objects.filter(document=doc))
    assert [(f.name, f.comment, f.version) for f in files] == [("лист.pdf", "скан", 1)]
    [event] = _events("document.register", doc)
    assert event.actor == registrar
    assert event.params["reg_index"] == "1/01-10"
    assert event.params["seq"] == 1
    assert event.params["files"][0]["sha256"] == files[0].blob_id
    assert event.params["duplicate_of"] is None


def test_register_normalises_whitespace(register):
    doc = register(correspondent="  ТОВ   «Дорбуд» ", correspondent_index=" 12 / 345 ", summary="  Про ремонт  ")
    assert (doc.correspondent, doc.correspondent_index, doc.summary) == ("ТОВ «Дорбуд»", "12 / 345", "Про ремонт")


def test_correspondent_org_fills_a_blank_correspondent(register):
    other = OrganisationFactory(name="КП «Водоканал»")
    assert register(correspondent_org=other).correspondent == "КП «Водоканал»"


@pytest.mark.parametrize(("field", "kwargs"), [
    ("summary", {"summary": "   "}),
    ("kind", {"kind": "nonsense"}),
    ("urgency", {"urgency": "yesterday"}),
    ("access", {"access": "secret"}),
    ("delivery_method", {"delivery_method": "pigeon"}),
    ("pages", {"pages": -1}),
    ("reg_date", {"reg_date": dt.date.today() + dt.timedelta(days=5)}),
])
def test_register_refuses_bad_input_with_the_field_named(register, field, kwargs):
    with pytest.raises(ApplicationError) as exc:
        register(**kwargs)
    assert exc.value.field == field
    assert exc.value.message
    assert not Document.objects.exists()
    assert not JournalCounter.objects.filter(last_number__gt=0).exists()


def test_register_refuses_things_of_another_organisation(register, today):
    foreign_case = CaseFileFactory(year=today.year)
    with pytest.raises(ApplicationError) as exc:
        register(case_file=foreign_case)
    assert exc.value.field == "case_file"
    with pytest.raises(ApplicationError) as exc:
        register(unit=UnitFactory())
    assert exc.value.field == "unit"
    with pytest.raises(ApplicationError) as exc:
        register(executor=EmployeeFactory().user)
    assert exc.value.field == "executor"


def test_register_refuses_a_case_of_another_year(register, org, today):
    case = CaseFileFactory(organisation=org, year=today.year - 1)
    with pytest.raises(ApplicationError) as exc:
        register(case_file=case)
    assert exc.value.field == "case_file"
    assert str(today.year - 1) in exc.value.message


def test_closed_journal_refuses_registration(register, incoming_journal):
    incoming_journal.is_active = False
    incoming_journal.save()
    with pytest.raises(ApplicationError):
        register()


@pytest.mark.parametrize("who", ["executor", "head", "reception", "outsider"])
def test_only_registrars_and_admins_register(register, request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDeniedError) as exc:
        register(actor=user)
    assert "діловоди" in exc.value.message
    assert not Document.objects.exists()


def test_admin_and_acting_deputy_of_a_registrar_may_register(register, org_admin, registrar, org, today):
    assert register(actor=org_admin).seq == 1
    deputy = EmployeeFactory(organisation=org, roles=["executor"]).user
    with pytest.raises(PermissionDeniedError):
        register(actor=deputy)
    Delegation.objects.create(principal=registrar.employments.get(), deputy=deputy, start=today, end=today)
    deputy = type(deputy).objects.get(pk=deputy.pk)  # drop the per-request role cache
    assert register(actor=deputy).seq == 2


def test_links_are_created_with_the_registration(register, registrar):
    first = register()
    answer = register(links=[("answer_to", first)])
    link = DocumentLink.objects.get(source=answer)
    assert (link.target, link.kind, link.created_by) == (first, "answer_to", registrar)


# --- duplicates ---

def test_second_registration_of_the_same_letter_is_refused(register):
    first = register(**LETTER)
    with pytest.raises(DuplicateRegistrationError) as exc:
        register(correspondent="тов  «ДОРБУД»", correspondent_index="12/345",
                 correspondent_date=LETTER["correspondent_date"])
    assert exc.value.original == first
    assert exc.value.extra["original_id"] == str(first.pk)
    assert first.reg_index in exc.value.message
    assert Document.objects.count() == 1


def test_allowed_duplicate_points_to_the_first(register):
    first = register(**LETTER)
    second = register(allow_duplicate=True, **LETTER)
    assert second.duplicate_of == first
    assert second.seq == 2
    [event] = _events("document.register", second)
    assert event.params["duplicate_of"] == str(first.pk)


def test_not_duplicates(register, registrar, today):
    first = register(**LETTER)
    assert register(**(LETTER | {"correspondent_index": "12/346"})).duplicate_of is None
    assert register(**(LETTER | {"correspondent_date": dt.date(2026, 1, 6)})).duplicate_of is None
    assert register(**(LETTER | {"correspondent": "ТОВ «Дорбуд-2»"})).duplicate_of is None
    assert register(correspondent="ТОВ «Дорбуд»").duplicate_of is None  # no index: cannot tell
    # A cancelled registration is not an original.
    document_cancel(actor=registrar, document=first, reason="Помилка")
    assert register(**LETTER).duplicate_of is None
    # Another organisation may register the same letter.
    other = OrganisationFactory()
    other_registrar = EmployeeFactory(organisation=other, roles=["registrar"]).user
    other_journal = JournalFactory(organisation=other)
    assert register(actor=other_registrar, journal=other_journal, **LETTER).duplicate_of is None


def test_document_duplicates_selector(register, org):
    first = register(**LETTER)
    second = register(allow_duplicate=True, **LETTER)
    found = document_duplicates(organisation=org, correspondent=" тов «дорбуд» ", correspondent_index="12/345",
                                correspondent_date=LETTER["correspondent_date"])
    assert found == [first, second]
    assert document_duplicates(organisation=org, exclude=first, **LETTER) == [second]
    assert document_duplicates(organisation=org, correspondent="x", correspondent_index="",
                               correspondent_date=None) == []


# --- update ---

def test_update_records_each_change_old_to_new(register, registrar, executor, today):
    doc = register(summary="Старий зміст", pages=1)
    document_update(actor=registrar, document=doc, summary="Новий зміст", pages=3, executor=executor)
    assert (doc.summary, doc.pages, doc.executor) == ("Новий зміст", 3, executor)
    [event] = _events("document.update", doc)
    assert event.params["changes"]["summary"] == ["Старий зміст", "Новий зміст"]
    assert event.params["changes"]["pages"] == [1, 3]
    assert event.params["changes"]["executor"][0] is None
    assert event.params["changes"]["executor"][1]["id"] == str(executor.pk)


def test_update_without_changes_writes_nothing(register, registrar):
    doc = register(summary="Зміст")
    document_update(actor=registrar, document=doc, summary="Зміст")
    assert _events("document.update", doc) == []


@pytest.mark.parametrize("field", ["reg_index", "seq", "journal", "year", "status", "registered_by", "reg_date"])
def test_update_never_touches_the_number_or_journal(register, registrar, field):
    doc = register()
    with pytest.raises(ApplicationError):
        document_update(actor=registrar, document=doc, **{field: None})
    doc.refresh_from_db()
    assert (doc.seq, doc.reg_index) == (1, "1/01-10")


def test_update_validates_and_checks_permission(register, registrar, executor):
    doc = register()
    with pytest.raises(ApplicationError) as exc:
        document_update(actor=registrar, document=doc, summary="")
    assert exc.value.field == "summary"
    with pytest.raises(PermissionDeniedError):
        document_update(actor=executor, document=doc, summary="Чужа правка")
    doc.refresh_from_db()
    assert doc.summary == "Про ремонт дороги по вулиці Шевченка"


def test_cancelled_card_cannot_be_updated(register, registrar):
    doc = register()
    document_cancel(actor=registrar, document=doc, reason="Помилка")
    with pytest.raises(ApplicationError):
        document_update(actor=registrar, document=doc, summary="Нове")


# --- transitions ---

def test_transitions_follow_the_table(register, registrar, executor, today):
    doc = register(executor=executor)
    document_transition(actor=executor, document=doc, to="in_work")
    document_transition(actor=executor, document=doc, to="executed", execution_result="Відповідь надано",
                        answer_index="01-11/5")
    assert (doc.status, doc.executed_on, doc.answer_index) == ("executed", today, "01-11/5")
    document_transition(actor=registrar, document=doc, to="filed")
    with pytest.raises(TransitionError) as exc:
        document_transition(actor=registrar, document=doc, to="in_work")
    assert "До справи" in exc.value.message
    with pytest.raises(TransitionError):
        document_cancel(actor=registrar, document=doc, reason="Пізно")
    actions = [e.params["to"] for e in AuditEvent.objects.filter(action="document.transition",
                                                                object_id=str(doc.pk)).order_by("seq")]
    assert actions == ["in_work", "executed", "filed"]


def test_transition_rights(register, executor, head, org):
    other_executor = EmployeeFactory(organisation=org, roles=["executor"]).user
    doc = register(executor=executor)
    with pytest.raises(PermissionDeniedError):
        document_transition(actor=other_executor, document=doc, to="in_work")
    document_transition(actor=head, document=doc, to="in_work")
    assert doc.status == "in_work"
    with pytest.raises(ApplicationError):
        document_transition(actor=head, document=doc, to="executed", reason="unexpected")


def test_cancel_needs_a_reason_and_a_registrar(register, registrar, executor):
    doc = register(executor=executor)
    with pytest.raises(ApplicationError) as exc:
        document_cancel(actor=registrar, document=doc, reason="  ")
    assert exc.value.field == "reason"
    with pytest.raises(PermissionDeniedError):
        document_cancel(actor=executor, document=doc, reason="Не хочу")
    document_cancel(actor=registrar, document=doc, reason="Зареєстровано помилково")
    assert doc.status == "cancelled"
    assert doc.cancelled_at is not None
    assert doc.cancelled_reason == "Зареєстровано помилково"
    [event] = _events("document.cancel", doc)
    assert event.params == {"from": "registered", "to": "cancelled", "reason": "Зареєстровано помилково"}
    with pytest.raises(TransitionError):
        document_transition(actor=registrar, document=doc, to="in_work")


# --- links and grants ---

def test_link_add(register, registrar):
    a, b = register(), register()
    link = document_link_add(actor=registrar, source=b, target=a, kind="in_execution_of")
    assert (link.source, link.target, link.kind) == (b, a, "in_execution_of")
    [event] = _events("document.link_add", b)
    assert event.params["target"] == str(a.pk)
    with pytest.raises(ApplicationError) as exc:
        document_link_add(actor=registrar, source=b, target=a, kind="in_execution_of")
    assert exc.value.code == "link_exists"
    with pytest.raises(ApplicationError):
        document_link_add(actor=registrar, source=a, target=a, kind="related")
    with pytest.raises(ApplicationError):
        document_link_add(actor=registrar, source=a, target=b, kind="bogus")


def test_link_target_must_be_visible(register, registrar):
    other = OrganisationFactory()
    other_registrar = EmployeeFactory(organisation=other, roles=["registrar"]).user
    foreign = register(actor=other_registrar, journal=JournalFactory(organisation=other))
    mine = register()
    with pytest.raises(ApplicationError) as exc:
        document_link_add(actor=registrar, source=mine, target=foreign, kind="related")
    assert exc.value.code == "link_target"
    assert not DocumentLink.objects.exists()


def test_access_grant_to_user_and_unit(register, registrar, executor, head, org):
    doc = register(access="restricted")
    unit = UnitFactory(organisation=org)
    member = EmployeeFactory(organisation=org, unit=unit, roles=["executor"]).user
    assert not documents_visible_to(executor).filter(pk=doc.pk).exists()
    grant = document_access_grant(actor=head, document=doc, user=executor)
    assert document_access_grant(actor=head, document=doc, user=executor) == grant  # idempotent
    assert documents_visible_to(executor).filter(pk=doc.pk).exists()
    assert not documents_visible_to(member).filter(pk=doc.pk).exists()
    document_access_grant(actor=registrar, document=doc, unit=unit)
    assert documents_visible_to(member).filter(pk=doc.pk).exists()
    assert len(_events("document.access_grant", doc)) == 2
    with pytest.raises(PermissionDeniedError):
        document_access_grant(actor=executor, document=doc, user=member)
    with pytest.raises(ApplicationError):
        document_access_grant(actor=head, document=doc)
    with pytest.raises(ApplicationError):
        document_access_grant(actor=head, document=doc, unit=UnitFactory())
    assert DocumentAccessGrant.objects.count() == 2


def test_refused_duplicate_leaves_no_gap(register):
    register(**LETTER)
    with pytest.raises(DuplicateRegistrationError):
        register(**LETTER)
    assert register().seq == 2


def _register_letter(user_pk, journal_pk):
    from ratusha.orgs.models import User
    from ratusha.registry.models import Journal
    from ratusha.registry.services import document_register

    user, journal = User.objects.get(pk=user_pk), Journal.objects.get(pk=journal_pk)
    try:
        document_register(actor=user, journal=journal, kind="letter", summary="Той самий лист", **LETTER)
    except DuplicateRegistrationError:
        return "duplicate"
    return "registered"


@pytest.mark.django_db(transaction=True)
def test_the_same_letter_registered_concurrently_is_registered_once():
    from tests.concurrency import run_concurrently

    org = OrganisationFactory()
    journal = JournalFactory(organisation=org)
    users = [EmployeeFactory(organisation=org, roles=["registrar"]).user for _ in range(8)]
    outcomes = run_concurrently(_register_letter, [(u.pk, journal.pk) for u in users])
    assert sorted(map(str, outcomes)) == ["duplicate"] * 7 + ["registered"]
    assert list(Document.objects.values_list("seq", flat=True)) == [1]
