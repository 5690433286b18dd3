"""Personal reception, public side: published schedules, free slots on working days, booking with the
confirmation e-mail (real SMTP), bad input, anti-abuse, and cancelling by the signed link."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from ratusha.appeals.reception import selectors
from ratusha.appeals.reception.constants import BookingStatus
from ratusha.appeals.reception.emails import cancel_token
from ratusha.appeals.reception.forms import slot_value
from ratusha.appeals.reception.models import ReceptionBooking
from ratusha.calendar import services as calendar_services
from ratusha.calendar.selectors import is_working_day
from ratusha.core.models import AuditEvent
from tests.factories import UserFactory
from tests.reception.conftest import booking_data, make_schedule
from tests.smtp import SMTPServer

pytestmark = pytest.mark.django_db

KYIV = timezone.get_default_timezone()


def at(y, m, d, hh=8, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=KYIV)


def first_free(schedule):
    day = next(d for d in selectors.free_slots(schedule) if d.free)
    return day.date, day.free[0]


# --- schedule rules ------------------------------------------------------------------------------


def test_weekly_monthly_and_exact_dates(council, official):
    weekly = make_schedule(council, official, weekdays=[3])                       # every Thursday
    second = make_schedule(council, official, weekdays=[3], weeks_of_month=[2])   # 2nd Thursday
    last = make_schedule(council, official, weekdays=[0], weeks_of_month=[5])     # last Monday
    dated = make_schedule(council, official, weekdays=[], dates=["2026-06-05"])
    assert selectors.occurs_on(weekly, dt.date(2026, 6, 4)) and selectors.occurs_on(weekly, dt.date(2026, 6, 11))
    assert not selectors.occurs_on(second, dt.date(2026, 6, 4)) and selectors.occurs_on(second, dt.date(2026, 6, 11))
    assert selectors.occurs_on(last, dt.date(2026, 6, 29)) and not selectors.occurs_on(last, dt.date(2026, 6, 22))
    assert selectors.occurs_on(dated, dt.date(2026, 6, 5)) and not selectors.occurs_on(dated, dt.date(2026, 6, 12))
    limited = make_schedule(council, official, weekdays=[3], valid_from=dt.date(2026, 6, 10))
    assert not selectors.occurs_on(limited, dt.date(2026, 6, 4)) and selectors.occurs_on(limited, dt.date(2026, 6, 11))


def test_slots_for_four_weeks_on_working_days_only(schedule):
    admin = UserFactory(is_superuser=True, is_staff=True)
    calendar_services.day_override_add(actor=admin, day=dt.date(2026, 6, 3), working=False,
                                       reason="Рішення виконкому № 1")
    now = at(2026, 6, 1, 8, 0)  # Monday
    days = selectors.free_slots(schedule, now=now)
    dates = [d.date for d in days]
    assert dates[0] == dt.date(2026, 6, 1) and dates[-1] <= dt.date(2026, 6, 29)
    assert all(is_working_day(d) for d in dates)
    assert all(d.weekday() < 5 for d in dates)          # weekends are not working days
    assert dt.date(2026, 6, 3) not in dates              # a day off by a local decision
    expected = [d for d in (dt.date(2026, 6, 1) + dt.timedelta(n) for n in range(29)) if is_working_day(d)]
    assert dates == expected
    assert [t.strftime("%H:%M") for t in days[1].free] == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
    # today: nothing starting within the next hour
    late = selectors.free_slots(schedule, now=at(2026, 6, 1, 9, 45))
    assert [t.strftime("%H:%M") for t in late[0].free] == ["11:00", "11:30"]


def test_taken_slots_are_not_offered(schedule):
    now = at(2026, 6, 1, 8, 0)
    ReceptionBooking.objects.create(schedule=schedule, date=dt.date(2026, 6, 2), time=dt.time(9, 0),
                                    last_name="Інша", first_name="Особа", topic="Інше питання", confirmation_code="AAAA-BBBB")
    tuesday = next(d for d in selectors.free_slots(schedule, now=now) if d.date == dt.date(2026, 6, 2))
    assert dt.time(9, 0) not in tuesday.free and tuesday.taken == 1


# --- public pages --------------------------------------------------------------------------------


def test_schedules_page_lists_published_schedules_only(client, council, official):
    make_schedule(council, official, position="Міський голова", weekdays=[0, 3])
    make_schedule(council, official, official_name="Чернетка Прихована", is_published=False)
    make_schedule(council, official, official_name="Минулий Графік", valid_to=timezone.localdate() - dt.timedelta(1))
    response = client.get("/reception/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Поліщук Ігор Ігорович" in html and "Міський голова" in html
    assert "щотижня: понеділок, четвер" in html and "09:00–12:00" in html and "каб. 101" in html
    assert "Чернетка Прихована" not in html and "Минулий Графік" not in html
    assert "першочергово" in html  # the art. 22 priority note


def test_unpublished_schedule_cannot_be_booked(client, council, official):
    hidden = make_schedule(council, official, is_published=False)
    assert client.get(f"/reception/book/{hidden.pk}/").status_code == 404


def test_booking_with_confirmation_email(client, schedule, smtp_server, django_capture_on_commit_callbacks):
    day, time = first_free(schedule)
    page = client.get(f"/reception/book/{schedule.pk}/")
    assert page.status_code == 200
    assert f'value="{slot_value(day, time)}"' in page.content.decode() and "<optgroup" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reception/book/{schedule.pk}/", booking_data(slot_value(day, time), category="01"))
    assert response.status_code == 302 and response["Location"].startswith("/reception/booked/")
    booking = ReceptionBooking.objects.get()
    assert (booking.date, booking.time, booking.status) == (day, time, BookingStatus.BOOKED)
    assert booking.citizen_name == "Коваль Марія Петрівна" and booking.priority is True and booking.consent_at
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", booking.confirmation_code)
    assert AuditEvent.objects.filter(action="reception.booked", object_id=str(booking.pk)).exists()

    [message] = smtp_server.messages
    date, hhmm = day.strftime("%d.%m.%Y"), time.strftime("%H:%M")
    assert message["Subject"] == f"Ратуша: запис на особистий прийом {date} о {hhmm}"
    assert message["To"] == "maria.koval@example.com"
    weekday = ["понеділок", "вівторок", "середа", "четвер", "п'ятниця", "субота", "неділя"][day.weekday()]
    link = f"http://127.0.0.1:8000/reception/cancel/{cancel_token(booking)}/"
    assert SMTPServer.text(message) == (
        "Добрий день!\n\n"
        "Вас записано на особистий прийом.\n\n"
        "Посадова особа: Поліщук Ігор Ігорович, Міський голова\n"
        f"Дата: {weekday}, {date}\n"
        f"Час: {hhmm}\n"
        "Місце: м. Луцьк, вул. Богдана Хмельницького, 19, каб. 101\n"
        f"Код запису: {booking.confirmation_code}\n"
        "Питання: Ремонт під'їзду будинку, протікає дах.\n\n"
        "Ви зазначили пільгову категорію: вас буде прийнято першочергово (ст. 22 Закону України «Про звернення "
        "громадян»). Візьміть із собою документ, що це підтверджує.\n\n"
        "Візьміть із собою документ, що посвідчує особу. Ваше звернення на прийомі буде зареєстровано.\n\n"
        "Якщо ви не зможете прийти, скасуйте запис, щоб час міг використати хтось інший:\n"
        f"{link}\n\n"
        "—\nЛуцька міська рада\nЦей лист надіслано автоматично, відповідати на нього не потрібно.\n")
    assert 'href="' + link + '"' in SMTPServer.html(message)

    confirmation = client.get(response["Location"])
    html = confirmation.content.decode()
    assert booking.confirmation_code in html and hhmm in html and "першочергово" in html
    # the slot is no longer offered
    assert client.get(f"/reception/book/{schedule.pk}/").content.decode().count(f'value="{slot_value(day, time)}"') == 0


@pytest.mark.parametrize(("field", "message"), [
    ("slot", "Оберіть дату і час прийому."),
    ("last_name", "Вкажіть прізвище."),
    ("first_name", "Вкажіть ім&#x27;я."),
    ("address", "Вкажіть місце проживання."),
    ("email", "Вкажіть електронну пошту: на неї надійде підтвердження запису."),
    ("topic", "Коротко опишіть питання, з яким ви йдете на прийом."),
    ("consent", "Підтвердьте, що ви ознайомилися з повідомленням про обробку персональних даних."),
])
def test_booking_required_fields(client, schedule, field, message):
    day, time = first_free(schedule)
    data = booking_data(slot_value(day, time), **{field: None if field == "consent" else ""})
    response = client.post(f"/reception/book/{schedule.pk}/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and response.context["form"].errors.keys() == {field}
    if field != "topic":
        assert "Ремонт під&#x27;їзду будинку" in html
    assert ReceptionBooking.objects.count() == 0


def test_slot_outside_the_schedule_is_refused(client, schedule):
    sunday = timezone.localdate() + dt.timedelta(days=(6 - timezone.localdate().weekday()) or 7)
    for slot in (slot_value(sunday, dt.time(9, 0)), "2020-01-01T09:00", "nonsense"):
        response = client.post(f"/reception/book/{schedule.pk}/", booking_data(slot))
        assert response.status_code == 400
        assert response.context["form"].errors["slot"]
    assert ReceptionBooking.objects.count() == 0


def test_honeypot_and_rate_limit(client, schedule, settings):
    day, time = first_free(schedule)
    bot = client.post(f"/reception/book/{schedule.pk}/", booking_data(slot_value(day, time), homepage="x"))
    assert bot.status_code == 400 and "Не вдалося записатися" in bot.content.decode()
    assert ReceptionBooking.objects.count() == 0
    settings.APPEALS = {"RECEPTION_BOOKING_LIMIT": 2}  # the honeypot hit above counts too
    days = [d for d in selectors.free_slots(schedule) if d.free]
    assert client.post(f"/reception/book/{schedule.pk}/", booking_data(slot_value(days[0].date, days[0].free[-1]))
                       ).status_code == 302
    blocked = client.post(f"/reception/book/{schedule.pk}/", booking_data(slot_value(days[1].date, days[1].free[0])))
    assert blocked.status_code == 429 and "Забагато записів" in blocked.content.decode()
    assert "Ремонт під&#x27;їзду будинку" in blocked.content.decode()


def test_cancel_by_signed_link_frees_the_slot(client, schedule):
    day, time = first_free(schedule)
    client.post(f"/reception/book/{schedule.pk}/", booking_data(slot_value(day, time)))
    booking = ReceptionBooking.objects.get()
    url = f"/reception/cancel/{cancel_token(booking)}/"
    page = client.get(url)
    assert page.status_code == 200 and booking.confirmation_code in page.content.decode()
    done = client.post(url)
    assert "Запис скасовано" in done.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_at is not None
    assert client.post(url).status_code == 200  # twice is harmless
    assert AuditEvent.objects.filter(action="reception.booking_cancel").count() == 1
    # the slot can be booked again (the unique constraint ignores cancelled bookings)
    assert client.post(f"/reception/book/{schedule.pk}/", booking_data(slot_value(day, time))).status_code == 302
    assert client.get("/reception/cancel/forged/").status_code == 404


def test_confirmation_failure_is_kept_and_retried(client, schedule, smtp_down, caplog,
                                                  django_capture_on_commit_callbacks):
    from ratusha.appeals.reception.emails import booking_email_retry
    from tests.smtp import mail_to, running_smtp_server

    day, time = first_free(schedule)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reception/book/{schedule.pk}/", booking_data(slot_value(day, time)))
    assert response.status_code == 302  # the booking stands although the e-mail failed
    booking = ReceptionBooking.objects.get()
    assert booking.confirmation_sent_at is None
    assert any("confirmation e-mail failed" in r.getMessage() for r in caplog.records)
    with running_smtp_server() as server, mail_to(server.host, server.port):
        assert booking_email_retry(now=timezone.now()) == 0  # too fresh
        assert booking_email_retry(now=timezone.now() + dt.timedelta(minutes=11)) == 1
        assert booking_email_retry(now=timezone.now() + dt.timedelta(minutes=12)) == 0
        [message] = server.messages
    assert message["Subject"].startswith("Ратуша: запис на особистий прийом")
