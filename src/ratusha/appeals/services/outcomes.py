"""Legal outcomes of an appeal (Law 393/96-ВР), each one service: status via ``APPEAL_TRANSITIONS``, the
audit event, and the applicant's timeline (e-mailed to them).

- return (art. 5): the appeal does not meet art. 5 — returned with an explanation within 10 days;
- forward (art. 7 ⚠): outside competence — sent to the competent body within 5 days, applicant informed;
- not considered (art. 8): anonymous, repeated on an issue already decided, a complaint past the art. 17
  terms, from a person declared incapable — the ground is recorded;
- answer: the answer letter (a registered card) is sent and the outcome recorded;
- close: only with an answer (and its outcome) or one of the legal grounds above.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.appeals.constants import (
    AnswerChannel,
    AppealSign,
    AppealStatus,
    AppealSubject,
    NotConsideredGround,
    Outcome,
    TermKind,
)
from ratusha.appeals.models import Appeal
from ratusha.appeals.services._common import (
    appeal_transition,
    event_add,
    fmt_date,
    lock_appeal,
    require_choice,
    require_handler,
    require_text,
    save_appeal,
    today,
)
from ratusha.appeals.services.terms import forward_deadline, return_deadline
from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.registry.models import Document
from ratusha.registry.services import make_appeal_answer_personal

# Outcomes an answer may record (the legal grounds have their own services).
ANSWER_OUTCOMES = frozenset({Outcome.SATISFIED, Outcome.EXPLAINED, Outcome.REFUSED, Outcome.PARTLY,
                             Outcome.OTHER})
# Statuses that are a legal ground for closing without an answer.
GROUND_STATUSES = {AppealStatus.RETURNED: Outcome.RETURNED, AppealStatus.FORWARDED: Outcome.FORWARDED,
                   AppealStatus.NOT_CONSIDERED: Outcome.NOT_CONSIDERED}


def suggested_ground(appeal: Appeal) -> str:
    """Art. 8 ground the page pre-selects: anonymous → «анонімне»; a confirmed repeated sign → «повторне»."""
    if appeal.subject == AppealSubject.ANONYMOUS:
        return NotConsideredGround.ANONYMOUS
    if appeal.sign == AppealSign.REPEATED:
        return NotConsideredGround.REPEATED
    return ""


def _decide(locked: Appeal, actor: Any, to: str, outcome: str) -> str:
    previous = appeal_transition(locked, to)
    locked.outcome = outcome
    locked.decided_at, locked.decided_by = timezone.now(), actor
    return previous


def appeal_take_into_work(*, actor: Any, appeal: Appeal, expected_version: Any = None) -> Appeal:
    """REGISTERED → IN_WORK (a resolution or an assignment was given; the workflow glue calls this)."""
    require_handler(actor, appeal.organisation_id)
    with transaction.atomic():
        locked = lock_appeal(appeal, expected_version)
        previous = appeal_transition(locked, AppealStatus.IN_WORK)
        save_appeal(locked, ["status"])
        audit_log(actor=actor, action="appeal.in_work", obj=locked, params={"from": previous})
        event_add(locked, lambda: _("Звернення передано на розгляд виконавцю."))
    appeal.refresh_from_db()
    return appeal


def appeal_return(*, actor: Any, appeal: Appeal, explanation: str, expected_version: Any = None) -> Appeal:
    """Art. 5: return a non-compliant appeal to the applicant with an explanation (10 days of receipt)."""
    require_handler(actor, appeal.organisation_id)
    explanation = require_text(explanation, field="explanation", limit=4000, message=_(
        "Поясніть заявникові, чому звернення повертається (яких відомостей ст. 5 бракує)."))
    with transaction.atomic():
        locked = lock_appeal(appeal, expected_version)
        previous = _decide(locked, actor, AppealStatus.RETURNED, Outcome.RETURNED)
        due = return_deadline(locked)
        locked.outcome_note = explanation
        locked.term_kind, locked.deadline = TermKind.RETURN, due
        save_appeal(locked, ["status", "outcome", "outcome_note", "decided_at", "decided_by", "term_kind",
                             "deadline"])
        audit_log(actor=actor, action="appeal.return", obj=locked, params={
            "from": previous, "explanation": explanation, "term_deadline": due, "late": today() > due})
        event_add(locked, lambda: _("Звернення повернуто заявникові (ст. 5 Закону «Про звернення громадян»). "
                            "Пояснення: %(text)s") % {"text": explanation})
    appeal.refresh_from_db()
    return appeal


def appeal_forward(*, actor: Any, appeal: Appeal, to_body: str, reason: str,
                   expected_version: Any = None) -> Appeal:
    """Art. 7: forward to the competent body within 5 days, informing the applicant."""
    require_handler(actor, appeal.organisation_id)
    to_body = " ".join(require_text(to_body, field="to_body", limit=300, message=_(
        "Вкажіть орган, до якого надсилається звернення.")).split())
    reason = require_text(reason, field="reason", limit=4000, message=_(
        "Вкажіть, чому питання не належить до повноважень органу."))
    with transaction.atomic():
        locked = lock_appeal(appeal, expected_version)
        previous = _decide(locked, actor, AppealStatus.FORWARDED, Outcome.FORWARDED)
        due = forward_deadline(locked)
        locked.forwarded_to, locked.outcome_note = to_body, reason
        locked.term_kind, locked.deadline = TermKind.FORWARD, due
        save_appeal(locked, ["status", "outcome", "outcome_note", "forwarded_to", "decided_at", "decided_by",
                             "term_kind", "deadline"])
        audit_log(actor=actor, action="appeal.forward", obj=locked, params={
            "from": previous, "to_body": to_body, "reason": reason, "term_deadline": due, "late": today() > due})
        event_add(locked, lambda: _("Звернення надіслано за належністю до: %(body)s (ст. 7 Закону «Про звернення "
                            "громадян»). Причина: %(reason)s") % {"body": to_body, "reason": reason})
    appeal.refresh_from_db()
    return appeal


def appeal_not_consider(*, actor: Any, appeal: Appeal, ground: str, note: str,
                        expected_version: Any = None) -> Appeal:
    """Art. 8: leave the appeal unconsidered; the ground and the decision are recorded."""
    require_handler(actor, appeal.organisation_id)
    ground = require_choice(ground, NotConsideredGround, field="ground")
    note = require_text(note, field="note", limit=4000, message=_("Опишіть рішення та його обставини."))
    with transaction.atomic():
        locked = lock_appeal(appeal, expected_version)
        if ground == NotConsideredGround.ANONYMOUS and locked.subject != AppealSubject.ANONYMOUS:
            raise ApplicationError(_("Звернення містить прізвище та ім'я заявника — воно не є анонімним."),
                                   code="ground_mismatch", field="ground")
        if ground == NotConsideredGround.REPEATED and locked.sign != AppealSign.REPEATED:
            raise ApplicationError(_("Спершу встановіть ознаку «Повторне» (і пов'язане звернення, вирішене по "
                                     "суті), потім залиште звернення без розгляду."),
                                   code="ground_mismatch", field="ground")
        previous = _decide(locked, actor, AppealStatus.NOT_CONSIDERED, Outcome.NOT_CONSIDERED)
        locked.not_considered_ground, locked.outcome_note = ground, note
        save_appeal(locked, ["status", "outcome", "outcome_note", "not_considered_ground", "decided_at",
                             "decided_by"])
        audit_log(actor=actor, action="appeal.not_consider", obj=locked, params={
            "from": previous, "ground": ground, "note": note,
            "related": str(locked.sign_related_id) if locked.sign_related_id else None})
        event_add(locked, lambda: _("Звернення залишено без розгляду. Підстава: %(ground)s. %(note)s")
                  % {"ground": NotConsideredGround(ground).label, "note": note})
    appeal.refresh_from_db()
    return appeal


def appeal_answer(*, actor: Any, appeal: Appeal, answer_document: Document, outcome: str,
                  channel: str = AnswerChannel.EMAIL, note: str = "", expected_version: Any = None) -> Appeal:
    """Record the sent answer: the answer letter's card, the outcome, how it was sent (→ ANSWERED).
    Officers and heads; also the appeal's responsible executor (``routing.is_responsible_executor``)."""
    from ratusha.appeals.services.routing import is_responsible_executor

    if not is_responsible_executor(actor, appeal):
        require_handler(actor, appeal.organisation_id)
    outcome = require_choice(outcome, Outcome, field="outcome")
    if outcome not in ANSWER_OUTCOMES:
        raise ApplicationError(_("Оберіть результат розгляду по суті."), code="invalid_choice", field="outcome")
    channel = require_choice(channel, AnswerChannel, field="channel")
    if answer_document is None or str(answer_document.organisation_id) != str(appeal.organisation_id) \
            or answer_document.is_cancelled:
        raise ApplicationError(_("Відповіддю може бути лише зареєстрований документ цього органу."),
                               code="invalid_answer", field="answer_document")
    with transaction.atomic():
        locked = lock_appeal(appeal, expected_version)
        previous = _decide(locked, actor, AppealStatus.ANSWERED, outcome)
        # Whatever access the answer letter was registered with, it names the applicant: PERSONAL.
        make_appeal_answer_personal(actor=actor, document=answer_document, appeal_card=locked.document)
        locked.answer_document, locked.answer_channel = answer_document, channel
        locked.answered_at = locked.decided_at
        locked.outcome_note = (note or "").strip()[:4000]
        save_appeal(locked, ["status", "outcome", "outcome_note", "answer_document", "answer_channel",
                             "answered_at", "decided_at", "decided_by"])
        audit_log(actor=actor, action="appeal.answer", obj=locked, params={
            "from": previous, "outcome": outcome, "channel": channel, "answer_document": str(answer_document.pk),
            "answer_index": answer_document.reg_index, "on_time": bool(locked.deadline)
            and timezone.localdate() <= locked.deadline})
        event_add(locked, lambda: _("Надано відповідь № %(index)s від %(date)s. Результат розгляду: %(outcome)s.")
                  % {"index": answer_document.reg_index, "date": fmt_date(answer_document.reg_date),
                     "outcome": Outcome(outcome).label})
    appeal.refresh_from_db()
    return appeal


def appeal_close(*, actor: Any, appeal: Appeal, outcome: str = "", note: str = "",
                 expected_version: Any = None) -> Appeal:
    """Finish the consideration. Refused unless the appeal was answered (with the answer's card and an
    outcome) or has a legal ground: returned (art. 5), forwarded (art. 7) or not considered (art. 8)."""
    require_handler(actor, appeal.organisation_id)
    outcome = require_choice(outcome, Outcome, field="outcome", blank=True)
    with transaction.atomic():
        locked = lock_appeal(appeal, expected_version)
        if locked.status == AppealStatus.ANSWERED:
            if not (locked.answer_document_id and locked.answered_at):
                raise ApplicationError(_("Не можна завершити розгляд: у зверненні немає надісланої відповіді."),
                                       code="no_answer", field="outcome")
            if outcome and outcome not in ANSWER_OUTCOMES:
                raise ApplicationError(_("Оберіть результат розгляду по суті."), code="invalid_choice",
                                       field="outcome")
            final = outcome or locked.outcome
            if not final:
                raise ApplicationError(_("Зазначте результат розгляду."), code="required", field="outcome")
        elif locked.status in GROUND_STATUSES:
            final = GROUND_STATUSES[locked.status]
        elif locked.status == AppealStatus.CLOSED:
            raise ApplicationError(_("Розгляд цього звернення вже завершено."), code="closed")
        else:
            raise ApplicationError(_("Не можна завершити розгляд без відповіді заявникові або законної підстави "
                                     "(повернення, пересилання за належністю, залишення без розгляду)."),
                                   code="no_answer_or_ground", field="outcome")
        previous = appeal_transition(locked, AppealStatus.CLOSED)
        locked.outcome, locked.closed_at = final, timezone.now()
        if note:
            locked.outcome_note = "\n".join(p for p in (locked.outcome_note, note.strip()[:4000]) if p)
        save_appeal(locked, ["status", "outcome", "closed_at", "outcome_note"])
        audit_log(actor=actor, action="appeal.close", obj=locked, params={
            "from": previous, "outcome": final, "note": (note or "").strip()})
        event_add(locked, lambda: _("Розгляд звернення завершено. Результат: %(outcome)s.") % {"outcome": Outcome(final).label})
    appeal.refresh_from_db()
    return appeal
