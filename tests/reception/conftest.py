import datetime as dt

import pytest

from ratusha.appeals.reception.models import ReceptionSchedule
from ratusha.orgs.constants import OrgKind
from ratusha.registry.constants import JournalKind
from tests.appeals.test_intake_support import past_started
from tests.factories import EmployeeFactory, JournalFactory, OrganisationFactory, PositionFactory, UserFactory
from tests.ratelimits import rate_limits_clear
from tests.smtp import smtp_down, smtp_server  # noqa: F401 — fixtures for this package's tests


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    rate_limits_clear()
    yield
    rate_limits_clear()


@pytest.fixture
def council(db):
    return OrganisationFactory(kind=OrgKind.CITY_COUNCIL, name="Луцька міська рада", short_name="ЛМР")


@pytest.fixture
def official(council):
    user = UserFactory(username="mayor", first_name="Ігор", last_name="Поліщук", middle_name="Ігорович")
    position = PositionFactory(organisation=council, title="Міський голова")
    EmployeeFactory(user=user, organisation=council, position=position, roles=["head"])
    return user


@pytest.fixture
def officer(council):
    return EmployeeFactory(organisation=council, roles=["reception"]).user


@pytest.fixture
def executor(council):
    return EmployeeFactory(organisation=council, roles=["executor"]).user


@pytest.fixture
def outsider(db):
    return EmployeeFactory(roles=["reception", "registrar", "head"]).user


@pytest.fixture
def appeals_journal(council):
    return JournalFactory(organisation=council, kind=JournalKind.APPEALS, index_template="{seq}")


def make_schedule(organisation, official, **fields):
    values = {
        "organisation": organisation, "official": official, "official_name": "Поліщук Ігор Ігорович",
        "position": "Міський голова", "weekdays": [0, 1, 2, 3, 4, 5, 6], "start_time": dt.time(9, 0),
        "end_time": dt.time(12, 0), "slot_minutes": 30, "place": "м. Луцьк, вул. Богдана Хмельницького, 19, каб. 101",
        "is_published": True,
    }
    values.update(fields)
    return ReceptionSchedule.objects.create(**values)


@pytest.fixture
def schedule(council, official):
    return make_schedule(council, official)


def booking_data(slot: str, /, **overrides) -> dict:
    data = {
        "slot": slot, "last_name": "Коваль", "first_name": "Марія", "middle_name": "Петрівна",
        "address": "м. Луцьк, вул. Ковельська, 10", "email": "maria.koval@example.com", "phone": "+380 67 111 22 33",
        "topic": "Ремонт під'їзду будинку, протікає дах.", "category": "", "consent": "on", "homepage": "",
        "started": past_started(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
