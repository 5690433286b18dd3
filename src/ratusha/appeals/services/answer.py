"""Sending the answer to an appeal (issue 4 item 5; Law 393/96-ВР art. 15, 20).

The answer letter is drafted in the office (``approvals``, a draft «у відповідь на» the appeal's card),
approved, signed and registered; its card is linked ANSWER_TO the appeal's card. Here an appeals officer,
a head or the responsible executor records that answer: the outcome and how it went to the applicant —
by e-mail (only when the applicant gave one; the answer letter's PDF is attached) or marked for post.
The core ``appeal_answer`` sets ANSWERED (timeline event + status e-mail); the answer e-mail is a task
started after commit; a transport error is logged and audited, never raised.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from crontask import cron
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ratusha.appeals.constants import AnswerChannel, AppealStatus, Outcome
from ratusha.appeals.models import Appeal
from ratusha.appeals.services._common import require_handler
from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.registry.models import Document, DocumentFile

logger = logging.getLogger(__name__)

# The channels offered when recording an answer: e-mail, or marked for sending by post.
SEND_CHANNELS = (AnswerChannel.EMAIL, AnswerChannel.POST)
# Statuses in which an answer may be recorded (APPEAL_TRANSITIONS: → ANSWERED).
ANSWERABLE_STATUSES = frozenset({AppealStatus.REGISTERED, AppealStatus.IN_WORK})
PDF = "application/pdf"


def answer_candidates(*, user: Any, appeal: Appeal) -> QuerySet[Document]:
    """Registered cards linked «Відповідь на» the appeal's card that ``user`` may open, newest first."""
    from ratusha.registry.constants import DocumentStatus, LinkKind
    from ratusha.registry.selectors import documents_visible_to

    if not appeal.document_id:
        return Document.objects.none()
    return (documents_visible_to(user)
            .filter(organisation_id=appeal.organisation_id, links_out__target_id=appeal.document_id,
                    links_out__kind=LinkKind.ANSWER_TO)
            .exclude(status=DocumentStatus.CANCELLED)
            .distinct().order_by("-reg_date", "-registered_at"))


def answer_pdf_files(document: Document) -> list[DocumentFile]:
    """The answer letter's current PDF files (what the e-mail attaches)."""
    return list(document.files.filter(is_current=True, blob__mime=PDF).select_related("blob").order_by("name"))


def can_send_answer(user: Any, appeal: Appeal) -> bool:
    from ratusha.appeals import permissions as perms
    from ratusha.appeals.services.routing import is_responsible_executor

    return perms.can_handle(user, appeal.organisation_id) or is_responsible_executor(user, appeal)


def appeal_answer_send(*, actor: Any, appeal: Appeal, answer_document: Document | None, outcome: str,
                       channel: str, note: str = "", expected_version: Any = None) -> Appeal:
    """Record the signed and registered answer and send it: by e-mail with the letter's PDF attached
    (after commit), or marked for post. The appeal becomes ANSWERED with its outcome."""
    from ratusha.appeals.services.outcomes import appeal_answer
    from ratusha.appeals.services.routing import is_responsible_executor

    if not is_responsible_executor(actor, appeal):
        require_handler(actor, appeal.organisation_id)
    if appeal.status not in ANSWERABLE_STATUSES:
        raise ApplicationError(_("Відповідь можна надіслати лише на звернення, яке розглядається."),
                               code="not_answerable")
    if answer_document is None or not answer_candidates(user=actor, appeal=appeal).filter(
            pk=answer_document.pk).exists():
        raise ApplicationError(_("Оберіть зареєстровану відповідь, пов'язану з цим зверненням («Відповідь на»). "
                                 "Спершу підготуйте проєкт відповіді, погодьте й підпишіть його."),
                               code="answer_not_linked", field="answer_document")
    if channel not in SEND_CHANNELS:
        raise ApplicationError(_("Оберіть спосіб надсилання відповіді."), code="invalid_choice", field="channel")
    files = answer_pdf_files(answer_document)
    if channel == AnswerChannel.EMAIL:
        if not (appeal.email or "").strip():
            raise ApplicationError(_("Заявник не зазначив e-mail: позначте відповідь для надсилання поштою."),
                                   code="no_email", field="channel")
        if not files:
            raise ApplicationError(_("У картці відповіді немає PDF-файлу, який можна надіслати e-mail."),
                                   code="no_pdf", field="answer_document")
    with transaction.atomic():
        appeal_answer(actor=actor, appeal=appeal, answer_document=answer_document, outcome=outcome,
                      channel=channel, note=note, expected_version=expected_version)
        audit_log(actor=actor, action="appeal.answer_send", obj=appeal, params={
            "answer_document": str(answer_document.pk), "answer_index": answer_document.reg_index,
            "channel": channel, "outcome": outcome,
            "files": [{"name": f.name, "sha256": f.blob_id} for f in files] if channel == AnswerChannel.EMAIL
            else [], "marked_for_post": channel == AnswerChannel.POST})
        if channel == AnswerChannel.EMAIL:
            appeal_id, document_id = str(appeal.pk), str(answer_document.pk)
            transaction.on_commit(lambda: appeal_answer_email_task.enqueue(appeal_id, document_id), robust=True)
    return appeal


# --- The answer e-mail --------------------------------------------------------------------------------


def answer_subject(appeal: Appeal) -> str:
    from ratusha.appeals.emails import appeal_number

    with translation.override(settings.LANGUAGE_CODE):
        return _("Відповідь на ваше звернення № %(number)s") % {"number": appeal_number(appeal)}


def build_answer_message(appeal: Appeal, document: Document) -> EmailMultiAlternatives:
    from ratusha.appeals.emails import appeal_date, appeal_number, council_name, tracking_link
    from ratusha.core.storage import blob_read
    from ratusha.notifications.emails import _tidy_text

    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "site_name": council_name(), "number": appeal_number(appeal),
            "date": appeal_date(appeal).strftime("%d.%m.%Y"),
            "outcome": Outcome(appeal.outcome).label if appeal.outcome else "",
            "answer_index": document.reg_index, "answer_date": document.reg_date.strftime("%d.%m.%Y"),
            "organisation": appeal.organisation.name, "code": appeal.tracking_code,
            "link": tracking_link(appeal.tracking_code),
        }
        text = _tidy_text(render_to_string("appeals/email/answer.txt", context))
        html = render_to_string("appeals/email/answer.html", context)
    message = EmailMultiAlternatives(subject=answer_subject(appeal), body=text,
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=[appeal.email])
    message.attach_alternative(html, "text/html")
    for file in answer_pdf_files(document):
        message.attach(file.name, blob_read(file.blob_id), PDF)
    return message


def _sent_before(appeal: Appeal, document_id: str) -> bool:
    from ratusha.core.models import AuditEvent

    return AuditEvent.objects.filter(object_type="appeals.appeal", object_id=str(appeal.pk),
                                     action="appeal.answer_emailed",
                                     params__answer_document=document_id).exists()


def appeal_answer_email_send(*, appeal_id: Any, document_id: Any) -> str:
    """E-mail the answer once; returns "sent", "skipped", "done" or "failed" (logged and audited).

    The appeal's row is locked for the check-send-record sequence, so two workers running the same task
    at once send one e-mail: the second waits, then finds the first one's record."""
    from ratusha.notifications.emails import error_text

    document_id = str(document_id)
    with transaction.atomic():
        if not Appeal.objects.select_for_update().filter(pk=appeal_id).exists():
            return "skipped"
        appeal = Appeal.objects.select_related("organisation", "document", "answer_document").get(pk=appeal_id)
        if str(appeal.answer_document_id) != document_id or not (appeal.email or "").strip() \
                or appeal.answer_channel != AnswerChannel.EMAIL:
            return "skipped"
        if _sent_before(appeal, document_id):
            return "done"
        try:
            message = build_answer_message(appeal, appeal.answer_document)
            message.send()
        except Exception as exc:  # noqa: BLE001 — any transport or storage error is recorded, never raised
            logger.warning("appeal %s: answer e-mail failed: %s", appeal.pk, error_text(exc))
            audit_log(actor=None, action="appeal.answer_email_failed", obj=appeal,
                      params={"answer_document": document_id, "error": error_text(exc)})
            return "failed"
        audit_log(actor=None, action="appeal.answer_emailed", obj=appeal, params={
            "answer_document": document_id, "attachments": [a[0] for a in message.attachments
                                                            if isinstance(a, tuple)]})
    return "sent"


RETRY_AFTER = dt.timedelta(minutes=10)
RETRY_WITHIN = dt.timedelta(days=7)


def appeal_answer_email_retry(*, now: dt.datetime | None = None) -> int:
    """Send again the answers an officer sent by e-mail (``appeal.answer_send``) that have no
    ``appeal.answer_emailed`` record yet — a failed SMTP server or a lost task. Returns how many went out."""
    from ratusha.core.models import AuditEvent

    now = now or timezone.now()
    sent_ids = AuditEvent.objects.filter(
        action="appeal.answer_send", at__gte=now - RETRY_WITHIN, at__lte=now - RETRY_AFTER,
        object_type="appeals.appeal").values_list("object_id", flat=True)
    count = 0
    for appeal in Appeal.objects.filter(pk__in=list(sent_ids), answer_channel=AnswerChannel.EMAIL) \
            .exclude(answer_document=None).exclude(email=""):
        if appeal_answer_email_send(appeal_id=appeal.pk, document_id=appeal.answer_document_id) == "sent":
            count += 1
    return count


@task
def appeal_answer_email_task(appeal_id: str, document_id: str) -> str:
    return appeal_answer_email_send(appeal_id=appeal_id, document_id=document_id)


@cron("*/30 * * * *")
@task
def appeal_answer_email_retry_task() -> int:
    return appeal_answer_email_retry()

