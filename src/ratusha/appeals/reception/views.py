"""Public pages of the personal reception (Law 393/96-ВР art. 22): the published schedules, booking a
free slot (anti-abuse as the e-appeal form), the confirmation, and cancelling by the signed link."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ratusha.appeals.public_forms import with_fresh_start
from ratusha.appeals.reception import selectors
from ratusha.appeals.reception.constants import WEEKDAYS, WEEKS_OF_MONTH, BookingStatus
from ratusha.appeals.reception.emails import booking_from_token, cancel_token, day_label
from ratusha.appeals.reception.forms import BookingForm, parse_slot, slot_value
from ratusha.appeals.reception.models import ReceptionSchedule
from ratusha.appeals.reception.services import (
    SlotTakenError,
    reception_booking_cancel,
    reception_booking_create,
)
from ratusha.core.auth import client_ip
from ratusha.core.errors import ApplicationError
from ratusha.core.ratelimit import rate_limit_check, rate_limit_hit

logger = logging.getLogger(__name__)
BOOKED_SALT = "ratusha.reception.booked"


def describe_days(schedule: ReceptionSchedule) -> str:
    """«понеділок, четвер» / «вівторок (1-й і 3-й тиждень місяця)» / «окремі дати»."""
    names = dict(WEEKDAYS)
    days = ", ".join(str(names[d]) for d in schedule.weekdays or [] if d in names)
    weeks = schedule.weeks_of_month or []
    if days and weeks:
        labels = dict(WEEKS_OF_MONTH)
        which = ", ".join(str(labels[w]) for w in weeks if w in labels)
        return _("%(days)s (%(weeks)s у місяці)") % {"days": days, "weeks": which}
    if days:
        return _("щотижня: %(days)s") % {"days": days}
    return _("в окремі дати")


def schedule_card(schedule: ReceptionSchedule, *, with_slots: bool = True) -> dict[str, Any]:
    today = timezone.localdate()
    upcoming_dates = [d for d in (schedule.dates or []) if d >= today.isoformat()]
    card: dict[str, Any] = {
        "schedule": schedule,
        "days": describe_days(schedule),
        "hours": f"{schedule.start_time:%H:%M}–{schedule.end_time:%H:%M}",
        "dates": [f"{d[8:10]}.{d[5:7]}.{d[0:4]}" for d in upcoming_dates[:6]],
    }
    if with_slots:
        slots = selectors.free_slots(schedule)
        card["next_day"] = next((d.date for d in slots if d.free), None)
        card["free_count"] = sum(len(d.free) for d in slots)
    return card


@require_GET
def schedules(request: HttpRequest) -> HttpResponse:
    groups: dict[Any, dict[str, Any]] = {}
    for schedule in selectors.published_schedules():
        group = groups.setdefault(schedule.organisation_id, {"organisation": schedule.organisation, "cards": []})
        group["cards"].append(schedule_card(schedule))
    return render(request, "reception/public/schedules.html", {"groups": list(groups.values())})


def _published_or_404(pk: uuid.UUID) -> ReceptionSchedule:
    schedule = selectors.published_schedules().filter(pk=pk).first()
    if schedule is None:
        raise Http404
    return schedule


def _limits() -> dict[str, Any]:
    return {"limit": int(selectors.setting("RECEPTION_BOOKING_LIMIT")),
            "window_minutes": int(selectors.setting("RECEPTION_BOOKING_WINDOW_MINUTES"))}


@never_cache
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    schedule = _published_or_404(pk)
    template = "reception/public/book.html"
    days = selectors.free_slots(schedule)
    context: dict[str, Any] = {"card": schedule_card(schedule, with_slots=False), "days": days,
                               "has_free": any(d.free for d in days)}
    if request.method == "GET":
        form = BookingForm(days=days)
        wanted = request.GET.get("slot", "")
        if parse_slot(wanted) and any(slot_value(d.date, t) == wanted for d in days for t in d.free):
            form.initial["slot"] = wanted
        return render(request, template, {**context, "form": form})

    ip = client_ip(request)
    data = with_fresh_start(request.POST)
    rate = rate_limit_check(scope="reception-book", ip=ip, **_limits())
    if not rate.allowed:
        form = BookingForm(data, days=days)
        form.is_valid()
        form.errors.clear()
        response = render(request, template, {**context, "form": form, "rate_limited": True,
                                              "retry_minutes": rate.retry_minutes}, status=429)
        response["Retry-After"] = str(rate.retry_after)
        return response
    form = BookingForm(request.POST, days=days)
    valid = form.is_valid()
    verdict = form.anti_abuse()
    if verdict == "bot":
        logger.warning("reception booking refused: honeypot filled (ip %s)", ip)
        rate_limit_hit(scope="reception-book", ip=ip, **_limits())
        form = BookingForm(data, days=days)
        form.is_valid()
        form.errors.clear()
        form.add_error(None, _("Не вдалося записатися. Перевірте дані й надішліть форму ще раз."))
        return render(request, template, {**context, "form": form}, status=400)
    if verdict == "fast" and valid:
        form.add_error(None, _("Форму надіслано надто швидко — перевірте, будь ласка, дані й надішліть її ще раз."))
    if not form.is_valid():
        form.data = data
        return render(request, template, {**context, "form": form}, status=400)
    cd = form.cleaned_data
    day, time = cd["slot"]
    try:
        booking = reception_booking_create(
            schedule=schedule, date=day, time=time, last_name=cd["last_name"], first_name=cd["first_name"],
            middle_name=cd["middle_name"], address=cd["address"], email=cd["email"], phone=cd["phone"],
            topic=cd["topic"], category=cd["category"], consent=cd["consent"], ip=ip)
    except ApplicationError as exc:
        if isinstance(exc, SlotTakenError):  # the slot list is stale: offer the fresh one
            days = selectors.free_slots(schedule)
            context.update(days=days, has_free=any(d.free for d in days))
            data["slot"] = ""
            form = BookingForm(data, days=days)
            form.is_valid()
            form.errors.clear()
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        form.data = data
        return render(request, template, {**context, "form": form}, status=409 if isinstance(exc, SlotTakenError)
                      else 400)
    rate_limit_hit(scope="reception-book", ip=ip, **_limits())
    return redirect("reception:booked", token=signing.dumps(str(booking.pk), salt=BOOKED_SALT))


@never_cache
@require_GET
def booked(request: HttpRequest, token: str) -> HttpResponse:
    from ratusha.appeals.reception.models import ReceptionBooking

    try:
        pk = uuid.UUID(str(signing.loads(token, salt=BOOKED_SALT, max_age=60 * 60 * 24 * 7)))
    except (signing.BadSignature, ValueError):
        raise Http404 from None
    booking = ReceptionBooking.objects.select_related("schedule", "schedule__organisation").filter(pk=pk).first()
    if booking is None:
        raise Http404
    return render(request, "reception/public/booked.html", {
        "booking": booking, "schedule": booking.schedule, "day": day_label(booking.date),
        "cancel_token": cancel_token(booking)})


@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    booking = booking_from_token(token)
    if booking is None:
        raise Http404
    context = {"booking": booking, "schedule": booking.schedule, "day": day_label(booking.date), "token": token}
    if request.method == "POST" and booking.status == BookingStatus.BOOKED:
        try:
            booking = reception_booking_cancel(booking=booking)
        except ApplicationError as exc:
            return render(request, "reception/public/cancel.html", {**context, "error": exc.message}, status=400)
        return render(request, "reception/public/cancel.html", {**context, "booking": booking, "done": True})
    return render(request, "reception/public/cancel.html", context)
