"""The pure work calendar: holidays, transfers, the 2023 amendment, martial law, overrides."""

import datetime as dt

import pytest

from ratusha.calendar.days import ALWAYS, NEVER, DayKind, Override, Period, WorkCalendar

D = dt.date.fromisoformat
WAR = WorkCalendar(periods=ALWAYS)
PEACE = WorkCalendar(periods=NEVER)


def _off(calendar, year):
    return {i.day.isoformat(): i.kind for i in calendar.non_working_days(dt.date(year, 1, 1), dt.date(year, 12, 31))
            if i.kind != DayKind.WEEKEND}


def test_peacetime_2025_holidays_and_transfers():
    assert _off(PEACE, 2025) == {
        "2025-01-01": "holiday", "2025-03-08": "holiday", "2025-03-10": "transferred",
        "2025-04-20": "holiday", "2025-04-21": "transferred", "2025-05-01": "holiday", "2025-05-08": "holiday",
        "2025-06-08": "holiday", "2025-06-09": "transferred", "2025-06-28": "holiday", "2025-06-30": "transferred",
        "2025-07-15": "holiday", "2025-08-24": "holiday", "2025-08-25": "transferred", "2025-10-01": "holiday",
        "2025-12-25": "holiday",
    }
    # The holidays on weekends are non-working too (both as a weekend and as a holiday).
    info = PEACE.day_info(D("2025-08-24"))
    assert info.kind == DayKind.HOLIDAY and info.name == "День незалежності України" and not info.working
    info = PEACE.day_info(D("2025-08-25"))
    assert info.kind == DayKind.TRANSFERRED and "24.08.2025" in info.name


def test_2023_amendment_of_article_73():
    # Christmas only on 25 December from 2024 (7 January 2024 is an ordinary Sunday, 8 January a working day).
    assert PEACE.day_info(D("2023-01-07")).kind == DayKind.HOLIDAY
    assert PEACE.day_info(D("2023-01-09")).kind == DayKind.TRANSFERRED
    assert PEACE.day_info(D("2024-01-07")).kind == DayKind.WEEKEND
    assert PEACE.is_working_day(D("2024-01-08"))
    assert PEACE.is_working_day(D("2025-01-07"))
    assert PEACE.day_info(D("2024-12-25")).kind == DayKind.HOLIDAY
    # Statehood Day: 28 July until 2023, 15 July from 2024.
    assert PEACE.day_info(D("2023-07-28")).kind == DayKind.HOLIDAY
    assert PEACE.day_info(D("2024-07-15")).kind == DayKind.HOLIDAY
    assert PEACE.is_working_day(D("2024-07-29"))
    # Defenders' Day: 14 October until 2022, 1 October from 2023.
    assert PEACE.day_info(D("2022-10-14")).kind == DayKind.HOLIDAY
    assert PEACE.day_info(D("2023-10-01")).kind == DayKind.HOLIDAY
    assert PEACE.day_info(D("2023-10-02")).kind == DayKind.TRANSFERRED  # 1 Oct 2023 was a Sunday
    assert PEACE.is_working_day(D("2024-10-14"))


def test_martial_law_makes_holidays_working_days_and_cancels_transfers():
    assert _off(WAR, 2025) == {}
    info = WAR.day_info(D("2025-05-01"))
    assert info.kind == DayKind.MARTIAL_WORKING and info.working and info.name == "День праці"
    assert WAR.is_working_day(D("2025-08-25"))                       # no transfer
    assert WAR.day_info(D("2025-08-24")).kind == DayKind.WEEKEND      # a Sunday stays a day off


def test_martial_law_range_applies_per_date():
    calendar = WorkCalendar(periods=(Period(D("2022-03-15"), D("2025-06-30")),))
    assert not calendar.is_working_day(D("2022-03-08"))                # before: holiday
    assert calendar.is_working_day(D("2025-05-01"))                    # inside: working
    assert not calendar.is_working_day(D("2025-07-15"))                # after the end: holiday again
    assert not calendar.is_working_day(D("2025-08-25"))                # …and transfers again
    assert calendar.is_martial_law(D("2025-06-30")) and not calendar.is_martial_law(D("2025-07-01"))
    # Two periods with a gap.
    calendar = WorkCalendar(periods=(Period(D("2024-01-01"), D("2024-12-31")), Period(D("2026-01-01"))))
    assert calendar.is_working_day(D("2024-05-01"))
    assert not calendar.is_working_day(D("2025-05-01"))
    assert calendar.is_working_day(D("2026-05-01"))


def test_transfer_across_a_year_and_a_period_edge():
    # Peacetime 2022: New Year on a Saturday → Monday 3 January 2022 off.
    assert PEACE.day_info(D("2022-01-03")).kind == DayKind.TRANSFERRED
    # A holiday before martial law whose transfer day falls inside it: not transferred.
    calendar = WorkCalendar(periods=(Period(D("2025-08-25")),))
    assert calendar.day_info(D("2025-08-24")).kind == DayKind.HOLIDAY
    assert calendar.is_working_day(D("2025-08-25"))


def test_cmu_recommended_swaps_before_martial_law():
    # 2021: 8 January off, worked on Saturday 16 January (CMU order 1191-2020-р).
    assert PEACE.day_info(D("2021-01-08")).kind == DayKind.TRANSFERRED
    assert PEACE.is_working_day(D("2021-01-16"))
    assert not WAR.is_working_day(D("2021-01-16"))                     # under martial law: plain Saturday
    assert WAR.is_working_day(D("2021-01-08"))


def test_overrides_win_over_everything():
    calendar = WorkCalendar(periods=ALWAYS, overrides=(
        Override(D("2025-05-02"), False, "Рішення № 1"),                # a Friday made a day off
        Override(D("2025-05-03"), True, "Рішення № 2"),                 # a Saturday made working
        Override(D("2025-05-01"), False, "Рішення № 3"),                # a martial-law working holiday
    ))
    assert calendar.day_info(D("2025-05-02")).kind == DayKind.OVERRIDE_NON_WORKING
    assert calendar.day_info(D("2025-05-02")).name == "Рішення № 1"
    assert calendar.day_info(D("2025-05-03")).kind == DayKind.OVERRIDE_WORKING
    assert calendar.is_working_day(D("2025-05-03"))
    assert not calendar.is_working_day(D("2025-05-01"))
    assert calendar.add_working_days(D("2025-04-30"), 1) == D("2025-05-03")


def test_moving_along_the_calendar():
    assert PEACE.next_working_day(D("2025-08-23")) == D("2025-08-26")
    assert PEACE.previous_working_day(D("2025-08-25")) == D("2025-08-22")
    assert PEACE.next_working_day(D("2025-08-26")) == D("2025-08-26")
    assert PEACE.add_working_days(D("2025-08-22"), 1) == D("2025-08-26")
    assert PEACE.subtract_working_days(D("2025-08-26"), 1) == D("2025-08-22")
    assert PEACE.working_days_between(D("2025-08-22"), D("2025-08-26")) == 1
    assert PEACE.working_days_between(D("2025-08-22"), D("2025-08-22")) == 0
    assert PEACE.working_days_between(D("2025-08-26"), D("2025-08-22")) == 0
    assert WAR.working_days_between(D("2025-01-01"), D("2025-12-31")) == 260
    assert PEACE.working_days_between(D("2025-01-01"), D("2025-12-31")) == 250
    with pytest.raises(ValueError):
        PEACE.add_working_days(D("2025-01-01"), 0)


def test_month_listing_and_day_kinds():
    days = PEACE.month(2024, 2)
    assert len(days) == 29 and days[0].day == D("2024-02-01") and days[-1].day == D("2024-02-29")
    assert {info.kind_label for info in PEACE.month(2025, 8)} >= {"Робочий день", "Вихідний", "Святковий день",
                                                                 "Перенесений вихідний"}


def test_a_calendar_without_any_working_day_raises_instead_of_looping():
    start = D("2025-01-01")
    calendar = WorkCalendar(overrides=tuple(Override(start + dt.timedelta(days=i), False, "x")
                                            for i in range(4000)))
    with pytest.raises(ValueError):
        calendar.next_working_day(start)
