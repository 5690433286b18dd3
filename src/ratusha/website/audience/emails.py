"""E-mails of the subscriptions: the confirmation (double opt-in) and the announcement of a news item or
a decision. Ukrainian, plain text + HTML; every announcement carries an unsubscribe link and the
``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers (RFC 2369, RFC 8058 one-click)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ratusha.notifications.emails import _tidy_text, absolute_url, error_text
from ratusha.website.audience.constants import CONFIRM_MAX_AGE_SECONDS, Topic
from ratusha.website.audience.models import Delivery, Subscriber
from ratusha.website.audience.services.subscriptions import confirm_token, unsubscribe_token

logger = logging.getLogger(__name__)


def site_name() -> str:
    from ratusha.appeals.emails import council_name

    return council_name()


def unsubscribe_link(subscriber: Subscriber) -> str:
    return absolute_url(reverse("website:unsubscribe", args=[unsubscribe_token(subscriber)]))


def _message(*, to: str, subject: str, template: str, context: dict[str, Any],
             headers: dict[str, str] | None = None) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"site_name": site_name(), "base_url": settings.BASE_URL, **context}
        text = _tidy_text(render_to_string(f"audience/email/{template}.txt", context))
        html = render_to_string(f"audience/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text,
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def build_confirmation_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(site)s: підтвердіть підписку на розсилку") % {"site": site_name()}
        topics = [str(Topic(t).label) for t in subscriber.pending_topics]
    link = absolute_url(reverse("website:subscribe_confirm", args=[confirm_token(subscriber)]))
    return _message(to=subscriber.email, subject=subject, template="confirm", context={
        "link": link, "topics": topics, "days": CONFIRM_MAX_AGE_SECONDS // 86400})


def build_delivery_message(delivery: Delivery) -> EmailMultiAlternatives:
    mailing, subscriber = delivery.mailing, delivery.subscriber
    unsubscribe = unsubscribe_link(subscriber)
    with translation.override(settings.LANGUAGE_CODE):
        prefix = _("Нове рішення") if mailing.topic == Topic.DECISIONS else _("Новина")
        subject = f"{site_name()}: {prefix} — {mailing.title}"
        topic = str(Topic(mailing.topic).label)
    headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
               "List-Id": f"<{mailing.topic}.{settings.BASE_URL.split('//')[-1].split('/')[0].split(':')[0]}>"}
    return _message(to=subscriber.email, subject=subject, template="announcement", headers=headers, context={
        "mailing": mailing, "link": absolute_url(mailing.url), "topic": topic, "unsubscribe": unsubscribe,
        "summary": (mailing.summary or "").strip()})


def subscription_confirmation_email_send(*, subscriber_id: int, nonce: str) -> str:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.confirm_nonce != nonce or not nonce:
        return "skipped"  # a newer request replaced this one (its own e-mail is on its way)
    try:
        build_confirmation_message(subscriber).send()
    except Exception as exc:  # noqa: BLE001 - logged; the visitor can ask again
        logger.warning("subscription %s: confirmation e-mail failed: %s", subscriber.pk, error_text(exc))
        return "failed"
    return "sent"


def subscription_delivery_email_send(*, delivery_id: int) -> str:
    """Send one announcement unless it was sent; only to a confirmed, still subscribed address."""
    delivery = Delivery.objects.select_related("mailing", "subscriber").filter(pk=delivery_id).first()
    if delivery is None or delivery.sent_at is not None:
        return "done"
    subscriber = delivery.subscriber
    if not subscriber.is_active or delivery.mailing.topic not in subscriber.topics:
        return "skipped"
    now = timezone.now()
    if not Delivery.objects.filter(pk=delivery.pk, sent_at__isnull=True).update(sent_at=now):
        return "done"  # another worker claimed it
    try:
        build_delivery_message(delivery).send()
    except Exception as exc:  # noqa: BLE001 - release the claim; the sweep sends it later
        logger.warning("delivery %s: e-mail failed: %s", delivery.pk, error_text(exc))
        Delivery.objects.filter(pk=delivery.pk, sent_at=now).update(sent_at=None)
        return "failed"
    return "sent"
