"""E-mails to citizens about their reception bookings: the confirmation (date, time, place, a signed cancel
link) and the notice of a cancellation by staff. Sent by a task after commit; the confirmation once
(``confirmation_sent_at`` is the claim); failures are logged, never raised."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ratusha.appeals.emails import council_name
from ratusha.notifications.emails import _tidy_text, absolute_url, error_text

logger = logging.getLogger(__name__)
CANCEL_SALT = "ratusha.reception.cancel"


def cancel_token(booking: Any) -> str:
    """The signed cancel link's token: the booking id, no expiry (a past or cancelled booking is refused)."""
    return signing.Signer(salt=CANCEL_SALT).sign(str(booking.pk))


def booking_from_token(token: str) -> Any:
    """The booking behind a cancel link, or None for a forged one."""
    from ratusha.appeals.reception.models import ReceptionBooking

    try:
        pk = signing.Signer(salt=CANCEL_SALT).unsign(str(token or ""))
    except signing.BadSignature:
        return None
    try:
        return ReceptionBooking.objects.select_related("schedule", "schedule__organisation").filter(pk=pk).first()
    except (ValueError, TypeError):
        return None


def day_label(day: Any) -> str:
    """«четвер, 04.06.2026»."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{formats.date_format(day, 'l').lower()}, {day.strftime('%d.%m.%Y')}"


def booking_subject(booking: Any, kind: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"date": booking.date.strftime("%d.%m.%Y"), "time": booking.time.strftime("%H:%M")}
        if kind == "cancelled":
            return _("Ратуша: запис на особистий прийом %(date)s о %(time)s скасовано") % values
        return _("Ратуша: запис на особистий прийом %(date)s о %(time)s") % values


def build_booking_message(booking: Any, kind: str) -> EmailMultiAlternatives:
    schedule = booking.schedule
    context = {
        "booking": booking, "schedule": schedule, "organisation": schedule.organisation.name,
        "day": day_label(booking.date), "time": booking.time.strftime("%H:%M"),
        "cancel_link": absolute_url(reverse("reception:cancel", args=[cancel_token(booking)])),
        "schedules_link": absolute_url(reverse("reception:schedules")),
    }
    with translation.override(settings.LANGUAGE_CODE):
        context = {"site_name": council_name(), **context}
        text = _tidy_text(render_to_string(f"reception/email/{kind}.txt", context))
        html = render_to_string(f"reception/email/{kind}.html", context)
    message = EmailMultiAlternatives(subject=booking_subject(booking, kind), body=text,
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=[booking.email])
    message.attach_alternative(html, "text/html")
    return message


def booking_email_send(*, booking_id: Any, kind: str = "confirmation") -> str:
    from ratusha.appeals.reception.models import ReceptionBooking

    booking = (ReceptionBooking.objects.select_related("schedule", "schedule__organisation")
               .filter(pk=booking_id).first())
    if booking is None or not booking.email:
        return "skipped"
    now = timezone.now()
    if kind == "confirmation" and not ReceptionBooking.objects.filter(
            pk=booking.pk, confirmation_sent_at__isnull=True).update(confirmation_sent_at=now):
        return "done"
    try:
        build_booking_message(booking, kind).send()
    except Exception as exc:  # noqa: BLE001 — logged, never raised
        logger.warning("reception booking %s: %s e-mail failed: %s", booking.pk, kind, error_text(exc))
        if kind == "confirmation":
            ReceptionBooking.objects.filter(pk=booking.pk, confirmation_sent_at=now).update(confirmation_sent_at=None)
        return "failed"
    return "sent"


@task
def booking_email_task(booking_id: str, kind: str = "confirmation") -> str:
    return booking_email_send(booking_id=booking_id, kind=kind)


def booking_email_retry(*, now: Any = None) -> int:
    """Send the booking confirmations that failed (or whose task was lost): booked, in the future, unsent."""
    import datetime as dt

    from ratusha.appeals.reception.constants import BookingStatus
    from ratusha.appeals.reception.models import ReceptionBooking

    now = now or timezone.now()
    pending = (ReceptionBooking.objects.filter(status=BookingStatus.BOOKED, confirmation_sent_at__isnull=True,
                                               date__gte=timezone.localdate(now),
                                               created_at__lte=now - dt.timedelta(minutes=10))
               .exclude(email="").values_list("pk", flat=True))
    return sum(booking_email_send(booking_id=pk) == "sent" for pk in list(pending))
