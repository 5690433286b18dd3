"""E-mails to citizens about their appeals (Law 393/96-ВР): the confirmation with the tracking code and
one e-mail per change of status (``AppealEvent``).

Plain text + an HTML alternative, in Ukrainian, rendered from ``templates/appeals/public/email/``; links
are absolute (``settings.BASE_URL``). Sending is a task (``appeal_event_email_task``) started after the
event commits; it is idempotent per event (``AppealEvent.emailed_at`` is the claim) and a transport
error is logged and the claim released, so the periodic sweep sends it again later.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from crontask import cron
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ratusha.appeals.constants import OPEN_STATUSES, AppealStatus
from ratusha.notifications.emails import _tidy_text, absolute_url, error_text

logger = logging.getLogger(__name__)

# A failed e-mail is retried by the sweep for this long after the event (then it is given up, logged).
RETRY_DAYS = 7
# The sweep leaves alone events younger than this: their own task may still be running.
RETRY_AFTER_MINUTES = 10


def council_name() -> str:
    """The name the public pages and e-mails are signed with: the installation's city council."""
    from ratusha.orgs.constants import OrgKind
    from ratusha.orgs.models import Organisation

    council = (Organisation.objects.filter(kind=OrgKind.CITY_COUNCIL, is_active=True, parent__isnull=True)
               .order_by("created_at").values_list("name", flat=True).first())
    return council or _("Ратуша")


def tracking_link(code: str) -> str:
    return absolute_url(reverse("appeals_public:track") + "?" + urlencode({"code": code}))


def appeal_number(appeal: Any) -> str:
    """What the applicant calls the appeal: its registration index once registered, else the code."""
    document = appeal.document if appeal.document_id else None
    return document.reg_index if document is not None else appeal.tracking_code


def appeal_date(appeal: Any) -> dt.date:
    document = appeal.document if appeal.document_id else None
    return document.reg_date if document is not None else appeal.received_date


def status_phrase(status: str) -> str:
    """«Надано відповідь» → «надано відповідь» (after a dash in a subject line)."""
    label = str(AppealStatus(status).label)
    return label[:1].lower() + label[1:]


def _message(*, to: str, subject: str, template: str, context: dict[str, Any]) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"site_name": council_name(), "base_url": settings.BASE_URL, **context}
        text = _tidy_text(render_to_string(f"appeals/public/email/{template}.txt", context))
        html = render_to_string(f"appeals/public/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text,
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def event_subject(event: Any) -> str:
    appeal = event.appeal
    with translation.override(settings.LANGUAGE_CODE):
        if event.status == AppealStatus.SUBMITTED:
            # «Ратуша: ваше звернення отримано — код ABCD-EFGH-JKMN-PQRS»
            return _("Ратуша: ваше звернення отримано — код %(code)s") % {"code": appeal.tracking_code}
        # «Ратуша: ваше звернення № К-15 — надано відповідь»
        return _("Ратуша: ваше звернення № %(number)s — %(status)s") % {
            "number": appeal_number(appeal), "status": status_phrase(event.status)}


def build_event_message(event: Any) -> EmailMultiAlternatives:
    appeal = event.appeal
    show_deadline = appeal.deadline and appeal.status in OPEN_STATUSES
    context = {
        "appeal": appeal,
        "event": event,
        "number": appeal_number(appeal),
        "date": appeal_date(appeal).strftime("%d.%m.%Y"),
        "status": AppealStatus(event.status).label,
        "message": (event.message or "").strip(),
        "deadline": appeal.deadline.strftime("%d.%m.%Y") if show_deadline else "",
        "code": appeal.tracking_code,
        "link": tracking_link(appeal.tracking_code),
        "organisation": appeal.organisation.name,
    }
    template = "submitted" if event.status == AppealStatus.SUBMITTED else "event"
    return _message(to=appeal.email, subject=event_subject(event), template=template, context=context)


def appeal_event_email_send(*, event_id: Any) -> str:
    """Send one event's e-mail unless it was sent; returns "sent", "skipped", "done" or "failed".

    The claim is ``emailed_at`` null → now, so a duplicated task or a second worker sends nothing. A
    failure releases the claim (logged, never raised): the sweep retries it.
    """
    from ratusha.appeals.models import AppealEvent

    event = AppealEvent.objects.select_related("appeal", "appeal__document", "appeal__organisation").filter(
        pk=event_id).first()
    if event is None:
        return "skipped"
    if not (event.appeal.email or "").strip():
        return "skipped"
    now = timezone.now()
    if not AppealEvent.objects.filter(pk=event.pk, emailed_at__isnull=True).update(emailed_at=now):
        return "done"
    try:
        build_event_message(event).send()
    except Exception as exc:  # noqa: BLE001 — any transport error is logged and retried, never raised
        logger.warning("appeal event %s: e-mail failed: %s", event.pk, error_text(exc))
        AppealEvent.objects.filter(pk=event.pk, emailed_at=now).update(emailed_at=None)
        return "failed"
    return "sent"


@task
def appeal_event_email_task(event_id: str) -> str:
    return appeal_event_email_send(event_id=event_id)


def appeal_event_email_retry(*, now: dt.datetime | None = None) -> int:
    """Send the e-mails that failed (or whose task was lost) within the last ``RETRY_DAYS``."""
    from ratusha.appeals.models import AppealEvent

    now = now or timezone.now()
    pending = (AppealEvent.objects.filter(emailed_at__isnull=True,
                                          created_at__gte=now - dt.timedelta(days=RETRY_DAYS),
                                          created_at__lte=now - dt.timedelta(minutes=RETRY_AFTER_MINUTES))
               .exclude(appeal__email="").values_list("pk", flat=True))
    return sum(appeal_event_email_send(event_id=pk) == "sent" for pk in list(pending))


@cron("*/30 * * * *")
@task
def appeal_event_email_retry_task() -> int:
    return appeal_event_email_retry()
