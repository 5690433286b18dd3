"""E-mail subscriptions to the site's news and decisions: double opt-in, one-click unsubscribe
(RFC 8058), one e-mail per announcement per subscriber (idempotent by the announcement's key).

* ``subscription_request`` records the wish (topics pending) and mails a signed confirmation link that
  expires (``CONFIRM_MAX_AGE_SECONDS``); until it is confirmed the address gets nothing else.
* ``subscription_confirm`` applies the pending topics.
* ``subscription_unsubscribe`` takes the address off every topic (from the link in each e-mail, or the
  mail client's one-click button, which POSTs to the same address).
* ``subscribers_notify`` creates a ``Mailing`` (once per key) and a ``Delivery`` per confirmed
  subscriber of the topic; each delivery is sent by its own task after the commit.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.website.audience.constants import (
    CONFIRM_MAX_AGE_SECONDS,
    CONFIRM_SALT,
    TOPICS,
    UNSUBSCRIBE_SALT,
)
from ratusha.website.audience.models import Delivery, Mailing, Subscriber


class SubscriptionTokenError(ApplicationError):
    code = "subscription_token"


def _mask(email: str) -> str:
    """The address as audit events show it (the subscriber row holds it; the log need not)."""
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def confirm_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "n": subscriber.confirm_nonce}, salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.dumps(subscriber.pk, salt=UNSUBSCRIBE_SALT)


def subscription_request(*, email: str, topics: list[str]) -> Subscriber:
    """Record a subscription wish and queue the confirmation e-mail (double opt-in)."""
    email = email.strip().lower()
    wanted = sorted(set(topics) & TOPICS)
    if not wanted:
        raise ApplicationError(_("Оберіть хоча б одну тему розсилки."), field="topics")
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.select_for_update().get_or_create(email=email)
        subscriber.pending_topics = wanted
        subscriber.confirm_nonce = secrets.token_hex(8)
        subscriber.save(update_fields=["pending_topics", "confirm_nonce", "updated_at"])
        audit_log(actor=None, action="subscription.request", obj=subscriber, object_repr=_mask(email),
                  params={"topics": wanted})
        subscriber_id, nonce = subscriber.pk, subscriber.confirm_nonce
        transaction.on_commit(lambda: _enqueue_confirmation(subscriber_id, nonce))
    return subscriber


def _enqueue_confirmation(subscriber_id: int, nonce: str) -> None:
    from ratusha.website.audience.tasks import subscription_confirmation_email_task

    subscription_confirmation_email_task.enqueue(subscriber_id, nonce)


def _subscriber_from(token: str, *, salt: str, max_age: int | None) -> tuple[Subscriber, Any]:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise SubscriptionTokenError(
            _("Термін дії посилання минув. Підпишіться ще раз — ми надішлемо нове посилання."),
            code="expired") from exc
    except signing.BadSignature as exc:
        raise SubscriptionTokenError(
            _("Посилання недійсне: можливо, його скопійовано не повністю."), code="invalid") from exc
    pk = data.get("s") if isinstance(data, dict) else data
    subscriber = Subscriber.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if subscriber is None:
        raise SubscriptionTokenError(_("Посилання недійсне: такої підписки немає."), code="invalid")
    return subscriber, data


def subscription_confirm(*, token: str) -> Subscriber:
    """Confirm the pending topics of the subscriber the (unexpired) link was made for."""
    subscriber, data = _subscriber_from(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE_SECONDS)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if not isinstance(data, dict) or data.get("n") != subscriber.confirm_nonce or not subscriber.confirm_nonce:
            if subscriber.confirmed_at and subscriber.unsubscribed_at is None and not subscriber.confirm_nonce:
                return subscriber  # the same link opened twice: already confirmed
            raise SubscriptionTokenError(
                _("Це посилання вже не діє: є новіший лист із підтвердженням або підписку скасовано."),
                code="stale")
        subscriber.topics = list(subscriber.pending_topics)
        subscriber.pending_topics = []
        subscriber.confirm_nonce = ""
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["topics", "pending_topics", "confirm_nonce", "confirmed_at",
                                       "unsubscribed_at", "updated_at"])
        audit_log(actor=None, action="subscription.confirm", obj=subscriber, object_repr=_mask(subscriber.email),
                  params={"topics": subscriber.topics})
    return subscriber


def subscription_check_unsubscribe_token(*, token: str) -> Subscriber:
    return _subscriber_from(token, salt=UNSUBSCRIBE_SALT, max_age=None)[0]


def subscription_unsubscribe(*, token: str) -> Subscriber:
    """Take the address off every topic (idempotent: a second click changes nothing)."""
    subscriber, _data = _subscriber_from(token, salt=UNSUBSCRIBE_SALT, max_age=None)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.unsubscribed_at is not None and not subscriber.topics:
            return subscriber
        subscriber.unsubscribed_at = timezone.now()
        subscriber.topics = []
        subscriber.pending_topics = []
        subscriber.confirm_nonce = ""
        subscriber.save(update_fields=["unsubscribed_at", "topics", "pending_topics", "confirm_nonce",
                                       "updated_at"])
        audit_log(actor=None, action="subscription.unsubscribe", obj=subscriber,
                  object_repr=_mask(subscriber.email))
    return subscriber


def subscribers_notify(*, topic: str, title: str, url: str, summary: str, key: str) -> int:
    """Queue one e-mail about ``title`` to every confirmed subscriber of ``topic``.

    Idempotent by ``key`` (e.g. ``news:42``, ``decision:<uuid>``): a key seen before mails nobody
    again. Returns the number of e-mails queued."""
    if topic not in TOPICS:
        raise ApplicationError(_("Невідома тема розсилки: %(topic)s") % {"topic": topic}, code="topic")
    with transaction.atomic():
        if Mailing.objects.filter(key=key).exists():
            return 0
        try:
            with transaction.atomic():
                mailing = Mailing.objects.create(key=key[:200], topic=topic, title=title[:500], url=url[:1000],
                                                 summary=summary or "")
        except IntegrityError:  # the same key at the same moment in another process
            return 0
        subscribers = [s for s in Subscriber.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
                       .only("pk", "topics") if topic in (s.topics or [])]
        deliveries = Delivery.objects.bulk_create([Delivery(mailing=mailing, subscriber=s) for s in subscribers])
        ids = [d.pk for d in deliveries] if all(d.pk for d in deliveries) else list(
            Delivery.objects.filter(mailing=mailing).values_list("pk", flat=True))
        audit_log(actor=None, action="subscription.notify", obj=mailing,
                  params={"topic": topic, "recipients": len(ids)})
        transaction.on_commit(lambda: _enqueue_deliveries(ids))
    return len(ids)


def _enqueue_deliveries(ids: list[int]) -> None:
    from ratusha.website.audience.tasks import subscription_delivery_email_task

    for delivery_id in ids:
        subscription_delivery_email_task.enqueue(delivery_id)
