"""Writes of the notifications app: make a notification, mark read, change preferences.

``notify`` is called by other apps' services inside their own transaction; the calling service's
audit event records the business action, so a notification (derived data) writes no audit event of
its own, and neither does marking one read. Changing e-mail preferences is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.notifications.constants import Delivery, EmailState, NotificationKind
from ratusha.notifications.models import Notification, NotificationPreference
from ratusha.notifications.selectors import delivery_for


def _email_state(recipient: Any, delivery: str, email: bool) -> str:
    if not email or delivery == Delivery.OFF:
        return EmailState.SKIPPED
    if not (recipient.email or "").strip() or not recipient.is_active:
        return EmailState.SKIPPED
    return EmailState.PENDING


def notify(*, recipient: Any, kind: str, title: str, body: str = "", url: str = "", obj: Model | None = None,
           actor: Any = None, email: bool = True) -> Notification:
    """Make an in-app notification for ``recipient`` and arrange its e-mail per their preference.

    Immediate → a task sends the e-mail after commit; digest → it waits for the next daily digest;
    off, ``email=False`` or no e-mail address → in-app only.
    """
    if kind not in NotificationKind.values:
        raise ApplicationError(_("Невідомий вид сповіщення."), code="invalid", field="kind")
    title = " ".join((title or "").split())[:300]
    if not title:
        raise ApplicationError(_("Сповіщення має мати заголовок."), code="required", field="title")
    delivery = delivery_for(recipient, kind)
    state = _email_state(recipient, delivery, email)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient, actor=actor_obj, kind=kind, title=title, body=(body or "").strip(),
            url=(url or "")[:500],
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:300] if obj is not None else "",
            delivery=delivery, email_state=state,
        )
        if state == EmailState.PENDING and delivery == Delivery.IMMEDIATE:
            from ratusha.notifications.tasks import send_notification_email_task

            notification_id = str(notification.pk)
            transaction.on_commit(lambda: send_notification_email_task.enqueue(notification_id), robust=True)
    return notification


def notify_many(*, recipients: Iterable[Any], **kwargs: Any) -> list[Notification]:
    """``notify`` each distinct recipient once (e.g. all executors of an assignment)."""
    seen: set[Any] = set()
    out = []
    for recipient in recipients:
        if recipient is None or recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        out.append(notify(recipient=recipient, **kwargs))
    return out


def _as_uuid(value: Any) -> uuid.UUID | None:
    """A malformed id matches nothing."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def notifications_mark_read(*, user: Any, ids: list | None = None) -> int:
    """Mark the user's unread notifications read (``ids=None``: all of them). Returns how many changed.

    Only the user's own notifications are touched: ids of someone else's are silently ignored.
    """
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        clean = [pk for pk in (_as_uuid(value) for value in ids) if pk is not None]
        if not clean:
            return 0
        qs = qs.filter(pk__in=clean)
    with transaction.atomic():
        return qs.update(read_at=timezone.now())


def preferences_update(*, user: Any, values: dict[str, str]) -> None:
    """Set the user's e-mail delivery per notification kind; kinds not in ``values`` stay as they are."""
    errors = {}
    for kind, delivery in values.items():
        if kind not in NotificationKind.values:
            raise ApplicationError(_("Невідомий вид сповіщення."), code="invalid", field=str(kind))
        if delivery not in Delivery.values:
            errors[kind] = delivery
    if errors:
        kind = next(iter(errors))
        raise ApplicationError(_("Оберіть, як надсилати e-mail: одразу, у щоденному зведенні або не надсилати."),
                               code="invalid", field=kind)
    with transaction.atomic():
        # The person's row is the lock: two tabs saving at once queue up (the later save wins, as the
        # person meant it) instead of both inserting the same (user, kind) and failing on the unique key.
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        current = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
        changed = {}
        for kind, delivery in values.items():
            pref = current.get(kind)
            if pref is None:
                NotificationPreference.objects.create(user=user, kind=kind, delivery=delivery)
                changed[kind] = delivery
            elif pref.delivery != delivery:
                pref.delivery = delivery
                pref.save(update_fields=["delivery"])
                changed[kind] = delivery
        if changed:
            audit_log(actor=user, action="notifications.preferences_update", obj=user,
                      params={"changed": changed})


def notification_email_mark(*, notification_ids: Iterable[Any], state: str, error: str = "") -> int:
    """Record the outcome of an e-mail attempt on notifications (used by the senders)."""
    values: dict[str, Any] = {"email_state": state, "email_error": error[:500]}
    if state == EmailState.SENT:
        values["emailed_at"] = timezone.now()
    with transaction.atomic():
        return Notification.objects.filter(pk__in=list(notification_ids)).update(**values)
