"""Known answers for every rule of docs/legal.md §8, worked out by hand from the real 2023–2026 calendars.

Peacetime holidays used below (Labour Code art. 73 after the 2023 amendment; transfers by art. 67 part 3):
2024: 01.01, 08.03, 01.05, 05.05 Easter (Sun → Mon 06.05), 08.05, 23.06 Trinity (Sun → Mon 24.06), 28.06,
      15.07, 24.08 (Sat → Mon 26.08), 01.10, 25.12.
2025: 01.01, 08.03 (Sat → Mon 10.03), 20.04 Easter (Sun → Mon 21.04), 01.05, 08.05, 08.06 Trinity
      (Sun → Mon 09.06), 28.06 (Sat → Mon 30.06), 15.07, 24.08 (Sun → Mon 25.08), 01.10, 25.12.
2026: 01.01, 08.03 (Sun → Mon 09.03), 12.04 Easter (Sun → Mon 13.04), 01.05, 08.05, 31.05 Trinity
      (Sun → Mon 01.06), 28.06 (Sun → Mon 29.06), 15.07, 24.08, 01.10, 25.12.
Under martial law all of them are working days and nothing is transferred (Law 2136-IX art. 6 part 6).
"""

import datetime as dt

import pytest

from ratusha.calendar.days import ALWAYS, NEVER, Period
from ratusha.calendar.parsing import StartError, parse_start
from ratusha.calendar.terms import (
    RULES,
    Shift,
    TermUnit,
    WorkCalendar,
    add_months,
    compute_deadline,
    compute_term,
    explain_deadline,
)

WAR = WorkCalendar(periods=ALWAYS)
PEACE = WorkCalendar(periods=NEVER)
D = dt.date.fromisoformat

# (rule, start, martial law on: previous / next, martial law off: previous / next)
KNOWN = [
    # appeal — 1 month (Law 393/96-ВР art. 20; Civil Code art. 254 part 2)
    ("appeal", "2025-01-31", "2025-02-28", "2025-02-28", "2025-02-28", "2025-02-28"),    # no 31 Feb
    ("appeal", "2024-01-31", "2024-02-29", "2024-02-29", "2024-02-29", "2024-02-29"),    # leap year
    ("appeal", "2025-07-24", "2025-08-22", "2025-08-25", "2025-08-22", "2025-08-26"),    # → Sun 24.08
    ("appeal", "2024-02-08", "2024-03-08", "2024-03-08", "2024-03-07", "2024-03-11"),    # → 8 March
    ("appeal", "2025-12-31", "2026-01-30", "2026-02-02", "2026-01-30", "2026-02-02"),    # → Sat 31.01
    # appeal-urgent — 15 days
    ("appeal-urgent", "2025-08-09", "2025-08-22", "2025-08-25", "2025-08-22", "2025-08-26"),
    ("appeal-urgent", "2024-12-10", "2024-12-25", "2024-12-25", "2024-12-24", "2024-12-26"),
    ("appeal-urgent", "2026-04-27", "2026-05-12", "2026-05-12", "2026-05-12", "2026-05-12"),
    # appeal-max — 45 days
    ("appeal-max", "2025-03-20", "2025-05-02", "2025-05-05", "2025-05-02", "2025-05-05"),    # → Sun 04.05
    ("appeal-max", "2025-03-17", "2025-05-01", "2025-05-01", "2025-04-30", "2025-05-02"),    # → 1 May
    # appeal-return — 10 days (art. 5)
    ("appeal-return", "2024-12-27", "2025-01-06", "2025-01-06", "2025-01-06", "2025-01-06"),  # over New Year
    ("appeal-return", "2025-06-18", "2025-06-27", "2025-06-30", "2025-06-27", "2025-07-01"),  # → Sat 28.06
    # appeal-forward — 5 days (art. 7)
    ("appeal-forward", "2026-03-04", "2026-03-09", "2026-03-09", "2026-03-06", "2026-03-10"),  # transferred
    ("appeal-forward", "2025-12-26", "2025-12-31", "2025-12-31", "2025-12-31", "2025-12-31"),
    # petition-answer — 10 working days (art. 23-1)
    ("petition-answer", "2025-04-30", "2025-05-14", "2025-05-14", "2025-05-16", "2025-05-16"),
    ("petition-answer", "2025-08-22", "2025-09-05", "2025-09-05", "2025-09-08", "2025-09-08"),  # from a Friday
    # info-request — 5 working days (Law 2939-VI art. 20)
    ("info-request", "2025-08-21", "2025-08-28", "2025-08-28", "2025-08-29", "2025-08-29"),
    ("info-request", "2024-12-31", "2025-01-07", "2025-01-07", "2025-01-08", "2025-01-08"),
    ("info-request", "2023-01-04", "2023-01-11", "2023-01-11", "2023-01-12", "2023-01-12"),  # 7 Jan 2023 Sat
    ("info-request", "2024-01-05", "2024-01-12", "2024-01-12", "2024-01-12", "2024-01-12"),  # no 7 Jan in 2024
    # info-request-extended — 20 working days
    ("info-request-extended", "2024-06-14", "2024-07-12", "2024-07-12", "2024-07-17", "2024-07-17"),
    # control-default — 30 days (⚠ setting)
    ("control-default", "2025-07-25", "2025-08-22", "2025-08-25", "2025-08-22", "2025-08-26"),
    ("control-default", "2026-05-29", "2026-06-26", "2026-06-29", "2026-06-26", "2026-06-30"),
    # control-urgent — 3 working days
    ("control-urgent", "2026-04-09", "2026-04-14", "2026-04-14", "2026-04-15", "2026-04-15"),  # Easter Monday
    # control-immediate — 1 working day
    ("control-immediate", "2024-12-24", "2024-12-25", "2024-12-25", "2024-12-26", "2024-12-26"),
    ("control-immediate", "2025-06-27", "2025-06-30", "2025-06-30", "2025-07-01", "2025-07-01"),
    ("control-immediate", "2025-05-02", "2025-05-05", "2025-05-05", "2025-05-05", "2025-05-05"),  # a Friday
    # draft-publication — the 10th working day before the session (Law 890-IX)
    ("draft-publication", "2025-06-26", "2025-06-12", "2025-06-12", "2025-06-12", "2025-06-12"),
    ("draft-publication", "2025-05-15", "2025-05-01", "2025-05-01", "2025-04-29", "2025-04-29"),
]


def _cases():
    for rule, start, on_prev, on_next, off_prev, off_next in KNOWN:
        for martial, shift, expected in (("on", "previous", on_prev), ("on", "next", on_next),
                                         ("off", "previous", off_prev), ("off", "next", off_next)):
            yield pytest.param(rule, start, martial, shift, expected, id=f"{rule}-{start}-{martial}-{shift}")


@pytest.mark.parametrize(("rule", "start", "martial", "shift", "expected"), list(_cases()))
def test_known_answers(rule, start, martial, shift, expected):
    calendar = WAR if martial == "on" else PEACE
    assert compute_deadline(RULES[rule], D(start), calendar, Shift(shift)) == D(expected)


def test_every_rule_of_legal_md_has_a_known_answer():
    assert len(RULES) == 13
    assert {case[0] for case in KNOWN} | {"info-request-urgent"} == set(RULES)
    for term in RULES.values():
        assert term.article and str(term.label)


@pytest.mark.parametrize(("start", "expected"), [
    # DST starts 30.03.2025: 48 elapsed hours end at 11:00 Kyiv summer time = 10:00+02:00 (START's offset).
    ("2025-03-29T10:00", "2025-03-31T10:00:00+02:00"),
    # DST ends 26.10.2025: the result keeps START's +03:00.
    ("2025-10-24T16:30+03:00", "2025-10-26T16:30:00+03:00"),
    ("2024-08-23T09:15:00+00:00", "2024-08-25T09:15:00+00:00"),   # over a weekend and a holiday: no shift
    ("2025-01-31", "2025-02-02T00:00:00+02:00"),                    # a date = its midnight in Kyiv
])
def test_hours_rule(start, expected):
    for calendar in (WAR, PEACE):
        for shift in Shift:
            result = compute_deadline(RULES["info-request-urgent"], parse_start(start), calendar, shift)
            assert result.isoformat() == expected


def test_installation_periods_default_equals_martial_law_after_15_march_2022():
    installation = WorkCalendar(periods=(Period(dt.date(2022, 3, 15)),))
    for rule, start, on_prev, *_rest in KNOWN:
        assert compute_deadline(RULES[rule], D(start), installation, Shift.PREVIOUS) == D(on_prev)
    # Before the period: peacetime. 8 March 2022 (Tue) was a holiday, 7 March a CMU-moved day off.
    assert not installation.is_working_day(dt.date(2022, 3, 8))
    assert not installation.is_working_day(dt.date(2022, 3, 7))
    assert installation.is_working_day(dt.date(2022, 3, 12))  # …worked on Saturday 12 March instead
    assert installation.day_info(dt.date(2022, 3, 12)).name.startswith("Робочий день (перенесено на 07.03.2022")
    # After: holidays are working days.
    assert installation.is_working_day(dt.date(2022, 5, 9))


def test_months_arithmetic():
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 3, 31), 1) == dt.date(2025, 4, 30)
    assert add_months(dt.date(2025, 12, 15), 1) == dt.date(2026, 1, 15)
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)


def test_ad_hoc_terms():
    # A head's extension: 45 days from receipt, the same as appeal-max.
    assert compute_term("calendar_days", 45, D("2025-03-17"), PEACE, "previous") == D("2025-04-30")
    assert compute_term(TermUnit.WORKING_DAYS, 2, D("2025-08-22"), PEACE) == D("2025-08-27")
    assert compute_term(TermUnit.MONTHS, 3, D("2025-11-30"), WAR) == D("2026-02-27")  # 28.02.2026 is a Sat
    with pytest.raises(ValueError):
        compute_term(TermUnit.CALENDAR_DAYS, 0, D("2025-01-01"), PEACE)
    with pytest.raises(ValueError):
        compute_term("fortnights", 1, D("2025-01-01"), PEACE)


def test_timestamp_start_for_a_date_rule_is_read_in_kyiv_time():
    # 23:30 UTC on 31 Jan is already 1 February in Kyiv.
    start = dt.datetime(2025, 1, 31, 23, 30, tzinfo=dt.UTC)
    assert compute_deadline(RULES["appeal-return"], start, WAR) == D("2025-02-11")


def test_previous_shift_never_reaches_the_event_day():
    # Every day from 1 to 5 January is made non-working: a 5-day term from 31 December would move back to
    # 31 December itself — so the following working day is taken instead.
    from ratusha.calendar.days import Override

    calendar = WorkCalendar(periods=ALWAYS, overrides=tuple(
        Override(dt.date(2026, 1, d), False, "test") for d in range(1, 6)))
    expl = explain_deadline(RULES["appeal-forward"], D("2025-12-31"), calendar, Shift.PREVIOUS)
    assert expl.nominal == D("2026-01-05")
    assert expl.deadline == D("2026-01-06")
    assert expl.moved_forward_to_keep_after_event


def test_explanation_lists_the_skipped_days_and_the_move():
    expl = explain_deadline(RULES["appeal-urgent"], D("2025-08-09"), PEACE, Shift.PREVIOUS)
    assert expl.nominal == D("2025-08-24") and expl.deadline == D("2025-08-22")
    assert expl.moved_from.name == "День незалежності України"
    assert [d.day for d in expl.non_working] == [D("2025-08-10"), D("2025-08-16"), D("2025-08-17"),
                                                 D("2025-08-23"), D("2025-08-24")]
    expl = explain_deadline(RULES["info-request"], D("2025-08-21"), PEACE)
    assert expl.skips_non_working and expl.moved_from is None
    assert [(d.day, d.kind) for d in expl.non_working] == [
        (D("2025-08-23"), "weekend"), (D("2025-08-24"), "holiday"), (D("2025-08-25"), "transferred")]
    expl = explain_deadline(RULES["draft-publication"], D("2025-05-15"), PEACE)
    assert [d.day for d in expl.non_working] == [D("2025-05-01"), D("2025-05-03"), D("2025-05-04"),
                                                 D("2025-05-08"), D("2025-05-10"), D("2025-05-11")]


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-03-14", dt.date(2025, 3, 14)),
    ("14.03.2025", dt.date(2025, 3, 14)),
    ("2025-03-14T09:30", "2025-03-14T09:30:00+02:00"),
    ("2025-07-14T09:30:15", "2025-07-14T09:30:15+03:00"),
    ("2025-03-14T09:30+00:00", "2025-03-14T09:30:00+00:00"),
    ("14.03.2025 09:30", "2025-03-14T09:30:00+02:00"),
])
def test_parse_start(text, expected):
    value = parse_start(text, local_formats=True)
    assert (value.isoformat() if isinstance(value, dt.datetime) else value) == expected


@pytest.mark.parametrize("text", ["", "2025-02-30", "2025-13-01", "14.03.2025", "yesterday", "2025-03-14T25:00",
                                  "1990-12-31", "2101-01-01", "2025-3-4"])
def test_parse_start_rejects(text):
    with pytest.raises(StartError):
        parse_start(text)  # ДД.ММ.РРРР only with local_formats
