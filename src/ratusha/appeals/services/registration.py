"""Registration of citizens' appeals in the appeals journal (Instruction CMU No. 348; Law 393/96-ВР).

Three ways in, one service (``appeal_register``):
(a) an e-appeal submitted on the site (SUBMITTED → REGISTERED);
(b) a written appeal (post, in person, via a representative, from other bodies or the media);
(c) an oral appeal at personal reception or by phone / hotline, typed in by the officer.

Registration creates the card (РКК) in the organisation's ``JournalKind.APPEALS`` journal (access mark
PERSONAL), copies the attachments to it, sets the receipt date, the term (art. 20: 1 month, or 15 days
when no extra study is needed — the clocks of ``ratusha.calendar``), the priority (art. 22 ⚠ categories),
the «КО» / «БП» marks and the Instruction 348 index, suggests the sign, and writes the applicant's
timeline (which e-mails them when they gave an e-mail).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.appeals.constants import (
    INDEX_STYLE_LETTER,
    INDEX_STYLE_PLAIN,
    MARK_COLLECTIVE,
    MARK_UNSIGNED,
    AppealStatus,
    AppealSubject,
    AppealType,
    Medium,
    ReceiptForm,
    TermKind,
)
from ratusha.appeals.models import Appeal, AppealAttachment, AppealCosigner
from ratusha.appeals.services._common import (
    appeal_transition,
    event_add,
    fmt_date,
    lock_appeal,
    official_language,
    priority_categories,
    require_officer,
    require_text,
    save_appeal,
    setting,
    today,
)
from ratusha.appeals.services.coding import check_form_and_medium, check_subject, clean_coding
from ratusha.appeals.services.signs import applicant_key, apply_suggestion, detect_sign, suggestion_params
from ratusha.calendar.selectors import deadline
from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.registry.constants import AccessMark, DeliveryMethod, DocumentKind, JournalKind
from ratusha.registry.models import Journal
from ratusha.registry.services import FileInput, StagedFile, document_register

SUMMARY_CHARS = 300
# How the card records the way an appeal arrived (Classifier 858 form → the registry's delivery method).
DELIVERY_BY_FORM = {
    ReceiptForm.POST: DeliveryMethod.POST,
    ReceiptForm.RECEPTION: DeliveryMethod.IN_PERSON,
    ReceiptForm.REPRESENTATIVE: DeliveryMethod.IN_PERSON,
    ReceiptForm.AUTHORITIES: DeliveryMethod.POST,
    ReceiptForm.MEDIA: DeliveryMethod.POST,
    ReceiptForm.OTHER_BODIES: DeliveryMethod.POST,
    ReceiptForm.HOTLINE: "",
    ReceiptForm.ELECTRONIC: DeliveryMethod.WEBSITE,
}
ANONYMOUS_LETTER = "А"  # Instruction 348 letter index of an anonymous appeal: «А-125» (docs/appeals.md)


@dataclass(frozen=True)
class CosignerInput:
    full_name: str
    address: str = ""


# --- Rules of the card --------------------------------------------------------------------------


def appeal_marks(appeal: Appeal) -> list[str]:
    """Instruction 348: collective «КО»; a written (paper) appeal without a signature «БП».

    An electronic appeal needs no signature (art. 5 as amended by Law 577-VIII), an oral one has none.
    """
    marks = []
    if appeal.subject == AppealSubject.COLLECTIVE:
        marks.append(MARK_COLLECTIVE)
    if not appeal.is_signed and appeal.medium in (Medium.LETTER, Medium.TELEGRAM):
        marks.append(MARK_UNSIGNED)
    return marks


def index_letter(appeal: Appeal) -> str:
    """The first letter of the applicant's surname (Instruction 348); «А» for an anonymous appeal."""
    if appeal.subject == AppealSubject.ANONYMOUS:
        return ANONYMOUS_LETTER
    for ch in appeal.last_name or appeal.first_name:
        if ch.isalpha():
            return ch.upper()
    return ANONYMOUS_LETTER


def index_formatter(appeal: Appeal) -> Callable[[int, str], str] | None:
    """``APPEALS["INDEX_STYLE"]``: "letter" → «К-125» from the journal's number; "plain" → the journal's index."""
    style = setting("INDEX_STYLE")
    if style == INDEX_STYLE_PLAIN:
        return None
    if style != INDEX_STYLE_LETTER:
        raise ApplicationError(_("Налаштування APPEALS[\"INDEX_STYLE\"] має бути «letter» або «plain»."),
                               code="misconfigured")
    letter = index_letter(appeal)
    return lambda seq, _index: f"{letter}-{seq}"


def term_for(received_date: dt.date, *, no_extra_study: bool) -> tuple[str, dt.date]:
    """Art. 20: 1 month from receipt; «without extra study» no later than 15 days (calendar rules)."""
    kind = TermKind.URGENT if no_extra_study else TermKind.MONTH
    return kind.value, deadline(kind.value, received_date)


def card_summary(appeal: Appeal) -> str:
    text = " ".join(appeal.text.split())
    if len(text) > SUMMARY_CHARS:
        text = text[: SUMMARY_CHARS - 1].rstrip() + "…"
    return f"{AppealType(appeal.appeal_type).label}: {text}"


def card_correspondent(appeal: Appeal) -> str:
    if appeal.subject == AppealSubject.ANONYMOUS:
        return _("Анонімне звернення")
    name = appeal.applicant_name
    if appeal.subject == AppealSubject.COLLECTIVE:
        return _("%(name)s та інші (колективне)") % {"name": name}
    return name


def card_note(appeal: Appeal, marks: list[str]) -> str:
    lines = []
    if marks:
        lines.append(_("Позначки: %(marks)s") % {"marks": ", ".join(marks)})
    if appeal.priority:
        lines.append(_("Пріоритетний розгляд (категорія заявника)"))
    return "\n".join(lines)


def appeals_journal(organisation_id: Any, journal: Journal | None = None) -> Journal:
    qs = Journal.objects.filter(organisation_id=organisation_id, kind=JournalKind.APPEALS, is_active=True)
    if journal is not None:
        found = qs.filter(pk=journal.pk).first()
        if found is None:
            raise ApplicationError(_("Оберіть відкритий журнал звернень громадян цього органу."),
                                   code="no_journal", field="journal")
        return found
    found = qs.order_by("name").first()
    if found is None:
        raise ApplicationError(_("Немає журналу звернень громадян: адміністратор має створити журнал виду "
                                 "«Звернення громадян» для цього органу."), code="no_journal", field="journal")
    return found


# --- Input --------------------------------------------------------------------------------------


def _clean_cosigners(cosigners: Iterable[CosignerInput | tuple[str, str] | dict[str, str]]) -> list[CosignerInput]:
    out = []
    for item in cosigners or ():
        if isinstance(item, CosignerInput):
            name, address = item.full_name, item.address
        elif isinstance(item, dict):
            name, address = item.get("full_name", ""), item.get("address", "")
        else:
            name, address = (tuple(item) + ("",))[:2]
        name, address = " ".join((name or "").split()), " ".join((address or "").split())
        if not name and not address:
            continue
        if not name:
            raise ApplicationError(_("Вкажіть прізвище, ім'я та по батькові кожного співпідписанта."),
                                   code="required", field="cosigners")
        out.append(CosignerInput(name[:300], address[:500]))
    return out


def _clean_received(received_date: dt.date | None) -> tuple[dt.date, dt.datetime]:
    day = received_date or today()
    if day > today():
        raise ApplicationError(_("Дата надходження не може бути пізнішою за сьогоднішню."), code="invalid_date",
                               field="received_date")
    if day == today():
        return day, timezone.now()
    return day, timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def _clean_contacts(email: str, phone: str) -> tuple[str, str]:
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ApplicationError(_("Перевірте адресу електронної пошти."), code="invalid", field="email") from None
    phone = " ".join((phone or "").split())[:40]
    if phone and sum(ch.isdigit() for ch in phone) < 5:
        raise ApplicationError(_("Перевірте номер телефону."), code="invalid", field="phone")
    return email[:254], phone


# --- The service --------------------------------------------------------------------------------


def appeal_register(
    *, actor: Any, appeal: Appeal | None = None, organisation: Any = None, journal: Journal | None = None,
    no_extra_study: bool = False, receipt_form: str = "", medium: str = "",
    appeal_type: str = AppealType.APPLICATION, last_name: str = "", first_name: str = "", middle_name: str = "",
    address: str = "", settlement: str = "", email: str = "", phone: str = "", sex: str = "",
    social_status: str = "", categories: Iterable[str] = (), text: str = "", topic: Any = None,
    is_signed: bool = True, received_date: dt.date | None = None,
    cosigners: Iterable[CosignerInput | tuple[str, str] | dict[str, str]] = (),
    files: Iterable[FileInput | StagedFile] = (),
) -> Appeal:
    """Register an appeal: ``appeal`` = a SUBMITTED e-appeal (only ``journal``/``no_extra_study`` apply),
    or ``organisation`` + the appeal's fields for a written or oral appeal typed in by the officer."""
    if appeal is not None:
        return _register_submitted(actor=actor, appeal=appeal, journal=journal, no_extra_study=no_extra_study)
    if organisation is None:
        raise ApplicationError(_("Оберіть орган, до якого надійшло звернення."), code="required",
                               field="organisation")
    org_id = getattr(organisation, "pk", organisation)
    require_officer(actor, org_id)
    text = require_text(text, field="text", message=_("Вкажіть зміст звернення (суть порушеного питання)."))
    names = [" ".join((v or "").split())[:150] for v in (last_name, first_name, middle_name)]
    people = _clean_cosigners(cosigners)
    has_name = bool(names[0] or names[1])
    subject = (AppealSubject.ANONYMOUS if not has_name else
               AppealSubject.COLLECTIVE if people else AppealSubject.INDIVIDUAL)
    coding = clean_coding({"receipt_form": receipt_form, "medium": medium, "appeal_type": appeal_type,
                           "subject": subject, "sex": sex, "social_status": social_status,
                           "categories": categories, "settlement": settlement, "topic": topic})
    check_form_and_medium(coding["receipt_form"], coding["medium"])
    check_subject(subject, has_name=has_name, cosigners=len(people))
    email, phone = _clean_contacts(email, phone)
    day, at = _clean_received(received_date)
    target_journal = appeals_journal(org_id, journal)
    from ratusha.appeals.services.codes import new_tracking_code
    from ratusha.registry.services.files import prepare_files

    prepared = prepare_files(files)  # checked and stored before the numbering lock
    with transaction.atomic():
        new = Appeal(
            organisation_id=org_id, status=AppealStatus.SUBMITTED, tracking_code=new_tracking_code(),
            received_at=at, received_date=day, last_name=names[0], first_name=names[1], middle_name=names[2],
            address=" ".join((address or "").split())[:500], email=email, phone=phone, text=text,
            is_signed=bool(is_signed), applicant_key=applicant_key(*names), **coding)
        new.save(force_insert=True)
        for person in people:
            AppealCosigner.objects.create(appeal=new, full_name=person.full_name, address=person.address)
        for blob, name, _comment in prepared:
            AppealAttachment.objects.create(appeal=new, blob=blob, name=name)
        _register(actor=actor, appeal=new, journal=target_journal, no_extra_study=no_extra_study,
                  from_site=False)
    return new


def _register_submitted(*, actor: Any, appeal: Appeal, journal: Journal | None, no_extra_study: bool) -> Appeal:
    require_officer(actor, appeal.organisation_id)
    target_journal = appeals_journal(appeal.organisation_id, journal)
    with transaction.atomic():
        # The row lock (SQLite: the write lock of BEGIN IMMEDIATE) makes two officers registering the
        # same e-appeal at once register it exactly once: the second one finds it REGISTERED.
        locked = lock_appeal(appeal)
        if locked.status != AppealStatus.SUBMITTED:
            raise ApplicationError(_("Це звернення вже зареєстровано: № %(index)s.") % {"index": str(locked)},
                                   code="already_registered")
        if not locked.applicant_key:
            locked.applicant_key = applicant_key(locked.last_name, locked.first_name, locked.middle_name)
        _register(actor=actor, appeal=locked, journal=target_journal, no_extra_study=no_extra_study,
                  from_site=True)
    appeal.refresh_from_db()
    return appeal


def _register(*, actor: Any, appeal: Appeal, journal: Journal, no_extra_study: bool, from_site: bool) -> None:
    """Inside the caller's transaction: number the card, set the term, marks and suggestion, audit, timeline."""
    previous = appeal_transition(appeal, AppealStatus.REGISTERED)
    appeal.priority = bool(set(appeal.categories or []) & priority_categories())
    appeal.term_kind, appeal.deadline = term_for(appeal.received_date, no_extra_study=no_extra_study)
    marks = appeal_marks(appeal)
    files = [StagedFile(sha256=a.blob_id, name=a.name) for a in appeal.attachments.all()]
    with official_language():  # the card is a record: in Ukrainian whatever the officer's UI language
        summary, correspondent, note = card_summary(appeal), card_correspondent(appeal), card_note(appeal, marks)
    document = document_register(
        actor=actor, journal=journal, kind=DocumentKind.APPEAL, summary=summary, correspondent=correspondent,
        received_date=appeal.received_date, delivery_method=DELIVERY_BY_FORM.get(appeal.receipt_form, ""),
        access=AccessMark.PERSONAL, note=note, files=files, reg_index_format=index_formatter(appeal),
        audit_extra={"appeal": str(appeal.pk)})
    appeal.document = document
    appeal.registered_by = actor
    suggestion = detect_sign(appeal)
    apply_suggestion(appeal, suggestion)
    save_appeal(appeal, ["status", "priority", "term_kind", "deadline", "document", "registered_by",
                         "applicant_key", "sign_suggested", "sign_related"])
    audit_log(actor=actor, action="appeal.register", obj=appeal, params={
        "from": previous, "from_site": from_site, "document": str(document.pk), "reg_index": document.reg_index,
        "journal": str(journal.pk), "received_date": appeal.received_date, "term_kind": appeal.term_kind,
        "deadline": appeal.deadline, "marks": marks, "priority": appeal.priority,
        "receipt_form": appeal.receipt_form, "medium": appeal.medium, "subject": appeal.subject,
        "files": len(files), "sign_suggestion": suggestion_params(suggestion)})
    event_add(appeal, lambda: _("Звернення зареєстровано за № %(index)s від %(date)s. Термін розгляду — до %(deadline)s.")
              % {"index": document.reg_index, "date": fmt_date(document.reg_date),
                 "deadline": fmt_date(appeal.deadline)})
