"""One slot, one booking: several citizens booking the same slot at the same moment (own connections)."""

import pytest
from django.db import connection

from ratusha.appeals.reception import selectors
from ratusha.appeals.reception.models import ReceptionBooking
from ratusha.appeals.reception.services import SlotTakenError, reception_booking_create
from tests.concurrency import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_double_booking_is_refused(schedule):
    day = next(d for d in selectors.free_slots(schedule) if d.free)
    time = day.free[0]
    threads = 4 if connection.vendor == "postgresql" else 3

    def book(n: int):
        return reception_booking_create(
            schedule=schedule, date=day.date, time=time, last_name=f"Заявник{n}", first_name="Іван",
            address="м. Луцьк", email=f"z{n}@example.com", topic="Питання щодо благоустрою двору", consent=True)

    outcomes = run_concurrently(book, [(n,) for n in range(threads)])
    booked = [o for o in outcomes if isinstance(o, ReceptionBooking)]
    refused = [o for o in outcomes if isinstance(o, SlotTakenError)]
    assert len(booked) == 1, outcomes
    assert len(refused) == threads - 1, outcomes
    assert refused[0].message == "Цей час щойно зайняв інший відвідувач. Оберіть, будь ласка, інший час."
    assert ReceptionBooking.objects.filter(schedule=schedule, date=day.date, time=time).count() == 1
