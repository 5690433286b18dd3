"""Legal outcomes: the transitions table, return (art. 5), forward (art. 7), not considered (art. 8), answer,
close (refused without an answer or a legal ground) — each audited and written to the applicant's timeline."""

import datetime as dt
import itertools

import pytest

from ratusha.appeals import services as svc
from ratusha.appeals.constants import (
    APPEAL_TRANSITIONS,
    AppealSign,
    AppealStatus,
    NotConsideredGround,
    Outcome,
    TermKind,
)
from ratusha.appeals.models import Appeal, AppealEvent
from ratusha.calendar.selectors import deadline
from ratusha.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from ratusha.core.models import AuditEvent
from tests.appeals.office_helpers import answer_document, register_written

pytest_plugins = ["tests.appeals.office"]


@pytest.mark.parametrize(("current", "to"), list(itertools.product(AppealStatus.values, AppealStatus.values)))
def test_transitions_table_is_the_one_check(current, to):
    appeal = Appeal(status=current)
    if to in APPEAL_TRANSITIONS[current]:
        assert svc.appeal_transition(appeal, to) == current
        assert appeal.status == to
    else:
        with pytest.raises(TransitionError):
            svc.appeal_transition(appeal, to)
        assert appeal.status == current


def _last_event(appeal):
    return AppealEvent.objects.filter(appeal=appeal).latest("created_at")


def test_return_with_an_explanation(appeals_world, mailoutbox, django_capture_on_commit_callbacks):
    w = appeals_world
    appeal = register_written(w, address="")
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_return(actor=w.officer, appeal=appeal, explanation="  ")
    assert exc.value.field == "explanation"
    with django_capture_on_commit_callbacks(execute=True):
        svc.appeal_return(actor=w.officer, appeal=appeal, explanation="Не зазначено місце проживання (ст. 5).",
                          expected_version=appeal.version)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.RETURNED and appeal.outcome == Outcome.RETURNED
    assert appeal.term_kind == TermKind.RETURN
    assert appeal.deadline == deadline("appeal-return", appeal.received_date)
    assert appeal.decided_by == w.officer and appeal.decided_at
    assert "Не зазначено місце проживання" in _last_event(appeal).message
    event = AuditEvent.objects.get(action="appeal.return", object_id=str(appeal.pk))
    assert event.params["late"] is False and event.params["from"] == AppealStatus.REGISTERED
    assert any("Не зазначено місце проживання" in m.body for m in mailoutbox)


def test_late_return_is_recorded(appeals_world):
    w = appeals_world
    received = dt.date.today() - dt.timedelta(days=20)
    appeal = register_written(w, received_date=received)
    svc.appeal_return(actor=w.officer, appeal=appeal, explanation="Немає підпису.")
    event = AuditEvent.objects.get(action="appeal.return", object_id=str(appeal.pk))
    assert event.params["late"] is True
    assert event.params["term_deadline"] == deadline("appeal-return", received).isoformat()


def test_forward_to_the_competent_body(appeals_world):
    w = appeals_world
    appeal = register_written(w)
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_forward(actor=w.officer, appeal=appeal, to_body="", reason="Не наші повноваження")
    assert exc.value.field == "to_body"
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_forward(actor=w.officer, appeal=appeal, to_body="Головне управління ПФУ", reason="")
    assert exc.value.field == "reason"
    svc.appeal_forward(actor=w.head, appeal=appeal, to_body="Головне управління Пенсійного фонду України",
                       reason="Перерахунок пенсії належить до повноважень ПФУ.")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.FORWARDED and appeal.outcome == Outcome.FORWARDED
    assert appeal.forwarded_to == "Головне управління Пенсійного фонду України"
    assert appeal.deadline == deadline("appeal-forward", appeal.received_date)
    assert "Пенсійного фонду" in _last_event(appeal).message
    assert _last_event(appeal).status == AppealStatus.FORWARDED


def test_not_considered_with_a_ground(appeals_world):
    w = appeals_world
    anonymous = register_written(w, last_name="", first_name="", middle_name="")
    named = register_written(w)
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_not_consider(actor=w.officer, appeal=named, ground="", note="x")
    assert exc.value.field == "ground"
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_not_consider(actor=w.officer, appeal=named, ground=NotConsideredGround.ANONYMOUS, note="x")
    assert exc.value.code == "ground_mismatch"
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_not_consider(actor=w.officer, appeal=named, ground=NotConsideredGround.REPEATED, note="x")
    assert exc.value.code == "ground_mismatch"
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_not_consider(actor=w.officer, appeal=anonymous, ground=NotConsideredGround.ANONYMOUS, note="")
    assert exc.value.field == "note"
    svc.appeal_not_consider(actor=w.officer, appeal=anonymous, ground=NotConsideredGround.ANONYMOUS,
                            note="Звернення без підпису та зазначення автора.")
    anonymous.refresh_from_db()
    assert anonymous.status == AppealStatus.NOT_CONSIDERED
    assert anonymous.not_considered_ground == NotConsideredGround.ANONYMOUS
    assert anonymous.outcome == Outcome.NOT_CONSIDERED
    svc.appeal_sign_set(actor=w.officer, appeal=named, sign=AppealSign.REPEATED)
    svc.appeal_not_consider(actor=w.officer, appeal=named, ground=NotConsideredGround.REPEATED,
                            note="Питання вирішено по суті відповіддю від 01.02.2026.")
    assert AuditEvent.objects.get(action="appeal.not_consider", object_id=str(named.pk)).params["ground"] == "repeated"


def test_answer_then_close(appeals_world):
    w = appeals_world
    appeal = register_written(w)
    svc.appeal_take_into_work(actor=w.officer, appeal=appeal)
    assert appeal.status == AppealStatus.IN_WORK
    answer = answer_document(w)
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_answer(actor=w.officer, appeal=appeal, answer_document=answer, outcome=Outcome.FORWARDED)
    assert exc.value.field == "outcome"
    svc.appeal_answer(actor=w.officer, appeal=appeal, answer_document=answer, outcome=Outcome.SATISFIED,
                      channel="post")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ANSWERED and appeal.answered_at and appeal.answer_document == answer
    assert answer.reg_index in _last_event(appeal).message
    svc.appeal_close(actor=w.officer, appeal=appeal, outcome=Outcome.PARTLY, note="Частину робіт перенесено.")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.CLOSED and appeal.outcome == Outcome.PARTLY and appeal.closed_at
    assert _last_event(appeal).status == AppealStatus.CLOSED
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_close(actor=w.officer, appeal=appeal)
    assert exc.value.code == "closed"
    with pytest.raises(ApplicationError):
        svc.appeal_code(actor=w.officer, appeal=appeal, appeal_type="complaint")


def test_answer_must_be_a_card_of_the_same_organisation(appeals_world):
    from tests.factories import JournalFactory

    w = appeals_world
    appeal = register_written(w)
    from ratusha.registry.services import document_register
    from tests.factories import EmployeeFactory

    clerk = EmployeeFactory(organisation=w.other_org, roles=["registrar"]).user
    foreign = document_register(actor=clerk, journal=JournalFactory(organisation=w.other_org, kind="outgoing"),
                                kind="letter", summary="Чужа відповідь")
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_answer(actor=w.officer, appeal=appeal, answer_document=foreign, outcome=Outcome.EXPLAINED)
    assert exc.value.field == "answer_document"


@pytest.mark.parametrize("status", [AppealStatus.REGISTERED, AppealStatus.IN_WORK])
def test_close_is_refused_without_an_answer_or_a_ground(appeals_world, status):
    w = appeals_world
    appeal = register_written(w)
    if status == AppealStatus.IN_WORK:
        svc.appeal_take_into_work(actor=w.officer, appeal=appeal)
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_close(actor=w.officer, appeal=appeal, outcome=Outcome.SATISFIED)
    assert exc.value.code == "no_answer_or_ground"
    assert "без відповіді заявникові або законної підстави" in exc.value.message
    appeal.refresh_from_db()
    assert appeal.status == status


def test_answered_without_the_answer_card_cannot_be_closed(appeals_world):
    w = appeals_world
    appeal = register_written(w)
    Appeal.objects.filter(pk=appeal.pk).update(status=AppealStatus.ANSWERED, outcome=Outcome.SATISFIED)
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_close(actor=w.officer, appeal=appeal)
    assert exc.value.code == "no_answer"


@pytest.mark.parametrize("ground", ["return", "forward", "not_consider"])
def test_close_on_a_legal_ground(appeals_world, ground):
    w = appeals_world
    appeal = register_written(w, last_name="", first_name="", middle_name="")
    if ground == "return":
        svc.appeal_return(actor=w.officer, appeal=appeal, explanation="Немає адреси.")
        expected = Outcome.RETURNED
    elif ground == "forward":
        svc.appeal_forward(actor=w.officer, appeal=appeal, to_body="Держгеокадастр", reason="Земля державна.")
        expected = Outcome.FORWARDED
    else:
        svc.appeal_not_consider(actor=w.officer, appeal=appeal, ground=NotConsideredGround.ANONYMOUS, note="Анонімне.")
        expected = Outcome.NOT_CONSIDERED
    svc.appeal_close(actor=w.officer, appeal=appeal, outcome=Outcome.SATISFIED)  # the ground decides the outcome
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.CLOSED and appeal.outcome == expected
    assert AuditEvent.objects.get(action="appeal.close", object_id=str(appeal.pk)).params["outcome"] == expected


@pytest.mark.parametrize("who", ["executor", "controller", "admin", "outsider"])
def test_outcomes_need_an_appeals_handler(appeals_world, who):
    w = appeals_world
    appeal = register_written(w)
    actor = getattr(w, who)
    for call in (lambda: svc.appeal_return(actor=actor, appeal=appeal, explanation="x"),
                 lambda: svc.appeal_forward(actor=actor, appeal=appeal, to_body="x", reason="y"),
                 lambda: svc.appeal_not_consider(actor=actor, appeal=appeal, ground="anonymous", note="x"),
                 lambda: svc.appeal_take_into_work(actor=actor, appeal=appeal),
                 lambda: svc.appeal_close(actor=actor, appeal=appeal)):
        with pytest.raises(PermissionDeniedError):
            call()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REGISTERED


def test_a_stale_form_is_refused(appeals_world):
    w = appeals_world
    appeal = register_written(w)
    stale = appeal.version
    svc.appeal_code(actor=w.officer, appeal=appeal, appeal_type="complaint")
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_return(actor=w.head, appeal=appeal, explanation="x", expected_version=stale)
    assert exc.value.code == "conflict"
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REGISTERED


def test_decided_appeals_cannot_be_decided_again(appeals_world):
    w = appeals_world
    appeal = register_written(w)
    svc.appeal_forward(actor=w.officer, appeal=appeal, to_body="ПФУ", reason="Пенсії.")
    with pytest.raises(TransitionError):
        svc.appeal_return(actor=w.officer, appeal=appeal, explanation="x")
    with pytest.raises(TransitionError):
        svc.appeal_take_into_work(actor=w.officer, appeal=appeal)
