"""Properties of the engine for every rule, both shifts, martial law on / off / a range, random overrides."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ratusha.calendar.days import ALWAYS, NEVER, Override, Period, WorkCalendar
from ratusha.calendar.terms import (
    KYIV,
    RULES,
    SHIFTED_UNITS,
    Shift,
    TermUnit,
    add_months,
    compute_deadline,
    compute_term,
)

DATE_RULES = [rule for rule, term in RULES.items() if term.unit is not TermUnit.HOURS]
CALENDARS = {
    "on": WorkCalendar(periods=ALWAYS),
    "off": WorkCalendar(periods=NEVER),
    "installation": WorkCalendar(periods=(Period(dt.date(2022, 3, 15)),)),
    "ended": WorkCalendar(periods=(Period(dt.date(2022, 3, 15), dt.date(2024, 6, 30)),)),
}

dates = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2027, 12, 31))
rules = st.sampled_from(DATE_RULES)
shifts = st.sampled_from(list(Shift))
modes = st.sampled_from(list(CALENDARS))


@st.composite
def calendars(draw):
    """One of the fixed calendars, sometimes with a few random local overrides."""
    base = CALENDARS[draw(modes)]
    overrides = draw(st.lists(st.tuples(dates, st.booleans()), max_size=6, unique_by=lambda o: o[0]))
    if not overrides:
        return base
    return WorkCalendar(periods=base.periods, overrides=tuple(Override(d, w, "test") for d, w in overrides))


@settings(max_examples=300, deadline=None)
@given(rule=rules, start=dates, shift=shifts, calendar=calendars())
def test_a_date_deadline_is_always_a_working_day(rule, start, shift, calendar):
    assert calendar.is_working_day(compute_deadline(RULES[rule], start, calendar, shift))


@settings(max_examples=300, deadline=None)
@given(rule=rules, start=dates, later=st.integers(min_value=1, max_value=60), shift=shifts, calendar=calendars())
def test_deadlines_never_decrease_as_the_start_increases(rule, start, later, shift, calendar):
    term = RULES[rule]
    first = compute_deadline(term, start, calendar, shift)
    second = compute_deadline(term, start + dt.timedelta(days=later), calendar, shift)
    assert first <= second


@settings(max_examples=200, deadline=None)
@given(start=dates, step=st.integers(min_value=1, max_value=72 * 60), shift=shifts, mode=modes)
def test_hour_deadlines_never_decrease(start, step, shift, mode):
    term = RULES["info-request-urgent"]
    first = dt.datetime.combine(start, dt.time(9), KYIV)
    second = first + dt.timedelta(minutes=step)
    calendar = CALENDARS[mode]
    assert compute_deadline(term, first, calendar, shift) < compute_deadline(term, second, calendar, shift)


@settings(max_examples=300, deadline=None)
@given(rule=st.sampled_from([r for r, t in RULES.items() if t.unit is TermUnit.WORKING_DAYS]), start=dates,
       calendar=calendars())
def test_working_day_terms_skip_exactly_the_non_working_days(rule, start, calendar):
    term = RULES[rule]
    result = compute_deadline(term, start, calendar, Shift.PREVIOUS)
    assert calendar.working_days_between(start, result) == term.amount
    assert calendar.is_working_day(result)
    # Every day in between that was passed over is a non-working day, and nothing else is.
    skipped = (result - start).days - term.amount
    assert skipped == len(calendar.non_working_days(start + dt.timedelta(days=1), result))


@settings(max_examples=200, deadline=None)
@given(session=dates, calendar=calendars())
def test_draft_publication_counts_back_working_days_without_the_session_day(session, calendar):
    result = compute_deadline(RULES["draft-publication"], session, calendar, Shift.NEXT)
    assert result < session and calendar.is_working_day(result)
    # result, …, the day before the session: exactly 10 working days.
    assert calendar.working_days_between(result - dt.timedelta(days=1), session - dt.timedelta(days=1)) == 10


@settings(max_examples=300, deadline=None)
@given(unit=st.sampled_from(sorted(SHIFTED_UNITS)), amount=st.integers(min_value=1, max_value=60), start=dates,
       calendar=calendars())
def test_shift_moves_only_off_non_working_days_and_in_the_chosen_direction(unit, amount, start, calendar):
    previous = compute_term(unit, amount, start, calendar, Shift.PREVIOUS)
    following = compute_term(unit, amount, start, calendar, Shift.NEXT)
    assert start < previous <= following
    assert calendar.is_working_day(previous) and calendar.is_working_day(following)
    nominal = start + dt.timedelta(days=amount) if unit is TermUnit.CALENDAR_DAYS else add_months(start, amount)
    if calendar.is_working_day(nominal):
        assert previous == following == nominal
    else:
        assert following > nominal
        # Between the nominal day and the following deadline every day is non-working.
        assert calendar.working_days_between(nominal, following) == 1


@settings(max_examples=200, deadline=None)
@given(start=st.datetimes(min_value=dt.datetime(2019, 1, 1), max_value=dt.datetime(2027, 12, 31),
                          timezones=st.sampled_from([KYIV, dt.UTC, dt.timezone(dt.timedelta(hours=5))])),
       mode=modes)
def test_hours_are_elapsed_time_in_starts_offset(start, mode):
    result = compute_deadline(RULES["info-request-urgent"], start, CALENDARS[mode], Shift.PREVIOUS)
    assert result - start == dt.timedelta(hours=48)
    assert result.utcoffset() == start.utcoffset()
