"""Staff pages of the personal reception under /reception/office/: the day's bookings (citizens' details:
personal-data roles and the official only, each read audited), marking visits, registering the oral appeal
from a booking, and the schedules (reception officers and administrators)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratusha.appeals.reception import selectors
from ratusha.appeals.reception.constants import BookingStatus
from ratusha.appeals.reception.forms import DATE_FORMATS, RegisterAppealForm, ScheduleForm
from ratusha.appeals.reception.models import ReceptionSchedule
from ratusha.appeals.reception.services import (
    reception_booking_cancel,
    reception_booking_mark,
    reception_booking_register_appeal,
    reception_schedule_save,
)
from ratusha.appeals.reception.views import describe_days
from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.orgs.models import Organisation


def _day(value: str | None) -> dt.date:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value or "", fmt).date()
        except ValueError:
            continue
    return timezone.localdate()


@office_view
@require_GET
def day(request: HttpRequest) -> HttpResponse:
    user = request.user
    staff_schedules = list(selectors.schedules_for_staff(user))
    can_manage = bool(selectors.manageable_organisation_ids(user))
    if not staff_schedules and not can_manage:
        raise PermissionDenied(_("Записи на прийом бачать працівники приймальні, керівники та посадові особи, "
                                 "що ведуть прийом."))
    on = _day(request.GET.get("date"))
    bookings = selectors.bookings_for_day(user=user, day=on)
    by_schedule: dict[Any, dict[str, Any]] = {}
    for booking in bookings:
        entry = by_schedule.setdefault(booking.schedule_id, {"schedule": booking.schedule, "bookings": []})
        entry["bookings"].append(booking)
    context = {
        "on": on, "today": timezone.localdate(), "groups": list(by_schedule.values()), "count": len(bookings),
        "previous": on - dt.timedelta(days=1), "next": on + dt.timedelta(days=1), "can_manage": can_manage,
        "active": sum(1 for b in bookings if b.status == BookingStatus.BOOKED),
        "priority": sum(1 for b in bookings if b.priority and b.status != BookingStatus.CANCELLED),
    }
    return render(request, "reception/office/day.html", context)


def _booking_or_404(request: HttpRequest, pk: uuid.UUID, *, audit: bool = False) -> Any:
    booking = selectors.booking_for_staff(user=request.user, pk=pk, audit=audit)
    if booking is None:
        raise Http404
    return booking


def _back(booking: Any) -> HttpResponse:
    return redirect(reverse("reception:office") + "?date=" + booking.date.strftime("%d.%m.%Y"))


@office_view
@require_POST
def booking_mark(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    booking = _booking_or_404(request, pk)
    status = request.POST.get("status", "")
    try:
        if status == BookingStatus.CANCELLED:
            reception_booking_cancel(booking=booking, actor=request.user, expected_version=request.POST.get("version"))
        else:
            reception_booking_mark(actor=request.user, booking=booking, status=status,
                                   expected_version=request.POST.get("version"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Запис %(code)s: %(status)s.") % {
            "code": booking.confirmation_code, "status": BookingStatus(status).label.lower()})
    return _back(booking)


@office_view
@require_http_methods(["GET", "POST"])
def register_appeal(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """«Зареєструвати усне звернення» from a booking (art. 22: every appeal at a reception is registered)."""
    booking = _booking_or_404(request, pk, audit=request.method == "GET")
    if booking.appeal_id:
        return redirect("appeals:detail", pk=booking.appeal_id)
    initial = {
        "last_name": booking.last_name, "first_name": booking.first_name, "middle_name": booking.middle_name,
        "address": booking.address, "email": booking.email, "phone": booking.phone, "text": booking.topic,
        "categories": [booking.category] if booking.category else [], "appeal_type": "application",
        "version": booking.version,
    }
    form = RegisterAppealForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = reception_booking_register_appeal(actor=request.user, booking=booking,
                                                       expected_version=form.cleaned_data.get("version"),
                                                       **form.service_kwargs())
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from None
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Усне звернення зареєстровано: № %(index)s.") % {
                "index": appeal.document.reg_index if appeal.document_id else appeal.tracking_code})
            return redirect("appeals:detail", pk=appeal.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reception/office/register.html", {"booking": booking, "form": form,
                                                              "day": booking.date}, status=status)


# --- schedules -----------------------------------------------------------------------------------


def _manageable(request: HttpRequest) -> Any:
    ids = selectors.manageable_organisation_ids(request.user)
    if not ids:
        raise PermissionDenied(_("Графіки прийому ведуть працівники приймальні та адміністратори органу."))
    return Organisation.objects.filter(pk__in=ids).order_by("name")


@office_view
@require_GET
def schedule_list(request: HttpRequest) -> HttpResponse:
    _manageable(request)
    rows = [{"schedule": s, "days": describe_days(s)} for s in selectors.schedules_to_manage(request.user)]
    return render(request, "reception/office/schedules.html", {"rows": rows})


@office_view
@require_http_methods(["GET", "POST"])
def schedule_edit(request: HttpRequest, pk: uuid.UUID | None = None) -> HttpResponse:
    organisations = _manageable(request)
    schedule = None
    if pk is not None:
        schedule = ReceptionSchedule.objects.filter(pk=pk, organisation__in=organisations).first()
        if schedule is None:
            raise Http404
    initial: dict[str, Any] = {"organisation": organisations.first(), "slot_minutes": 15}
    if schedule is not None:
        initial = {
            "organisation": schedule.organisation, "official": schedule.official, "position": schedule.position,
            "weekdays": schedule.weekdays, "weeks_of_month": schedule.weeks_of_month,
            "dates": ", ".join(dt.date.fromisoformat(d).strftime("%d.%m.%Y") for d in schedule.dates),
            "start_time": schedule.start_time.strftime("%H:%M"), "end_time": schedule.end_time.strftime("%H:%M"),
            "slot_minutes": schedule.slot_minutes, "place": schedule.place, "note": schedule.note,
            "valid_from": schedule.valid_from, "valid_to": schedule.valid_to, "is_published": schedule.is_published,
            "version": schedule.version,
        }
    form = ScheduleForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            reception_schedule_save(
                actor=request.user, schedule=schedule, expected_version=cd.get("version"),
                organisation=cd["organisation"], official=cd["official"], position=cd["position"],
                weekdays=cd["weekdays"], weeks_of_month=cd["weeks_of_month"], dates=cd["dates"],
                start_time=cd["start_time"], end_time=cd["end_time"], slot_minutes=cd["slot_minutes"],
                place=cd["place"], note=cd["note"], is_published=cd["is_published"], valid_from=cd["valid_from"],
                valid_to=cd["valid_to"])
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from None
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Графік прийому збережено."))
            return redirect("reception:office_schedules")
    status = 400 if request.method == "POST" else 200
    return render(request, "reception/office/schedule_form.html", {"form": form, "schedule": schedule}, status=status)
