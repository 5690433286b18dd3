"""The appeal's public timeline: what the applicant sees on the tracking page and gets by e-mail.

Every service that changes an appeal's status calls ``appeal_event_add`` inside its own transaction;
that service's audit event records the business action, so the timeline entry (derived, citizen-facing
data) writes no audit event of its own — as ``notifications.services.notify``. The e-mail is sent by a
task after commit (``ratusha.appeals.emails``), once per event.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ratusha.appeals.constants import AppealStatus
from ratusha.appeals.models import Appeal, AppealEvent

MESSAGE_LIMIT = 4000


def default_message(appeal: Appeal) -> str:
    """The citizen-facing sentence for a status when the caller gives none."""
    messages = {
        AppealStatus.SUBMITTED: _("Звернення отримано. Його буде зареєстровано, після чого почнеться "
                                  "строк розгляду."),
        AppealStatus.REGISTERED: _("Звернення зареєстровано."),
        AppealStatus.IN_WORK: _("Звернення передано на розгляд виконавцю."),
        AppealStatus.ANSWERED: _("Відповідь на звернення надіслано."),
        AppealStatus.RETURNED: _("Звернення повернуто заявникові з роз'ясненням (ст. 5 Закону України "
                                 "«Про звернення громадян»)."),
        AppealStatus.FORWARDED: _("Звернення надіслано за належністю до органу, до повноважень якого "
                                  "належить порушене питання (ст. 7 Закону України «Про звернення громадян»)."),
        AppealStatus.NOT_CONSIDERED: _("Звернення залишено без розгляду (ст. 8 Закону України «Про звернення "
                                       "громадян»)."),
        AppealStatus.CLOSED: _("Розгляд звернення завершено."),
    }
    return str(messages.get(appeal.status, ""))


def appeal_event_add(*, appeal: Appeal, message: str = "") -> AppealEvent:
    """Record ``appeal``'s current status with a message for the applicant and, after commit, e-mail it
    (when the appeal has an e-mail address; every event of such an appeal is e-mailed, once).

    Sending errors are logged and retried by a periodic task (``appeal_event_email_retry``), never raised.
    """
    text = (message or "").strip()[:MESSAGE_LIMIT] or default_message(appeal)
    with transaction.atomic():
        event = AppealEvent.objects.create(appeal=appeal, status=appeal.status, message=text)
        if (appeal.email or "").strip():
            from ratusha.appeals.emails import appeal_event_email_task

            event_id = str(event.pk)
            transaction.on_commit(lambda: appeal_event_email_task.enqueue(event_id), robust=True)
    return event
