"""A council with known execution figures for March 2025 (see ``EXPECTED`` in test_selectors.py).

Units: 02 «Відділ благоустрою» (A) with its sub-unit 03 «Сектор озеленення» (A1), and 04 «Відділ освіти» (B).
Report period 01.03.2025–31.03.2025, so the report day is 31.03.2025 (the period is over).
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from ratusha.workflow.constants import AssignmentRole, AssignmentStatus
from tests.factories import EmployeeFactory, OrganisationFactory, PositionFactory, UnitFactory
from tests.reports.factories import AssignmentFactory

D = dt.date
S = AssignmentStatus
PERIOD = (D(2025, 3, 1), D(2025, 3, 31))
END = PERIOD[1]


def person(org, unit, last, first, roles=("executor",), *, is_head=False, username=None):
    position = PositionFactory(organisation=org, unit=unit, is_head=is_head,
                               title="Начальник відділу" if is_head else "Головний спеціаліст")
    return EmployeeFactory(organisation=org, unit=unit, position=position, roles=list(roles),
                           user__username=username or f"u-{last}", user__last_name=last,
                           user__first_name=first, user__middle_name="").user


@pytest.fixture
def scenario(db):
    org = OrganisationFactory(name="Тестівська міська рада", short_name="Тестівська МР", code="testivka")
    unit_a = UnitFactory(organisation=org, code="02", name="Відділ благоустрою")
    unit_a1 = UnitFactory(organisation=org, code="03", name="Сектор озеленення", parent=unit_a)
    unit_b = UnitFactory(organisation=org, code="04", name="Відділ освіти")

    head = EmployeeFactory(organisation=org, unit=None, roles=["head"], user__username="head",
                           user__last_name="Гнатюк", user__first_name="Василь", user__middle_name="").user
    controller = EmployeeFactory(organisation=org, unit=None, roles=["controller"], user__username="ctrl",
                                 user__last_name="Кравець", user__first_name="Людмила",
                                 user__middle_name="").user
    head_a = person(org, unit_a, "Коваль", "Катерина", is_head=True, username="head-a")
    a1 = person(org, unit_a, "Антоненко", "Анна", username="a1")
    a2 = person(org, unit_a, "Бондар", "Богдан", username="a2")
    s1 = person(org, unit_a1, "Савчук", "Семен", username="s1")
    b1 = person(org, unit_b, "Дорошенко", "Дмитро", username="b1")
    b2 = person(org, unit_b, "Єременко", "Євген", username="b2")

    def make(assignee, status=S.ISSUED, deadline=END, done_on=None, **kwargs):
        return AssignmentFactory(organisation=org, assignee=assignee, status=status, deadline=deadline,
                                 done_on=done_on, **kwargs)

    # Антоненко (A): on time 2, late 1, overdue 2, in progress 2.
    make(a1, S.DONE, D(2025, 3, 15), D(2025, 3, 10))                  # on time
    make(a1, S.DONE, D(2025, 3, 15), D(2025, 3, 20))                  # late
    make(a1, S.ISSUED, D(2025, 3, 20))                                # overdue
    parent = make(a1, S.IN_PROGRESS, D(2025, 4, 10))                  # in progress
    make(a1, S.CANCELLED, D(2025, 3, 10))                             # cancelled: never counted
    make(a1, S.DONE, D(2025, 2, 25), D(2025, 2, 20))                  # done before the period
    make(a1, S.DONE, D(2025, 3, 25), D(2025, 4, 5))                   # done after it: overdue on 31.03
    make(a1, S.ISSUED, D(2025, 4, 30), issued=D(2025, 4, 2))          # issued after the period
    make(a1, S.DONE, D(2025, 3, 31), D(2025, 3, 31))                  # on time (on the deadline day)
    make(a1, S.REPORTED, D(2025, 3, 31))                              # in progress (deadline = report day)
    # Бондар (A): on time 1 (as co-executor), late 1, overdue 1.
    make(a2, S.ACCEPTED, D(2025, 1, 15), issued=D(2025, 1, 5))         # overdue since January
    make(a2, S.DONE, D(2025, 2, 28), D(2025, 3, 1))                   # late (first day of the period)
    make(a2, S.DONE, D(2025, 3, 10), D(2025, 3, 5), role=AssignmentRole.CO_EXECUTOR)  # on time
    # Коваль, head of A, given the task as the unit: late 1.
    make(head_a, S.DONE, D(2025, 3, 4), D(2025, 3, 5), unit=unit_a)
    # Савчук (A1), sub-assignments under Антоненко's: on time 1, overdue 1.
    make(s1, S.RETURNED, D(2025, 3, 25), parent=parent)
    make(s1, S.DONE, D(2025, 3, 14), D(2025, 3, 12), parent=parent)
    # Дорошенко (B): on time 1, in progress 1, overdue 1.
    make(b1, S.DONE, D(2025, 3, 3), D(2025, 3, 3))
    make(b1, S.IN_PROGRESS, D(2025, 5, 1))
    make(b1, S.ISSUED, D(2025, 3, 30), issued=D(2025, 3, 29))
    # Єременко (B): late 1.
    make(b2, S.DONE, D(2025, 3, 10), D(2025, 3, 28))
    # Гнатюк, the head, has no unit: on time 1.
    make(head, S.DONE, D(2025, 3, 20), D(2025, 3, 15))

    return SimpleNamespace(org=org, unit_a=unit_a, unit_a1=unit_a1, unit_b=unit_b, head=head,
                           controller=controller, head_a=head_a, a1=a1, a2=a2, s1=s1, b1=b1, b2=b2,
                           period=PERIOD)
