"""Every write of the personal reception (Law 393/96-ВР art. 22; docs/architecture.md rule 1).

- ``reception_schedule_save``: an official's reception schedule (created or edited; optimistic version).
- ``reception_booking_create``: a citizen books a free slot; one slot, one booking (a partial unique
  constraint; the loser of a race is told the slot was just taken). Confirmation e-mail after commit.
- ``reception_booking_cancel``: the citizen (signed link) or staff cancel a booking.
- ``reception_booking_mark``: staff mark a booking attended / no-show.
- ``reception_booking_register_appeal``: the oral appeal made at the reception is registered
  (art. 22: every appeal at a personal reception is registered) and the booking marked attended.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.appeals.constants import APPLICANT_CATEGORIES, TRACKING_ALPHABET
from ratusha.appeals.reception import selectors
from ratusha.appeals.reception.constants import BOOKING_TRANSITIONS, LAST_WEEK, BookingStatus
from ratusha.appeals.reception.models import ReceptionBooking, ReceptionSchedule
from ratusha.appeals.services._common import priority_categories
from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from ratusha.orgs.models import Employee

TOPIC_MIN_LENGTH = 10


class ConflictError(ApplicationError):
    code = "conflict"


class SlotTakenError(ApplicationError):
    code = "slot_taken"


def _spaces(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _required(value: Any, *, field: str, limit: int, message: str) -> str:
    text = _spaces(value, limit)
    if not text:
        raise ApplicationError(message, code="required", field=field)
    return text


def booking_transition(booking: ReceptionBooking, target: str) -> str:
    """Check the transitions table; returns the previous status."""
    if target not in BOOKING_TRANSITIONS.get(booking.status, frozenset()):
        raise TransitionError(
            _("Запис у стані «%(from)s» не можна перевести у стан «%(to)s».")
            % {"from": BookingStatus(booking.status).label, "to": BookingStatus(target).label}, field="status")
    previous = booking.status
    booking.status = target
    return previous


def _lock(booking: ReceptionBooking, expected_version: Any = None) -> ReceptionBooking:
    locked = ReceptionBooking.objects.select_for_update().select_related("schedule").get(pk=booking.pk)
    if expected_version not in (None, "") and int(expected_version) != locked.version:
        raise ConflictError(_("Запис щойно змінив інший користувач. Оновіть сторінку і повторіть дію."))
    return locked


# --- schedules ----------------------------------------------------------------------------------


def _clean_dates(values: Iterable[Any]) -> list[str]:
    out = set()
    for value in values or ():
        if isinstance(value, dt.date):
            out.add(value.isoformat())
            continue
        try:
            out.add(dt.date.fromisoformat(str(value).strip()).isoformat())
        except ValueError:
            raise ApplicationError(_("Перевірте дату «%(value)s».") % {"value": value}, code="invalid",
                                   field="dates") from None
    return sorted(out)


def reception_schedule_save(
    *, actor: Any, organisation: Any, official: Any, position: str, start_time: dt.time, end_time: dt.time,
    place: str, weekdays: Iterable[int] = (), weeks_of_month: Iterable[int] = (), dates: Iterable[Any] = (),
    slot_minutes: int = 15, note: str = "", is_published: bool = False, valid_from: dt.date | None = None,
    valid_to: dt.date | None = None, schedule: ReceptionSchedule | None = None, expected_version: Any = None,
) -> ReceptionSchedule:
    """Create (``schedule=None``) or change an official's reception schedule. Existing bookings stay."""
    if not selectors.can_manage_schedules(actor, organisation):
        raise PermissionDeniedError(_("Графіки прийому ведуть працівники приймальні та адміністратори органу."))
    if schedule is not None and str(schedule.organisation_id) != str(organisation.pk):
        raise PermissionDeniedError(_("Графік належить іншому органу."))
    employee = (Employee.objects.filter(user=official, organisation=organisation, is_active=True)
                .select_related("position").first() if official is not None else None)
    if employee is None:
        raise ApplicationError(_("Оберіть посадову особу, яка працює в цьому органі."), code="invalid",
                               field="official")
    position = _required(position or (employee.position.title if employee.position else ""), field="position",
                         limit=300, message=_("Вкажіть посаду."))
    place = _required(place, field="place", limit=300, message=_("Вкажіть місце прийому (адреса, кабінет)."))
    days = sorted({int(d) for d in weekdays or ()})
    if any(d < 0 or d > 6 for d in days):
        raise ApplicationError(_("Невідомий день тижня."), code="invalid", field="weekdays")
    weeks = sorted({int(w) for w in weeks_of_month or ()})
    if any(w < 1 or w > LAST_WEEK for w in weeks):
        raise ApplicationError(_("Невідомий тиждень місяця."), code="invalid", field="weeks_of_month")
    if weeks and not days:
        raise ApplicationError(_("Тижні місяця задаються разом із днями тижня."), code="invalid", field="weekdays")
    exact = _clean_dates(dates)
    if not days and not exact:
        raise ApplicationError(_("Вкажіть дні тижня або окремі дати прийому."), code="required", field="weekdays")
    if start_time is None or end_time is None or start_time >= end_time:
        raise ApplicationError(_("Час закінчення прийому має бути пізніше за час початку."), code="invalid",
                               field="end_time")
    slot_minutes = int(slot_minutes or 0)
    if not 5 <= slot_minutes <= 240:
        raise ApplicationError(_("Тривалість запису — від 5 до 240 хвилин."), code="invalid", field="slot_minutes")
    if valid_from and valid_to and valid_to < valid_from:
        raise ApplicationError(_("Дата «діє до» не може бути раніше за «діє з»."), code="invalid", field="valid_to")
    values = {
        "organisation": organisation, "official": official, "official_name": _spaces(official.get_full_name()
                                                                                     or official.get_username(), 300),
        "position": position, "weekdays": days, "weeks_of_month": weeks, "dates": exact, "start_time": start_time,
        "end_time": end_time, "slot_minutes": slot_minutes, "place": place, "note": _spaces(note, 500),
        "is_published": bool(is_published), "valid_from": valid_from, "valid_to": valid_to,
    }
    if hasattr(official, "middle_name") and official.middle_name:
        values["official_name"] = _spaces(f"{official.last_name} {official.first_name} {official.middle_name}", 300)
    with transaction.atomic():
        if schedule is None:
            schedule = ReceptionSchedule.objects.create(**values)
            action, changed = "reception.schedule_create", sorted(values)
        else:
            locked = ReceptionSchedule.objects.select_for_update().get(pk=schedule.pk)
            if expected_version not in (None, "") and int(expected_version) != locked.version:
                raise ConflictError(_("Графік щойно змінив інший користувач. Оновіть сторінку — ваші зміни "
                                      "не збережено."))
            changed = sorted(k for k, v in values.items() if getattr(locked, k) != v)
            for key, value in values.items():
                setattr(locked, key, value)
            locked.version += 1
            locked.save()
            schedule, action = locked, "reception.schedule_update"
        audit_log(actor=actor, action=action, obj=schedule,
                  params={"changed": [c for c in changed if c != "organisation"], "published": schedule.is_published,
                          "official": str(official.pk)})
    return schedule


# --- bookings -----------------------------------------------------------------------------------


def new_confirmation_code() -> str:
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def reception_booking_create(
    *, schedule: ReceptionSchedule, date: dt.date, time: dt.time, last_name: str, first_name: str,
    middle_name: str = "", address: str, email: str, phone: str = "", topic: str, category: str = "",
    consent: bool, ip: str | None = None, now: dt.datetime | None = None,
) -> ReceptionBooking:
    """A citizen books a slot of a published schedule; the confirmation e-mail goes after commit."""
    if not consent:
        raise ApplicationError(_("Підтвердьте, що ви ознайомилися з повідомленням про обробку персональних "
                                 "даних."), code="required", field="consent")
    if not selectors.published_schedules().filter(pk=schedule.pk).exists():
        raise ApplicationError(_("Цей графік прийому більше не діє."), code="invalid", field="slot")
    if date is None or time is None or not selectors.slot_is_offered(schedule, date, time, now=now):
        raise ApplicationError(_("Оберіть час прийому зі списку вільних."), code="invalid", field="slot")
    last_name = _required(last_name, field="last_name", limit=150, message=_("Вкажіть прізвище."))
    first_name = _required(first_name, field="first_name", limit=150, message=_("Вкажіть ім'я."))
    address = _required(address, field="address", limit=500, message=_("Вкажіть місце проживання."))
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(_("Вкажіть правильну адресу електронної пошти: на неї надійде підтвердження."),
                               code="invalid", field="email") from None
    topic = (topic or "").strip()
    if len(topic) < TOPIC_MIN_LENGTH:
        raise ApplicationError(_("Коротко опишіть питання, з яким ви йдете на прийом."), code="required",
                               field="topic")
    if category and category not in {code for code, _label in APPLICANT_CATEGORIES}:
        raise ApplicationError(_("Невідома категорія заявника."), code="invalid", field="category")
    code = new_confirmation_code()
    while ReceptionBooking.objects.filter(confirmation_code=code).exists():
        code = new_confirmation_code()
    try:
        with transaction.atomic():
            booking = ReceptionBooking.objects.create(
                schedule=schedule, date=date, time=time, last_name=last_name, first_name=first_name,
                middle_name=_spaces(middle_name, 150), address=address, email=email[:254], phone=_spaces(phone, 40),
                topic=topic[:4000], category=category, priority=category in priority_categories(),
                confirmation_code=code, consent_at=timezone.now())
            audit_log(actor=None, action="reception.booked", obj=booking,
                      params={"schedule": str(schedule.pk), "date": date, "time": time.strftime("%H:%M"),
                              "priority": booking.priority, "ip": ip})
            booking_id = str(booking.pk)
            from ratusha.appeals.reception.emails import booking_email_task

            transaction.on_commit(lambda: booking_email_task.enqueue(booking_id, "confirmation"), robust=True)
    except IntegrityError:
        raise SlotTakenError(_("Цей час щойно зайняв інший відвідувач. Оберіть, будь ласка, інший час."),
                             field="slot") from None
    return booking


def reception_booking_cancel(*, booking: ReceptionBooking, actor: Any = None, reason: str = "",
                             expected_version: Any = None) -> ReceptionBooking:
    """Cancel a booking: by the citizen (``actor=None``, through the signed link) or by staff."""
    if actor is not None and not selectors.can_see_bookings(actor, booking.schedule):
        raise PermissionDeniedError(_("Скасувати запис можуть працівники приймальні або посадова особа."))
    with transaction.atomic():
        locked = _lock(booking, expected_version)
        if locked.status == BookingStatus.CANCELLED:
            return locked
        if actor is None and locked.date < timezone.localdate():
            raise ApplicationError(_("День прийому вже минув — скасувати запис неможливо."), code="past")
        previous = booking_transition(locked, BookingStatus.CANCELLED)
        locked.cancelled_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["status", "cancelled_at", "version", "updated_at"])
        audit_log(actor=actor, action="reception.booking_cancel", obj=locked,
                  params={"from": previous, "by": "staff" if actor is not None else "citizen",
                          "reason": _spaces(reason, 300)})
        if actor is not None and locked.email:
            from ratusha.appeals.reception.emails import booking_email_task

            booking_id = str(locked.pk)
            transaction.on_commit(lambda: booking_email_task.enqueue(booking_id, "cancelled"), robust=True)
    return locked


def reception_booking_mark(*, actor: Any, booking: ReceptionBooking, status: str,
                           expected_version: Any = None) -> ReceptionBooking:
    """Staff record the visit: attended or no-show (not before the day of the reception)."""
    if not selectors.can_see_bookings(actor, booking.schedule):
        raise PermissionDeniedError(_("Відмічати прийом можуть працівники приймальні або посадова особа."))
    if status not in (BookingStatus.ATTENDED, BookingStatus.NO_SHOW):
        raise ApplicationError(_("Невідомий стан запису."), code="invalid", field="status")
    with transaction.atomic():
        locked = _lock(booking, expected_version)
        if locked.date > timezone.localdate():
            raise ApplicationError(_("День прийому ще не настав."), code="future", field="status")
        previous = booking_transition(locked, status)
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        audit_log(actor=actor, action="reception.booking_mark", obj=locked, params={"from": previous, "to": status})
    return locked


def reception_booking_register_appeal(*, actor: Any, booking: ReceptionBooking, expected_version: Any = None,
                                      **appeal_fields: Any) -> Any:
    """Register the oral appeal made at the reception (``appeals.services.appeal_register``, form of receipt
    «на особистому прийомі», medium «усне») and mark the booking attended — one transaction."""
    from ratusha.appeals.constants import Medium, ReceiptForm
    from ratusha.appeals.services.registration import appeal_register

    if not selectors.can_see_bookings(actor, booking.schedule):
        raise PermissionDeniedError(_("Зареєструвати звернення з прийому можуть працівники приймальні."))
    with transaction.atomic():
        locked = _lock(booking, expected_version)
        if locked.appeal_id:
            raise ApplicationError(_("Звернення з цього прийому вже зареєстровано."), code="already_registered")
        if locked.status == BookingStatus.CANCELLED:
            raise ApplicationError(_("Запис скасовано — звернення з нього не реєструється."), code="cancelled")
        if locked.date > timezone.localdate():
            raise ApplicationError(_("День прийому ще не настав."), code="future")
        fields = {"receipt_form": ReceiptForm.RECEPTION, "medium": Medium.ORAL, **appeal_fields}
        appeal = appeal_register(actor=actor, organisation=locked.schedule.organisation, **fields)
        previous = locked.status
        if locked.status != BookingStatus.ATTENDED:
            booking_transition(locked, BookingStatus.ATTENDED)
        locked.appeal = appeal
        locked.version += 1
        locked.save(update_fields=["status", "appeal", "version", "updated_at"])
        audit_log(actor=actor, action="reception.appeal_registered", obj=locked,
                  params={"from": previous, "appeal": str(appeal.pk)})
    return appeal
