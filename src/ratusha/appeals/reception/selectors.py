"""Reads of the personal reception: the published schedules, their free slots, and — for staff — the
bookings (citizens' personal data: only who handles them, each read audited; Law 2297-VI, docs/legal.md §7)."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ratusha.appeals.reception.constants import DEFAULTS, LAST_WEEK, TAKING_STATUSES
from ratusha.appeals.reception.models import ReceptionBooking, ReceptionSchedule
from ratusha.core.audit import audit_log
from ratusha.orgs.constants import PERSONAL_DATA_ROLES, Role
from ratusha.orgs.permissions import has_role, organisation_ids

# Manage schedules (create, edit, publish): the reception officers and administrators.
SCHEDULE_ROLES = frozenset({Role.RECEPTION, Role.ADMIN})


def setting(key: str) -> Any:
    return getattr(settings, "APPEALS", {}).get(key, DEFAULTS[key])


# --- public ---------------------------------------------------------------------------------------


def published_schedules(*, on: dt.date | None = None) -> QuerySet[ReceptionSchedule]:
    """Schedules citizens see (docs/legal.md §5: the reception schedule is published): published, in force."""
    on = on or timezone.localdate()
    return (ReceptionSchedule.objects.filter(is_published=True, organisation__is_active=True)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .select_related("organisation").order_by("organisation__name", "official_name"))


def week_of_month(day: dt.date) -> int:
    return (day.day - 1) // 7 + 1


def is_last_week(day: dt.date) -> bool:
    return day.day + 7 > pycalendar.monthrange(day.year, day.month)[1]


def occurs_on(schedule: ReceptionSchedule, day: dt.date) -> bool:
    """Whether the schedule has a reception on ``day`` (the calendar is checked by the caller)."""
    if schedule.valid_from and day < schedule.valid_from:
        return False
    if schedule.valid_to and day > schedule.valid_to:
        return False
    if day.isoformat() in (schedule.dates or []):
        return True
    if day.weekday() not in (schedule.weekdays or []):
        return False
    weeks = schedule.weeks_of_month or []
    if not weeks:
        return True
    return week_of_month(day) in weeks or (LAST_WEEK in weeks and is_last_week(day))


def slot_times(schedule: ReceptionSchedule) -> list[dt.time]:
    """Start times of the slots: from the start, every ``slot_minutes``, each ending by the end time."""
    step = dt.timedelta(minutes=max(5, int(schedule.slot_minutes or 15)))
    day = dt.date(2000, 1, 3)
    current = dt.datetime.combine(day, schedule.start_time)
    end = dt.datetime.combine(day, schedule.end_time)
    times = []
    while current + step <= end:
        times.append(current.time())
        current += step
    return times


@dataclass
class DaySlots:
    date: dt.date
    free: list[dt.time] = field(default_factory=list)
    taken: int = 0


def reception_days(schedule: ReceptionSchedule, *, today: dt.date | None = None,
                   days: int | None = None) -> list[dt.date]:
    """Working days (``ratusha.calendar``) within the booking horizon on which the schedule receives."""
    from ratusha.calendar.selectors import is_working_day

    today = today or timezone.localdate()
    horizon = int(days if days is not None else setting("RECEPTION_BOOKING_DAYS"))
    out = []
    for offset in range(horizon + 1):
        day = today + dt.timedelta(days=offset)
        if occurs_on(schedule, day) and is_working_day(day):
            out.append(day)
    return out


def free_slots(schedule: ReceptionSchedule, *, now: dt.datetime | None = None,
               days: int | None = None) -> list[DaySlots]:
    """Free slots for the next weeks, by day; slots already taken or starting too soon are left out."""
    now = timezone.localtime(now or timezone.now())
    earliest = now + dt.timedelta(minutes=int(setting("RECEPTION_MIN_NOTICE_MINUTES")))
    dates = reception_days(schedule, today=now.date(), days=days)
    if not dates:
        return []
    taken: dict[dt.date, set[dt.time]] = {}
    for day, time in (ReceptionBooking.objects.filter(schedule=schedule, date__in=dates, status__in=TAKING_STATUSES)
                      .values_list("date", "time")):
        taken.setdefault(day, set()).add(time)
    times = slot_times(schedule)
    result = []
    for day in dates:
        busy = taken.get(day, set())
        free = [t for t in times if t not in busy
                and timezone.make_aware(dt.datetime.combine(day, t)) >= earliest]
        if free or busy:
            result.append(DaySlots(date=day, free=free, taken=len(busy & set(times))))
    return result


def slot_is_offered(schedule: ReceptionSchedule, day: dt.date, time: dt.time, *,
                    now: dt.datetime | None = None) -> bool:
    """The slot exists in the schedule, on a working reception day within the horizon, not too soon."""
    now = timezone.localtime(now or timezone.now())
    if day not in reception_days(schedule, today=now.date()):
        return False
    if time not in slot_times(schedule):
        return False
    earliest = now + dt.timedelta(minutes=int(setting("RECEPTION_MIN_NOTICE_MINUTES")))
    return timezone.make_aware(dt.datetime.combine(day, time)) >= earliest


# --- staff ---------------------------------------------------------------------------------------


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_manage_schedules(user: Any, organisation: Any) -> bool:
    return _signed_in(user) and has_role(user, organisation, SCHEDULE_ROLES)


def manageable_organisation_ids(user: Any) -> list[str]:
    return organisation_ids(user, SCHEDULE_ROLES) if _signed_in(user) else []


def can_see_bookings(user: Any, schedule: ReceptionSchedule) -> bool:
    """Citizens' details of a schedule's bookings: who handles personal data there, or the official."""
    if not _signed_in(user):
        return False
    return schedule.official_id == user.pk or has_role(user, schedule.organisation_id, PERSONAL_DATA_ROLES)


def schedules_for_staff(user: Any) -> QuerySet[ReceptionSchedule]:
    """Schedules whose bookings the user may see (personal-data roles of the organisation, or the official)."""
    if not _signed_in(user):
        return ReceptionSchedule.objects.none()
    orgs = organisation_ids(user, PERSONAL_DATA_ROLES)
    return (ReceptionSchedule.objects.filter(Q(organisation_id__in=orgs) | Q(official=user))
            .select_related("organisation", "official").order_by("organisation__name", "official_name"))


def schedules_to_manage(user: Any) -> QuerySet[ReceptionSchedule]:
    return (ReceptionSchedule.objects.filter(organisation_id__in=manageable_organisation_ids(user))
            .select_related("organisation", "official").order_by("organisation__name", "official_name"))


def bookings_for_day(*, user: Any, day: dt.date) -> list[ReceptionBooking]:
    """The day's bookings the user may see; the read of citizens' details is audited (one event)."""
    bookings = list(ReceptionBooking.objects.filter(schedule__in=schedules_for_staff(user), date=day)
                    .select_related("schedule", "schedule__organisation", "appeal", "appeal__document")
                    .order_by("time", "-priority", "created_at"))
    if bookings:
        with transaction.atomic():
            audit_log(actor=user, action="reception.bookings_read", object_type="reception.receptionbooking",
                      object_repr=day.strftime("%d.%m.%Y"),
                      params={"date": day, "count": len(bookings), "ids": [str(b.pk) for b in bookings][:200]})
    return bookings


def booking_for_staff(*, user: Any, pk: Any, audit: bool = True) -> ReceptionBooking | None:
    """One booking the user may see (None otherwise); reading its citizen's details is audited."""
    booking = (ReceptionBooking.objects.select_related("schedule", "schedule__organisation", "appeal")
               .filter(pk=pk).first())
    if booking is None or not can_see_bookings(user, booking.schedule):
        return None
    if audit:
        with transaction.atomic():
            audit_log(actor=user, action="reception.booking_read", obj=booking)
    return booking
