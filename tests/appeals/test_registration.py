"""Registration of appeals: the card in the appeals journal, Instruction 348 index, «КО»/«БП», terms from the
calendar, priority, attachments, audit, timeline; bad input; two officers registering one e-appeal at once."""

import datetime as dt

import pytest
from django.utils import timezone

from ratusha.appeals import services as svc
from ratusha.appeals.constants import AppealSign, AppealStatus, AppealSubject, Medium, ReceiptForm, TermKind
from ratusha.appeals.models import Appeal, AppealEvent
from ratusha.calendar.selectors import deadline
from ratusha.core.audit import audit_verify
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from ratusha.registry.constants import AccessMark, DocumentKind, JournalKind
from ratusha.registry.models import Document, DocumentFile, JournalCounter
from ratusha.registry.services import FileInput
from tests.appeals.office_helpers import (
    TEXT,
    build_world,
    pdf_bytes,
    register_written,
    submitted_appeal,
)
from tests.concurrency import run_concurrently
from tests.factories import JournalFactory

pytest_plugins = ["tests.appeals.office"]


def test_written_appeal_gets_a_card_in_the_appeals_journal(appeals_world):
    w = appeals_world
    appeal = register_written(w)
    appeal.refresh_from_db()
    doc = appeal.document
    assert appeal.status == AppealStatus.REGISTERED
    assert doc.journal == w.journal and doc.journal.kind == JournalKind.APPEALS
    assert doc.kind == DocumentKind.APPEAL and doc.access == AccessMark.PERSONAL
    assert doc.reg_index == f"К-{doc.seq}"  # Instruction 348: first letter of the surname + number
    assert doc.summary.startswith("Заява (клопотання): Прошу відремонтувати дорогу")
    assert doc.correspondent == "Коваленко Іван Петрович"
    assert doc.received_date == appeal.received_date == timezone.localdate()
    assert doc.registered_by == w.officer  # an appeals officer registers without the registrar role
    assert appeal.registered_by == w.officer and appeal.tracking_code
    assert appeal.term_kind == TermKind.MONTH
    assert appeal.deadline == deadline("appeal", appeal.received_date)
    assert appeal.sign == AppealSign.PRIMARY and appeal.sign_suggested == AppealSign.PRIMARY
    assert appeal.applicant_key and len(appeal.applicant_key) == 64
    event = AuditEvent.objects.get(action="appeal.register", object_id=str(appeal.pk))
    assert event.params["reg_index"] == doc.reg_index and event.params["marks"] == []
    assert event.params["deadline"] == appeal.deadline.isoformat()
    assert AuditEvent.objects.filter(action="document.register", object_id=str(doc.pk),
                                     params__appeal=str(appeal.pk)).exists()
    [timeline] = AppealEvent.objects.filter(appeal=appeal)
    assert timeline.status == AppealStatus.REGISTERED and doc.reg_index in timeline.message
    assert appeal.deadline.strftime("%d.%m.%Y") in timeline.message
    assert audit_verify() is None


def test_index_letters_and_plain_style(appeals_world, settings):
    w = appeals_world
    first = register_written(w, last_name="Євтушенко")
    anonymous = register_written(w, last_name="", first_name="", middle_name="")
    assert first.document.reg_index == f"Є-{first.document.seq}"
    assert anonymous.subject == AppealSubject.ANONYMOUS
    assert anonymous.document.reg_index == f"А-{anonymous.document.seq}"
    assert anonymous.document.correspondent == "Анонімне звернення"
    settings.APPEALS = {**settings.APPEALS, "INDEX_STYLE": "plain"}
    plain = register_written(w)
    assert plain.document.reg_index == f"ЗГ-{plain.document.seq}"  # the journal's own template
    assert [first.document.seq, anonymous.document.seq, plain.document.seq] == [1, 2, 3]


def test_numbering_stays_gapless_when_a_registration_fails(appeals_world):
    w = appeals_world
    register_written(w)
    with pytest.raises(ApplicationError):
        register_written(w, receipt_form=ReceiptForm.HOTLINE, medium=Medium.LETTER)
    with pytest.raises(ApplicationError):
        register_written(w, files=[FileInput("virus.exe", b"MZ\x90\x00" + b"\x00" * 64)])
    second = register_written(w)
    assert second.document.seq == 2
    assert JournalCounter.objects.get(journal=w.journal).last_number == 2
    assert Appeal.objects.count() == 2


def test_marks_collective_and_unsigned(appeals_world):
    w = appeals_world
    collective = register_written(w, cosigners=[svc.CosignerInput("Петренко Олег Ігорович", "вул. Лесі Українки, 3"),
                                                ("Сидоренко Анна Іванівна", "")])
    assert collective.subject == AppealSubject.COLLECTIVE
    assert list(collective.cosigners.values_list("full_name", flat=True)) == [
        "Петренко Олег Ігорович", "Сидоренко Анна Іванівна"]
    assert "КО" in collective.document.note and "БП" not in collective.document.note
    assert collective.document.correspondent == "Коваленко Іван Петрович та інші (колективне)"
    unsigned = register_written(w, is_signed=False)
    assert "БП" in unsigned.document.note
    electronic = register_written(w, is_signed=False, receipt_form=ReceiptForm.ELECTRONIC, medium=Medium.ELECTRONIC)
    assert "БП" not in electronic.document.note  # no signature is required of an e-appeal (art. 5)
    oral = register_written(w, receipt_form=ReceiptForm.RECEPTION, medium=Medium.ORAL, is_signed=False)
    assert oral.document.note == ""
    event = AuditEvent.objects.get(action="appeal.register", object_id=str(collective.pk))
    assert event.params["marks"] == ["КО"]


@pytest.mark.parametrize("received", [dt.date(2025, 1, 31), dt.date(2025, 3, 29), dt.date(2025, 12, 31)])
def test_terms_come_from_the_calendar(appeals_world, received, monkeypatch):
    w = appeals_world
    month = register_written(w, received_date=received)
    urgent = register_written(w, received_date=received, no_extra_study=True)
    assert month.deadline == deadline("appeal", received)
    assert urgent.deadline == deadline("appeal-urgent", received) and urgent.term_kind == TermKind.URGENT
    assert month.received_date == received and month.document.received_date == received


def test_priority_from_categories_and_setting(appeals_world, settings):
    w = appeals_world
    assert register_written(w, categories=["01"]).priority is True  # combatant (art. 22 default list)
    assert register_written(w, categories=["15"]).priority is False
    settings.APPEALS = {**settings.APPEALS, "PRIORITY_CATEGORIES": ["15"]}
    assert register_written(w, categories=["15"]).priority is True
    assert register_written(w, categories=["01"]).priority is False
    priority = register_written(w, categories=["15"])
    assert "Пріоритетний розгляд" in priority.document.note


def test_oral_and_hotline_appeals(appeals_world):
    w = appeals_world
    oral = register_written(w, receipt_form=ReceiptForm.RECEPTION, medium=Medium.ORAL)
    hotline = register_written(w, receipt_form=ReceiptForm.HOTLINE, medium=Medium.ORAL, email="")
    assert oral.medium == hotline.medium == Medium.ORAL
    assert hotline.document.delivery_method == ""
    with pytest.raises(ApplicationError) as exc:
        register_written(w, receipt_form=ReceiptForm.HOTLINE, medium=Medium.LETTER)
    assert exc.value.field == "medium"
    with pytest.raises(ApplicationError) as exc:
        register_written(w, receipt_form=ReceiptForm.POST, medium=Medium.ORAL)
    assert exc.value.field == "receipt_form"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"text": "   "}, "text"),
    ({"email": "not-an-email"}, "email"),
    ({"phone": "дзвоніть"}, "phone"),
    ({"receipt_form": "pigeon"}, "receipt_form"),
    ({"appeal_type": "wish"}, "appeal_type"),
    ({"categories": ["99"]}, "categories"),
    ({"topic": "00000000-0000-0000-0000-000000000000"}, "topic"),
    ({"received_date": dt.date.today() + dt.timedelta(days=3)}, "received_date"),
    ({"cosigners": [("", "вул. Лесі Українки, 3")]}, "cosigners"),
])
def test_bad_input_is_refused_with_the_field(appeals_world, overrides, field):
    with pytest.raises(ApplicationError) as exc:
        register_written(appeals_world, **overrides)
    assert exc.value.field == field and exc.value.message
    assert not Appeal.objects.exists() and not Document.objects.exists()


def test_without_an_appeals_journal_registration_is_refused(appeals_world):
    w = appeals_world
    w.journal.is_active = False
    w.journal.save()
    with pytest.raises(ApplicationError) as exc:
        register_written(w)
    assert exc.value.code == "no_journal" and "Немає журналу звернень" in exc.value.message
    JournalFactory(organisation=w.org, kind="incoming")  # another kind does not help
    with pytest.raises(ApplicationError):
        register_written(w)


@pytest.mark.parametrize("who", ["executor", "controller", "head", "admin", "outsider"])
def test_only_officers_register(appeals_world, who):
    w = appeals_world
    with pytest.raises(PermissionDeniedError):
        register_written(w, actor=getattr(w, who))
    submitted = submitted_appeal(w)
    with pytest.raises(PermissionDeniedError):
        svc.appeal_register(actor=getattr(w, who), appeal=submitted)
    assert register_written(w, actor=w.registrar).document.registered_by == w.registrar


def test_files_become_attachments_and_card_files(appeals_world):
    w = appeals_world
    appeal = register_written(w, files=[FileInput("Скан звернення.pdf", pdf_bytes("скан"))])
    assert list(appeal.attachments.values_list("name", flat=True)) == ["Скан звернення.pdf"]
    [file] = DocumentFile.objects.filter(document=appeal.document)
    assert file.name == "Скан звернення.pdf" and file.blob_id == appeal.attachments.get().blob_id


def test_submitted_e_appeal_is_registered(appeals_world):
    w = appeals_world
    received = timezone.now() - dt.timedelta(days=2)
    appeal = submitted_appeal(w, received_at=received, files=2, cosigners=1, categories=["03"])
    result = svc.appeal_register(actor=w.officer, appeal=appeal, no_extra_study=True)
    assert result is appeal
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REGISTERED
    assert appeal.received_date == timezone.localdate(received)  # the term runs from receipt, not registration
    assert appeal.deadline == deadline("appeal-urgent", appeal.received_date)
    assert appeal.document.reg_date == timezone.localdate()
    assert appeal.priority is True and "КО" in appeal.document.note
    assert appeal.document.delivery_method == "website"
    assert sorted(DocumentFile.objects.filter(document=appeal.document).values_list("name", flat=True)) == [
        "Додаток 1.pdf", "Додаток 2.pdf"]
    assert AuditEvent.objects.get(action="appeal.register", object_id=str(appeal.pk)).params["from_site"] is True
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_register(actor=w.registrar, appeal=appeal)
    assert exc.value.code == "already_registered"
    assert Document.objects.count() == 1


def _register_submitted(user_pk, appeal_pk):
    from ratusha.orgs.models import User

    try:
        appeal = svc.appeal_register(actor=User.objects.get(pk=user_pk), appeal=Appeal.objects.get(pk=appeal_pk))
    except ApplicationError as exc:
        return exc.code
    return appeal.document.reg_index


@pytest.mark.django_db(transaction=True)
def test_two_officers_registering_one_e_appeal_at_once_register_it_once():
    w = build_world()
    appeal = submitted_appeal(w, files=1)
    outcomes = run_concurrently(_register_submitted, [(w.officer.pk, appeal.pk), (w.registrar.pk, appeal.pk)])
    assert sorted(outcomes, key=str) == sorted(["К-1", "already_registered"], key=str), outcomes
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REGISTERED
    assert Document.objects.filter(journal=w.journal).count() == 1
    assert JournalCounter.objects.get(journal=w.journal).last_number == 1
    assert AuditEvent.objects.filter(action="appeal.register").count() == 1
    assert AppealEvent.objects.filter(appeal=appeal, status=AppealStatus.REGISTERED).count() == 1
    assert audit_verify() is None


def test_registration_e_mails_the_applicant(appeals_world, mailoutbox, django_capture_on_commit_callbacks):
    w = appeals_world
    with django_capture_on_commit_callbacks(execute=True):
        appeal = register_written(w)
    assert [m.to for m in mailoutbox] == [["ivan.kovalenko@example.org"]]
    body = mailoutbox[0].body
    assert appeal.document.reg_index in body and appeal.tracking_code in body
    assert TEXT not in mailoutbox[0].subject


def test_records_are_written_in_ukrainian_whatever_the_ui_language(appeals_world):
    from django.utils import translation

    with translation.override("en"):
        appeal = register_written(appeals_world)
    assert appeal.document.summary.startswith("Заява (клопотання): ")
    assert AppealEvent.objects.get(appeal=appeal).message.startswith("Звернення зареєстровано")
