"""Personal reception, staff side (/reception/office/): who sees the bookings (audited), marking visits,
registering the oral appeal from a booking, managing schedules (roles, bad input, concurrent edits)."""

import datetime as dt

import pytest
from django.utils import timezone

from ratusha.appeals.constants import AppealStatus, Medium, ReceiptForm
from ratusha.appeals.reception.constants import BookingStatus
from ratusha.appeals.reception.models import ReceptionBooking, ReceptionSchedule
from ratusha.appeals.reception.services import reception_booking_mark
from ratusha.core.errors import PermissionDeniedError
from ratusha.core.models import AuditEvent
from tests.reception.conftest import make_schedule

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def booking(schedule, *, day=None, time=dt.time(9, 0), **fields):
    values = {"schedule": schedule, "date": day or timezone.localdate(), "time": time, "last_name": "Коваль",
              "first_name": "Марія", "middle_name": "Петрівна", "address": "м. Луцьк, вул. Ковельська, 10",
              "email": "maria.koval@example.com", "phone": "+380671112233",
              "topic": "Ремонт під'їзду будинку, протікає дах.", "confirmation_code": f"TEST-{time:%H%M}"}
    values.update(fields)
    return ReceptionBooking.objects.create(**values)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


# --- the day's bookings --------------------------------------------------------------------------


def test_officer_sees_the_days_bookings_and_the_read_is_audited(client, officer, schedule):
    b = booking(schedule, category="03", priority=True)
    response = login(client, officer).get("/reception/office/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Коваль Марія Петрівна" in html and "+380671112233" in html and "першочергово" in html
    assert "Зареєструвати усне звернення" in html
    event = AuditEvent.objects.get(action="reception.bookings_read")
    assert event.actor_id == officer.pk and event.params["ids"] == [str(b.pk)]


def test_official_sees_own_bookings(client, official, schedule):
    booking(schedule)
    assert "Коваль Марія Петрівна" in login(client, official).get("/reception/office/").content.decode()


@pytest.mark.parametrize("who", ["executor", "outsider"])
def test_others_see_nothing(client, schedule, who, request):
    booking(schedule)
    user = request.getfixturevalue(who)
    response = login(client, user).get("/reception/office/")
    assert response.status_code in (200, 403)
    assert "Коваль" not in response.content.decode()
    b = ReceptionBooking.objects.get()
    assert client.get(f"/reception/office/bookings/{b.pk}/register/").status_code == 404
    assert client.post(f"/reception/office/bookings/{b.pk}/mark/", {"status": "attended"}).status_code == 404


def test_anonymous_is_sent_to_login(client, schedule):
    response = client.get("/reception/office/")
    assert response.status_code == 302 and "/office/login/" in response["Location"]


def test_mark_no_show_then_attended_with_version_check(client, officer, executor, schedule):
    b = booking(schedule)
    login(client, officer)
    client.post(f"/reception/office/bookings/{b.pk}/mark/", {"status": "no_show", "version": b.version})
    b.refresh_from_db()
    assert b.status == BookingStatus.NO_SHOW and b.version == 2
    stale = client.post(f"/reception/office/bookings/{b.pk}/mark/", {"status": "attended", "version": 1}, follow=True)
    assert "Запис щойно змінив інший користувач" in stale.content.decode()
    b.refresh_from_db()
    assert b.status == BookingStatus.NO_SHOW
    future = booking(schedule, day=timezone.localdate() + dt.timedelta(days=3), time=dt.time(10, 0))
    with pytest.raises(Exception, match="День прийому ще не настав"):
        reception_booking_mark(actor=officer, booking=future, status=BookingStatus.ATTENDED)
    with pytest.raises(PermissionDeniedError):
        reception_booking_mark(actor=executor, booking=b, status=BookingStatus.ATTENDED)


def test_staff_cancel_emails_the_citizen(client, officer, schedule, smtp_server, django_capture_on_commit_callbacks):
    b = booking(schedule, day=timezone.localdate() + dt.timedelta(days=2))
    login(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reception/office/bookings/{b.pk}/mark/", {"status": "cancelled", "version": b.version})
    b.refresh_from_db()
    assert b.status == BookingStatus.CANCELLED
    [message] = smtp_server.messages
    assert message["Subject"] == (f"Ратуша: запис на особистий прийом {b.date:%d.%m.%Y} о 09:00 скасовано")


# --- the oral appeal from a booking --------------------------------------------------------------


def test_register_oral_appeal_from_booking(client, officer, schedule, appeals_journal,
                                           django_capture_on_commit_callbacks):
    b = booking(schedule, category="01")
    login(client, officer)
    form = client.get(f"/reception/office/bookings/{b.pk}/register/")
    assert form.status_code == 200
    html = form.content.decode()
    assert 'value="Коваль"' in html and "Ремонт під&#x27;їзду будинку" in html
    assert AuditEvent.objects.filter(action="reception.booking_read", object_id=str(b.pk)).exists()
    data = {"last_name": "Коваль", "first_name": "Марія", "middle_name": "Петрівна", "settlement": "м. Луцьк",
            "address": "м. Луцьк, вул. Ковельська, 10", "email": "maria.koval@example.com", "phone": "",
            "appeal_type": "complaint", "text": "Скарга на ЖЕК: дах протікає третій місяць, заявки без відповіді.",
            "categories": ["01"], "social_status": "pensioner", "sex": "f", "version": b.version}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reception/office/bookings/{b.pk}/register/", data)
    b.refresh_from_db()
    assert b.appeal is not None and b.status == BookingStatus.ATTENDED
    appeal = b.appeal
    assert response.status_code == 302 and response["Location"] == f"/office/appeals/{appeal.pk}/"
    assert appeal.status == AppealStatus.REGISTERED and appeal.document_id
    assert appeal.receipt_form == ReceiptForm.RECEPTION and appeal.medium == Medium.ORAL
    assert appeal.appeal_type == "complaint" and appeal.priority is True
    assert AuditEvent.objects.filter(action="reception.appeal_registered", object_id=str(b.pk)).exists()
    # a second attempt goes to the appeal, nothing registered twice
    again = client.get(f"/reception/office/bookings/{b.pk}/register/")
    assert again.status_code == 302 and again["Location"] == f"/office/appeals/{appeal.pk}/"


def test_register_oral_appeal_bad_input_is_kept(client, officer, schedule, appeals_journal):
    b = booking(schedule)
    login(client, officer)
    response = client.post(f"/reception/office/bookings/{b.pk}/register/", {
        "last_name": "Коваль", "first_name": "", "address": "м. Луцьк", "appeal_type": "application", "text": "",
        "version": b.version})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"first_name", "text"}
    assert 'value="Коваль"' in response.content.decode()
    b.refresh_from_db()
    assert b.appeal is None and b.status == BookingStatus.BOOKED


# --- schedules -----------------------------------------------------------------------------------


def schedule_form(council, official, **overrides):
    data = {"organisation": str(council.pk), "official": str(official.pk), "position": "", "weekdays": ["0", "3"],
            "weeks_of_month": [], "dates": "", "start_time": "14:00", "end_time": "17:00", "slot_minutes": "20",
            "place": "каб. 101", "note": "", "valid_from": "", "valid_to": "", "is_published": "on", "version": ""}
    data.update(overrides)
    return data


def test_officer_creates_and_edits_a_schedule(client, officer, council, official):
    login(client, officer)
    assert client.get("/reception/office/schedules/new/").status_code == 200
    response = client.post("/reception/office/schedules/new/", schedule_form(council, official))
    assert response.status_code == 302
    created = ReceptionSchedule.objects.get()
    assert created.position == "Міський голова"  # taken from the employee's card
    assert created.official_name == "Поліщук Ігор Ігорович" and created.weekdays == [0, 3]
    assert created.is_published and created.slot_minutes == 20
    assert AuditEvent.objects.filter(action="reception.schedule_create").exists()
    listing = client.get("/reception/office/schedules/").content.decode()
    assert "Поліщук Ігор Ігорович" in listing and "оприлюднено" in listing
    edit = client.post(f"/reception/office/schedules/{created.pk}/",
                       schedule_form(council, official, place="каб. 205", version=str(created.version)))
    assert edit.status_code == 302
    created.refresh_from_db()
    assert created.place == "каб. 205" and created.version == 2
    stale = client.post(f"/reception/office/schedules/{created.pk}/",
                        schedule_form(council, official, place="каб. 300", version="1"))
    assert stale.status_code == 400 and "Графік щойно змінив інший користувач" in stale.content.decode()
    assert 'value="каб. 300"' in stale.content.decode()
    created.refresh_from_db()
    assert created.place == "каб. 205"


def test_schedule_bad_input(client, officer, council, official):
    login(client, officer)
    response = client.post("/reception/office/schedules/new/",
                           schedule_form(council, official, start_time="15:00", end_time="14:00"))
    assert response.status_code == 400
    assert "Час закінчення прийому має бути пізніше за час початку." in response.content.decode()
    response = client.post("/reception/office/schedules/new/", schedule_form(council, official, weekdays=[]))
    assert "Вкажіть дні тижня або окремі дати прийому." in response.content.decode()
    response = client.post("/reception/office/schedules/new/", schedule_form(council, official, dates="31.02.2026"))
    assert "Перевірте дату «31.02.2026»" in response.content.decode()
    assert ReceptionSchedule.objects.count() == 0


def test_schedules_are_managed_by_reception_and_admin_only(client, executor, official, council, outsider):
    make_schedule(council, official)
    assert login(client, executor).get("/reception/office/schedules/").status_code == 403
    assert client.post("/reception/office/schedules/new/", schedule_form(council, official)).status_code == 403
    other = login(client, outsider)
    assert other.get("/reception/office/schedules/").content.decode().count("Поліщук") == 0
    schedule = ReceptionSchedule.objects.get()
    assert other.get(f"/reception/office/schedules/{schedule.pk}/").status_code == 404
