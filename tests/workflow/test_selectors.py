"""Who sees which assignments; «Мої доручення»; the control board's buckets on a fixed date."""

import datetime as dt

import pytest

from ratusha.calendar.selectors import add_working_days, working_days_between
from ratusha.workflow.constants import DeadlineKind
from ratusha.workflow.models import Assignment
from ratusha.workflow.selectors import assignments_visible_to, control_board, due_info, my_assignments
from ratusha.workflow.services import (
    assignment_accept,
    assignment_report,
    assignment_subassign,
    deadline_change_request,
)
from tests.workflow.conftest import fresh, top


@pytest.fixture
def spread(council, resolve):
    """chief_a (unit 02) → sector_head (03) → worker_a1 (03); chief_b (04); worker_c (05)."""
    a = top(resolve(co_executors=[council.chief_b, council.worker_c]))
    s1 = assignment_subassign(
        actor=council.chief_a,
        assignment=a,
        expected_version=a.version,
        assignee=council.sector_head,
        text="Довідка",
    )
    s2 = assignment_subassign(
        actor=council.sector_head,
        assignment=s1,
        expected_version=s1.version,
        assignee=council.worker_a1,
        text="Дані",
    )
    b = Assignment.objects.get(assignee=council.chief_b)
    c = Assignment.objects.get(assignee=council.worker_c)
    return {"a": fresh(a), "s1": fresh(s1), "s2": s2, "b": b, "c": c}


def _seen(user):
    return set(assignments_visible_to(user).values_list("pk", flat=True))


def test_visibility(council, spread):
    everything = {x.pk for x in spread.values()}
    assert _seen(council.head) == everything  # head of the organisation
    assert _seen(council.deputy) == everything  # acting for the head
    assert _seen(council.controller) == everything  # controller of the organisation
    assert _seen(council.chief_a) == {spread[k].pk for k in ("a", "s1", "s2")}  # unit 02 subtree
    assert _seen(council.sector_head) == {spread["s1"].pk, spread["s2"].pk}  # own + unit 03
    assert _seen(council.worker_a1) == {spread["s2"].pk}  # own only
    assert _seen(council.chief_b) == {spread["b"].pk}
    assert _seen(council.worker_b) == set()  # unit 04 staff, nothing of theirs
    assert _seen(council.outsider) == set()
    assert _seen(council.registrar) == set()


def test_oversight_stops_at_cards_the_user_may_not_open(council, resolve):
    doc = council.register(access="restricted")
    from ratusha.registry.services import document_access_grant

    document_access_grant(actor=council.head, document=doc, user=council.worker_a)
    a = top(resolve(document=doc, responsible=council.worker_a))
    assert a.pk in _seen(council.worker_a) and a.pk in _seen(council.head)
    assert a.pk not in _seen(council.chief_a)  # unit head, but the card is restricted to others
    assert a.pk not in _seen(council.controller)


def test_my_assignments_sections(council, spread):
    sections = {s.key: s for s in my_assignments(user=council.sector_head, on=spread["a"].deadline)}
    assert [r.pk for r in sections["in_work"].rows] == [spread["s1"].pk]  # accepted on sub-assigning
    assert [r.pk for r in sections["issued"].rows] == [spread["s2"].pk]
    s2 = spread["s2"]
    assignment_accept(actor=council.worker_a1, assignment=s2, expected_version=s2.version)
    s2 = fresh(s2)
    assignment_report(actor=council.worker_a1, assignment=s2, expected_version=s2.version, text="Готово")
    deadline_change_request(
        actor=council.chief_b,
        assignment=spread["b"],
        proposed_deadline=spread["b"].deadline + dt.timedelta(days=5),
        reason="Потрібно більше часу",
    )
    sections = {s.key: s for s in my_assignments(user=council.sector_head, on=spread["a"].deadline)}
    assert [r.pk for r in sections["decide"].rows] == [s2.pk]
    mine = {s.key: s for s in my_assignments(user=council.worker_a1, on=spread["a"].deadline)}
    assert [r.pk for r in mine["submitted"].rows] == [s2.pk] and mine["new"].count == 0
    head = {s.key: s for s in my_assignments(user=council.deputy, on=spread["a"].deadline)}
    assert head["requests"].count == 1 and head["issued"].count == 3
    worker_c = {s.key: s for s in my_assignments(user=council.worker_c, on=spread["a"].deadline)}
    assert [r.pk for r in worker_c["new"].rows] == [spread["c"].pk]


def test_board_buckets_on_a_fixed_date(council, resolve):
    on = dt.date(2026, 11, 18)  # a Wednesday
    doc = council.register(reg_date=dt.date(2026, 11, 2))
    soon_until = add_working_days(on, 3)
    deadlines = {
        "overdue": on - dt.timedelta(days=2),
        "today": on,
        "soon_first": add_working_days(on, 1),
        "soon_last": soon_until,
        "later": add_working_days(on, 4),
    }
    people = {
        "overdue": council.chief_a,
        "today": council.worker_a,
        "soon_first": council.chief_b,
        "soon_last": council.worker_b,
        "later": council.worker_c,
    }
    made = {}
    for key, day in deadlines.items():
        res = resolve(
            document=doc, responsible=people[key], deadline_kind=DeadlineKind.DATE, deadline_date=day
        )
        made[key] = top(res).pk
    board = control_board(user=council.controller, on=on, soon_days=3)
    got = {b["key"]: [r.pk for r in b["rows"]] for b in board.buckets}
    assert got == {
        "overdue": [made["overdue"]],
        "today": [made["today"]],
        "soon": [made["soon_first"], made["soon_last"]],
        "later": [made["later"]],
    }
    assert board.soon_until == soon_until and board.total == 5
    overdue_row = board.buckets[0]["rows"][0]
    assert overdue_row.is_overdue and overdue_row.late_days == working_days_between(deadlines["overdue"], on)
    assert board.buckets[1]["rows"][0].is_due_today
    # Per unit (by the executor's unit) and per person.
    units = {
        row["unit"].code: (row["overdue"], row["today"], row["soon"], row["later"]) for row in board.by_unit
    }
    assert units == {"02": (1, 1, 0, 0), "04": (0, 0, 2, 0), "05": (0, 0, 0, 1)}
    persons = {row["person"].username: row["total"] for row in board.by_person}
    assert persons == {"chief_a": 1, "worker_a": 1, "chief_b": 1, "worker_b": 1, "worker_c": 1}
    # A narrower "soon" window moves the last one to "later".
    narrow = {
        b["key"]: b["count"] for b in control_board(user=council.controller, on=on, soon_days=1).buckets
    }
    assert narrow == {"overdue": 1, "today": 1, "soon": 1, "later": 2}
    # Filters: unit subtree, person, organisation; a unit head sees only their subtree.
    by_unit = control_board(user=council.controller, on=on, unit=council.units["02"])
    assert by_unit.total == 2
    assert control_board(user=council.controller, on=on, person=council.worker_c).total == 1
    assert control_board(user=council.chief_b, on=on).total == 2  # own + worker_b of unit 04
    assert control_board(user=council.worker_b, on=on).total == 1
    assert control_board(user=council.outsider, on=on).total == 0
    on_control = control_board(user=council.controller, on=on, on_control_only=True)
    assert on_control.total == 0


@pytest.mark.django_db
def test_due_info_uses_working_days():
    friday, monday = dt.date(2026, 11, 20), dt.date(2026, 11, 23)
    assert due_info(friday, "accepted", monday) == {
        "overdue": True,
        "today": False,
        "late_days": working_days_between(friday, monday),
    }
    assert due_info(monday, "accepted", monday)["today"]
    assert due_info(friday, "done", monday) == {"overdue": False, "today": False, "late_days": 0}


def test_board_lists_resolutions_done_and_waiting_to_be_taken_off_control(council, resolve, client):
    from ratusha.workflow.services import (
        assignment_accept,
        assignment_accept_report,
        assignment_report,
    )

    waiting = resolve(on_control=True, controller=council.controller)
    still_open = resolve(on_control=True, controller=council.controller, responsible=council.chief_b)
    a = top(waiting)
    a = assignment_accept(actor=council.chief_a, assignment=a, expected_version=a.version)
    a = assignment_report(actor=council.chief_a, assignment=a, expected_version=a.version, text="Зроблено")
    assignment_accept_report(actor=council.head, assignment=a, expected_version=a.version)
    board = control_board(user=council.controller, on=dt.date.today())
    assert [r.pk for r in board.to_close] == [waiting.pk]
    # Only those who may close it see it there; the executor does not.
    assert control_board(user=council.chief_a, on=dt.date.today()).to_close == []
    assert still_open.pk not in [r.pk for r in board.to_close]
    client.force_login(council.controller)
    page = client.get("/office/work/control/").content.decode()
    assert "Виконано — чекає зняття з контролю" in page and f"/office/work/resolutions/{waiting.pk}/" in page


def test_board_reads_the_calendar_once_not_per_overdue_row(council, resolve):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    on = dt.date(2026, 11, 18)
    doc = council.register(reg_date=dt.date(2026, 11, 2))

    def board_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            control_board(user=council.controller, on=on)
        return len(queries)

    people = [council.chief_a, council.worker_a, council.chief_b, council.worker_b, council.worker_c]
    resolve(document=doc, responsible=people[0], deadline_kind=DeadlineKind.DATE, deadline_date=dt.date(2026, 11, 10))
    board_queries()  # warm the caches (calendar configuration) so both counts are taken alike
    few = board_queries()
    for person in people[1:]:
        resolve(document=doc, responsible=person, deadline_kind=DeadlineKind.DATE, deadline_date=dt.date(2026, 11, 9))
    assert board_queries() == few
