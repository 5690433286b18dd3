"""The daily digest: ONE e-mail per person per working day.

It joins the sections that other apps' providers give (e.g. workflow: «строки виконання») with the
person's notifications still waiting for an e-mail (digest mode, failed ones, and immediate ones lost by a
crashed worker). A ``DigestRun`` row, unique per (person, date), is the claim: a re-run or a second
worker sends nothing twice; a failed digest may be retried the same day.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.notifications import emails
from ratusha.notifications.constants import (
    DIGEST_PROVIDER_KIND,
    LOST_EMAIL_MINUTES,
    STALE_DIGEST_MINUTES,
    Delivery,
    DigestState,
    EmailState,
    NotificationKind,
)
from ratusha.notifications.models import DigestRun, Notification
from ratusha.notifications.selectors import delivery_for

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5  # a notification that failed this often is no longer retried
MAX_DIGEST_NOTIFICATIONS = 200  # per e-mail; the rest wait for the next day (the office list has all)


@dataclass
class DigestItem:
    text: str
    url: str = ""
    due: dt.date | None = None
    note: str = ""


@dataclass
class DigestSection:
    title: str
    items: list[DigestItem] = field(default_factory=list)


DigestProvider = Callable[[dt.date], dict[Any, list[DigestSection]]]
_PROVIDERS: list[DigestProvider] = []


def register_digest_provider(provider: DigestProvider) -> None:
    """Add ``provider(on_date) -> {user_id: [sections]}``; call from an ``AppConfig.ready()``."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def unregister_digest_provider(provider: DigestProvider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def waiting_notifications(user: Any) -> QuerySet[Notification]:
    """The person's notifications the digest should e-mail."""
    lost_before = timezone.now() - dt.timedelta(minutes=LOST_EMAIL_MINUTES)
    return (Notification.objects.filter(recipient=user, emailed_at__isnull=True,
                                        email_attempts__lt=MAX_EMAIL_ATTEMPTS)
            .filter(Q(email_state=EmailState.PENDING, delivery=Delivery.DIGEST)
                    | Q(email_state=EmailState.FAILED)
                    | Q(email_state__in=[EmailState.PENDING, EmailState.SENDING], created_at__lt=lost_before))
            .order_by("created_at"))


def _provider_sections(on: dt.date) -> dict[str, list[DigestSection]]:
    out: dict[str, list[DigestSection]] = defaultdict(list)
    for provider in list(_PROVIDERS):
        try:
            result = provider(on) or {}
        except Exception:  # one broken provider must not stop everyone's digest
            logger.exception("digest provider %r failed", provider)
            continue
        for user_id, sections in result.items():
            out[str(getattr(user_id, "pk", user_id))].extend(s for s in sections if s.items)
    return out


def _notification_sections(notes: list[Notification]) -> list[DigestSection]:
    by_kind: dict[str, DigestSection] = {}
    for note in notes:
        section = by_kind.get(note.kind)
        if section is None:
            title = NotificationKind(note.kind).label if note.kind in NotificationKind.values else _("Сповіщення")
            section = by_kind[note.kind] = DigestSection(title=str(title))
        section.items.append(DigestItem(text=note.title, url=note.url, note=note.body.split("\n")[0][:300]))
    return list(by_kind.values())


def _claim(user: Any, on: dt.date) -> DigestRun | None:
    """Take the (user, date) digest, or None when another run has it or it was sent already."""
    try:
        with transaction.atomic():
            return DigestRun.objects.create(user=user, date=on, state=DigestState.SENDING)
    except IntegrityError:
        pass
    now = timezone.now()
    retry = Q(state=DigestState.FAILED) | Q(state=DigestState.SENDING,
                                            claimed_at__lt=now - dt.timedelta(minutes=STALE_DIGEST_MINUTES))
    with transaction.atomic():
        taken = DigestRun.objects.filter(retry, user=user, date=on).update(
            state=DigestState.SENDING, claimed_at=now, error="")
    return DigestRun.objects.get(user=user, date=on) if taken else None


def digest_send_user(*, user: Any, on: dt.date, sections: list[DigestSection] | None = None) -> bool:
    """Send the person's digest for ``on`` if there is anything in it and it was not sent yet."""
    if not user.is_active or not (user.email or "").strip():
        return False
    sections = [s for s in (sections or []) if s.items]
    if delivery_for(user, DIGEST_PROVIDER_KIND) == Delivery.OFF:
        sections = []
    if not sections and not waiting_notifications(user).exists():
        return False
    run = _claim(user, on)
    if run is None:
        return False
    notes = list(waiting_notifications(user)[:MAX_DIGEST_NOTIFICATIONS])
    all_sections = sections + _notification_sections(notes)
    count = sum(len(s.items) for s in all_sections)
    if not count:
        DigestRun.objects.filter(pk=run.pk).delete()  # nothing left (sent meanwhile): free the day
        return False
    ids = [n.pk for n in notes]
    Notification.objects.filter(pk__in=ids).update(email_state=EmailState.SENDING,
                                                   email_attempts=F("email_attempts") + 1)
    from ratusha.notifications.services import notification_email_mark

    try:
        emails.send(emails.build_digest_message(user=user, on=on, sections=all_sections, count=count))
    except Exception as exc:  # noqa: BLE001 — recorded; the next run retries
        error = emails.error_text(exc)
        logger.warning("digest for %s on %s failed: %s", user.pk, on, error)
        DigestRun.objects.filter(pk=run.pk).update(state=DigestState.FAILED, error=error, items=count)
        notification_email_mark(notification_ids=ids, state=EmailState.FAILED, error=error)
        return False
    DigestRun.objects.filter(pk=run.pk).update(state=DigestState.SENT, sent_at=timezone.now(), items=count,
                                               error="")
    notification_email_mark(notification_ids=ids, state=EmailState.SENT)
    return True


def digest_send_all(*, on: dt.date) -> int:
    """Send every person's digest for ``on``; returns how many e-mails went out."""
    by_user = _provider_sections(on)
    waiting_ids = {str(pk) for pk in Notification.objects.filter(
        emailed_at__isnull=True, email_state__in=[EmailState.PENDING, EmailState.SENDING, EmailState.FAILED],
        email_attempts__lt=MAX_EMAIL_ATTEMPTS,
    ).values_list("recipient_id", flat=True).distinct()}
    user_ids = waiting_ids | set(by_user)
    if not user_ids:
        return 0
    sent = 0
    users = get_user_model().objects.filter(pk__in=list(user_ids), is_active=True).exclude(email="")
    for user in users.order_by("pk").iterator(chunk_size=500):
        try:
            if digest_send_user(user=user, on=on, sections=by_user.get(str(user.pk), [])):
                sent += 1
        except Exception:  # one person's broken data must not stop the others
            logger.exception("digest for %s on %s failed", user.pk, on)
    return sent
