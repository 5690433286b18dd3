import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from ratusha.orgs.models import Delegation, Employee, User
from ratusha.reports import selectors
from ratusha.reports.constants import PeriodPreset
from ratusha.reports.exports import export_rows
from ratusha.reports.periods import period_range
from ratusha.workflow.constants import AssignmentStatus as S
from tests.factories import EmployeeFactory, OrganisationFactory, UnitFactory, UserFactory
from tests.reports.expected import (
    EXPECTED_RESPONSIBLE_TOTAL,
    EXPECTED_ROWS,
    EXPECTED_TOP_LEVEL_TOTAL,
    EXPECTED_UNIT_A_TOTAL,
)
from tests.reports.factories import AssignmentFactory

D = dt.date
TODAY = D(2025, 6, 10)  # the March period is over: its report day is 31.03.2025


def report(scenario, user, **kwargs):
    start, end = scenario.period
    return selectors.execution_report(user=user, organisation=scenario.org, date_from=start, date_to=end,
                                      today=kwargs.pop("today", TODAY), **kwargs)


def table(result):
    """The report as (unit, person, figures…, total, rate) tuples, read off the result objects."""
    rows = []
    for group in result.groups:
        name = group.unit.name if group.unit else "Без підрозділу"
        c = group.subtotal
        rows.append((name, "Разом по підрозділу", c.on_time, c.late, c.overdue, c.in_progress, c.total, c.rate))
        for row in group.rows:
            c = row.counts
            rows.append((name, row.user.full_name, c.on_time, c.late, c.overdue, c.in_progress, c.total, c.rate))
    c = result.total
    rows.append(("Разом", "", c.on_time, c.late, c.overdue, c.in_progress, c.total, c.rate))
    return rows


def totals(result):
    c = result.total
    return (c.on_time, c.late, c.overdue, c.in_progress)


@pytest.mark.parametrize("who", ["head", "controller"])
def test_heads_and_controllers_see_the_whole_organisation(scenario, who):
    result = report(scenario, getattr(scenario, who))
    assert result.scope.kind == "organisation"
    assert result.as_of == D(2025, 3, 31)
    assert table(result) == EXPECTED_ROWS


def test_export_rows_are_the_table(scenario):
    assert [tuple(r) for r in export_rows(report(scenario, scenario.head))] == EXPECTED_ROWS


def test_groups_follow_the_unit_tree_and_mark_sub_units(scenario):
    result = report(scenario, scenario.head)
    assert [(g.unit.code if g.unit else None, g.depth, g.has_subunits) for g in result.groups] == [
        ("02", 0, True), ("03", 1, False), ("04", 0, False), (None, 0, False)]


def test_top_level_only(scenario):
    result = report(scenario, scenario.head, top_level_only=True)
    assert totals(result) == EXPECTED_TOP_LEVEL_TOTAL
    assert [g.unit.code for g in result.groups if g.unit] == ["02", "04"]


def test_responsible_only(scenario):
    result = report(scenario, scenario.head, responsible_only=True)
    assert totals(result) == EXPECTED_RESPONSIBLE_TOTAL
    bondar = next(r for g in result.groups for r in g.rows if r.user == scenario.a2)
    assert (bondar.counts.on_time, bondar.counts.late, bondar.counts.overdue) == (0, 1, 1)


def test_unit_filter_takes_the_subtree(scenario):
    result = report(scenario, scenario.head, unit=scenario.unit_a)
    assert totals(result) == EXPECTED_UNIT_A_TOTAL
    assert [g.unit.code for g in result.groups] == ["02", "03"]
    only_a1 = report(scenario, scenario.head, unit=scenario.unit_a1)
    assert totals(only_a1) == (1, 0, 1, 0)


def test_person_filter(scenario):
    result = report(scenario, scenario.head, person=scenario.b1)
    assert totals(result) == (1, 0, 1, 1)
    assert [r.user for g in result.groups for r in g.rows] == [scenario.b1]


def test_unit_head_sees_only_their_subtree(scenario):
    result = report(scenario, scenario.head_a)
    assert result.scope.kind == "units"
    assert result.scope.unit_ids == {scenario.unit_a.pk, scenario.unit_a1.pk}
    assert totals(result) == EXPECTED_UNIT_A_TOTAL
    assert table(result)[:6] == EXPECTED_ROWS[:6]
    people = {r.user for g in result.groups for r in g.rows}
    assert people == {scenario.a1, scenario.a2, scenario.head_a, scenario.s1}
    # Asking for another unit or person outside the subtree yields nothing.
    assert report(scenario, scenario.head_a, unit=scenario.unit_b).is_empty
    assert report(scenario, scenario.head_a, person=scenario.b1).is_empty


def test_executor_sees_only_themselves(scenario):
    result = report(scenario, scenario.b2)
    assert result.scope.kind == "self"
    assert [(r.user, r.counts.late) for g in result.groups for r in g.rows] == [(scenario.b2, 1)]
    assert report(scenario, scenario.b2, person=scenario.b1).is_empty


def test_deputy_acting_for_a_unit_head_sees_the_subtree(scenario):
    deputy = EmployeeFactory(organisation=scenario.org, unit=scenario.unit_b, roles=["executor"]).user
    principal = Employee.objects.get(user=scenario.head_a, organisation=scenario.org)
    today = dt.date.today()
    Delegation.objects.create(principal=principal, deputy=deputy, start=today - dt.timedelta(days=1),
                              end=today + dt.timedelta(days=5))
    result = report(scenario, deputy)
    assert result.scope.kind == "units"
    assert totals(result) == EXPECTED_UNIT_A_TOTAL


def test_outsider_gets_404(scenario):
    outsider = EmployeeFactory(roles=["head", "controller"]).user
    with pytest.raises(Http404):
        report(scenario, outsider)
    with pytest.raises(Http404):
        selectors.report_organisation_get(user=outsider, pk=scenario.org.pk)
    with pytest.raises(Http404):
        selectors.report_organisation_get(user=outsider, pk="not-a-uuid")
    nobody = UserFactory()
    assert list(selectors.report_organisations(user=nobody)) == []


def test_superuser_is_not_exempt(scenario):
    admin = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(Http404):
        report(scenario, admin)


def test_report_day_is_today_while_the_period_runs(db):
    org = OrganisationFactory()
    unit = UnitFactory(organisation=org, code="01")
    boss = EmployeeFactory(organisation=org, roles=["controller"]).user
    worker = EmployeeFactory(organisation=org, unit=unit).user
    today = D(2025, 3, 18)

    def make(**kwargs):
        AssignmentFactory(organisation=org, assignee=worker, **kwargs)

    make(status=S.ISSUED, deadline=D(2025, 3, 17))                       # overdue today
    make(status=S.IN_PROGRESS, deadline=D(2025, 3, 18))                  # due today: in progress
    make(status=S.ISSUED, deadline=D(2025, 3, 25), issued=D(2025, 3, 18))  # issued today: in progress
    make(status=S.DONE, deadline=D(2025, 3, 20), done_on=D(2025, 3, 18))  # on time
    make(status=S.DONE, deadline=D(2025, 2, 20), done_on=D(2025, 3, 2))   # late
    result = selectors.execution_report(user=boss, organisation=org, date_from=D(2025, 3, 1),
                                        date_to=D(2025, 3, 31), today=today)
    assert result.as_of == today
    assert totals(result) == (1, 1, 1, 2)
    assert result.total.rate == Decimal("33.3")


def test_rate_is_none_when_nothing_is_rated():
    counts = selectors.Counts(in_progress=3)
    assert counts.rate is None
    assert selectors.Counts(on_time=2, late=1).rate == Decimal("66.7")
    assert selectors.Counts(on_time=1).rate == Decimal("100.0")


def test_counts_come_from_one_aggregate_query(scenario, django_assert_num_queries):
    """The number of queries does not grow with the number of assignments."""
    def run():  # a fresh user object each time: roles are cached on it
        return report(scenario, User.objects.get(pk=scenario.head.pk))

    with CaptureQueriesContext(connection) as before:
        run()
    for _ in range(25):
        AssignmentFactory(organisation=scenario.org, assignee=scenario.b1, status=S.DONE,
                          deadline=D(2025, 3, 20), done_on=D(2025, 3, 10))
    with django_assert_num_queries(len(before.captured_queries)):
        result = run()
    assert result.total.on_time == 6 + 25
    aggregates = [q["sql"] for q in before.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(aggregates) == 1


@pytest.mark.parametrize(("preset", "today", "expected"), [
    (PeriodPreset.MONTH, D(2025, 2, 14), (D(2025, 2, 1), D(2025, 2, 28))),
    (PeriodPreset.MONTH, D(2024, 12, 31), (D(2024, 12, 1), D(2024, 12, 31))),
    (PeriodPreset.PREV_MONTH, D(2025, 1, 10), (D(2024, 12, 1), D(2024, 12, 31))),
    (PeriodPreset.PREV_MONTH, D(2024, 3, 31), (D(2024, 2, 1), D(2024, 2, 29))),
    (PeriodPreset.QUARTER, D(2025, 5, 5), (D(2025, 4, 1), D(2025, 6, 30))),
    (PeriodPreset.PREV_QUARTER, D(2025, 2, 5), (D(2024, 10, 1), D(2024, 12, 31))),
    (PeriodPreset.PREV_QUARTER, D(2025, 8, 5), (D(2025, 4, 1), D(2025, 6, 30))),
    (PeriodPreset.HALF, D(2025, 6, 30), (D(2025, 1, 1), D(2025, 6, 30))),
    (PeriodPreset.HALF, D(2025, 7, 1), (D(2025, 7, 1), D(2025, 12, 31))),
    (PeriodPreset.YEAR, D(2025, 7, 1), (D(2025, 1, 1), D(2025, 12, 31))),
])
def test_period_presets(preset, today, expected):
    assert period_range(preset, today) == expected


def test_custom_period_has_no_range():
    with pytest.raises(ValueError):
        period_range(PeriodPreset.CUSTOM, D(2025, 1, 1))


def test_ukrainian_alphabetical_order():
    names = ["Єременко", "Іваненко", "Дорошенко", "Ґалаґан", "Гнатюк", "Їжак", "Ярема", "Антоненко"]
    assert sorted(names, key=selectors.uk_sort_key) == [
        "Антоненко", "Гнатюк", "Ґалаґан", "Дорошенко", "Єременко", "Іваненко", "Їжак", "Ярема"]
