"""E-mails of the notifications app: one notification, or the daily digest of one person.

Plain text + an HTML alternative, Ukrainian (the installation's language), rendered from
``templates/notifications/email/``; links are absolute (``settings.BASE_URL``, env ``RATUSHA_BASE_URL``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratusha.notifications.constants import EMAIL_SUBJECT_PHRASES, EmailState

if TYPE_CHECKING:
    from ratusha.notifications.digest import DigestSection
    from ratusha.notifications.models import Notification

logger = logging.getLogger(__name__)
SUBJECT_PART_LIMIT = 120  # characters of a title or object name in a subject line


def absolute_url(url: str) -> str:
    if not url:
        return ""
    if url.startswith(("http://", "https://", "mailto:")):
        return url
    return settings.BASE_URL + (url if url.startswith("/") else "/" + url)


def _tidy_text(text: str) -> str:
    """Template whitespace out of a plain-text body: no trailing spaces, at most one blank line."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _message(*, to: str, subject: str, template: str, context: dict[str, Any]) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"site_name": _("Ратуша"), "base_url": settings.BASE_URL,
                   "settings_link": absolute_url(reverse("notifications:settings")),
                   "list_link": absolute_url(reverse("notifications:list")), **context}
        text = _tidy_text(render_to_string(f"notifications/email/{template}.txt", context))
        html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text,
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def _shorten(text: str, limit: int = SUBJECT_PART_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def notification_subject(notification: Notification) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        phrase = EMAIL_SUBJECT_PHRASES.get(notification.kind)
        if phrase and notification.object_repr:
            # «Ратуша: нове доручення — № 12/01-05»
            return _("Ратуша: %(phrase)s — %(object)s") % {"phrase": phrase,
                                                           "object": _shorten(notification.object_repr)}
        return _("Ратуша: %(title)s") % {"title": _shorten(notification.title)}


def build_notification_message(notification: Notification) -> EmailMultiAlternatives:
    return _message(
        to=notification.recipient.email, subject=notification_subject(notification), template="notification",
        context={"notification": notification, "link": absolute_url(notification.url),
                 "actor": notification.actor.short_name if notification.actor_id else ""},
    )


def digest_subject(on: dt.date, count: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        items = ngettext("%(count)d пункт", "%(count)d пунктів", count) % {"count": count}
        # «Ратуша: зведення на 26.11.2026 — 3 пункти»
        return _("Ратуша: зведення на %(date)s — %(items)s") % {"date": on.strftime("%d.%m.%Y"), "items": items}


def build_digest_message(*, user: Any, on: dt.date, sections: list[DigestSection], count: int
                         ) -> EmailMultiAlternatives:
    rendered = [
        {"title": section.title,
         "items": [{"text": item.text, "link": absolute_url(item.url), "note": item.note,
                    "due": item.due.strftime("%d.%m.%Y") if item.due else ""} for item in section.items]}
        for section in sections if section.items
    ]
    return _message(to=user.email, subject=digest_subject(on, count), template="digest",
                    context={"user": user, "date": on.strftime("%d.%m.%Y"), "sections": rendered,
                             "count": count})


def send(message: EmailMultiAlternatives) -> None:
    """Send through the configured default mailer; raises on failure (callers record it).

    The SMTP timeout is ``EMAIL_TIMEOUT`` (env ``RATUSHA_EMAIL_TIMEOUT``, 30 s).
    """
    message.send()


def error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def notification_email_send(*, notification_id: Any) -> str:
    """Send one notification's immediate e-mail unless already sent; returns the resulting e-mail state.

    Idempotent: the pending → sending update is the claim, so a duplicated task or a second worker sends
    nothing. A failure is recorded on the notification (never raised); the next digest retries it.
    """
    from ratusha.notifications.models import Notification
    from ratusha.notifications.services import notification_email_mark

    claimed = Notification.objects.filter(
        pk=notification_id, emailed_at__isnull=True, email_state=EmailState.PENDING,
    ).update(email_state=EmailState.SENDING, email_attempts=F("email_attempts") + 1)
    notification = Notification.objects.select_related("recipient", "actor").filter(pk=notification_id).first()
    if notification is None:
        return ""
    if not claimed:
        return notification.email_state
    if not (notification.recipient.email or "").strip():
        notification_email_mark(notification_ids=[notification.pk], state=EmailState.SKIPPED)
        return EmailState.SKIPPED
    try:
        send(build_notification_message(notification))
    except Exception as exc:  # noqa: BLE001 — any transport error is recorded, never crashes the worker
        logger.warning("notification %s: e-mail failed: %s", notification.pk, exc)
        notification_email_mark(notification_ids=[notification.pk], state=EmailState.FAILED, error=error_text(exc))
        return EmailState.FAILED
    notification_email_mark(notification_ids=[notification.pk], state=EmailState.SENT)
    return EmailState.SENT
