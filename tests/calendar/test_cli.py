"""`ratusha deadline RULE START [--martial-law on|off] [--shift previous|next]`."""

import datetime as dt
import os
import subprocess
import sys

import pytest

from ratusha.calendar import services as svc
from ratusha.calendar.terms import RULES
from ratusha.cli import build_parser, main
from tests.factories import UserFactory


def test_parser_knows_deadline():
    args = build_parser().parse_args(["deadline", "appeal", "2025-01-31", "--martial-law", "off", "--shift", "next"])
    assert (args.command, args.rule, args.start, args.martial_law, args.shift) == (
        "deadline", "appeal", "2025-01-31", "off", "next")


@pytest.mark.django_db
@pytest.mark.parametrize(("argv", "expected"), [
    (["appeal", "2025-01-31"], "2025-02-28"),
    (["appeal-urgent", "2025-08-09"], "2025-08-22"),                                   # installation: war
    (["appeal-urgent", "2025-08-09", "--shift", "next"], "2025-08-25"),
    (["appeal-urgent", "2025-08-09", "--martial-law", "off", "--shift", "next"], "2025-08-26"),
    (["appeal-urgent", "2025-08-09", "--martial-law", "on", "--shift", "next"], "2025-08-25"),
    (["info-request", "2025-08-21", "--martial-law", "off"], "2025-08-29"),
    (["draft-publication", "2025-05-15", "--martial-law", "off"], "2025-04-29"),
    (["draft-publication", "2025-05-15"], "2025-05-01"),
    (["info-request-urgent", "2025-03-29T10:00"], "2025-03-31T10:00:00+02:00"),        # naive = Kyiv
    (["info-request-urgent", "2025-10-24T16:30:00+03:00"], "2025-10-26T16:30:00+03:00"),
    (["info-request-urgent", "2025-06-01T08:00Z"], "2025-06-03T08:00:00+00:00"),
    (["info-request-urgent", "2025-06-01"], "2025-06-03T00:00:00+03:00"),
    (["control-default", "2021-12-10", "--martial-law", "on"], "2022-01-07"),
])
def test_deadline_prints_iso(argv, expected, capsys):
    assert main(["deadline", *argv]) == 0
    out, err = capsys.readouterr()
    assert out == expected + "\n" and err == ""


@pytest.mark.django_db
def test_deadline_uses_the_installations_calendar(capsys):
    admin = UserFactory(is_superuser=True)
    svc.day_override_add(actor=admin, day=dt.date(2025, 8, 22), working=False, reason="Рішення № 5")
    assert main(["deadline", "appeal-urgent", "2025-08-09"]) == 0
    assert capsys.readouterr().out == "2025-08-21\n"
    svc.calendar_shift_set(actor=admin, shift="next")
    assert main(["deadline", "appeal-urgent", "2025-08-09"]) == 0
    assert capsys.readouterr().out == "2025-08-25\n"


@pytest.mark.django_db
@pytest.mark.parametrize(("argv", "message"), [
    (["appeals", "2025-01-31"], "Невідоме правило «appeals»"),
    (["appeal", "31.01.2025"], "Неправильна дата «31.01.2025»"),
    (["appeal", "2025-02-30"], "Неправильна дата «2025-02-30»"),
    (["appeal", "1900-01-01"], "рік від 1991 до 2100"),
    (["info-request-urgent", "2025-01-31 25:00"], "Неправильна дата або час"),
    (["info-request-urgent", "now"], "РРРР-ММ-ДДTГГ:ХХ"),
])
def test_bad_input_exits_2_with_a_ukrainian_message_and_the_rules(argv, message, capsys):
    assert main(["deadline", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err
    for rule in RULES:
        assert rule in err


def test_the_installed_command_on_a_fresh_data_dir(tmp_path):
    """A real process on a database that was never migrated: the default calendar (martial law since
    15.03.2022) still answers; bad input gives exit code 2."""
    env = {key: value for key, value in os.environ.items() if "DATABASE_URL" not in key}
    env.update(RATUSHA_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ratusha.settings")
    run = subprocess.run([sys.executable, "-m", "ratusha.cli", "deadline", "appeal-urgent", "2025-08-09"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert (run.returncode, run.stdout) == (0, "2025-08-22\n"), run.stderr
    run = subprocess.run([sys.executable, "-m", "ratusha.cli", "deadline", "appeal-urgent", "2025-08-09",
                          "--martial-law", "off", "--shift", "next"], capture_output=True, text=True, env=env,
                         timeout=120)
    assert (run.returncode, run.stdout) == (0, "2025-08-26\n"), run.stderr
    run = subprocess.run([sys.executable, "-m", "ratusha.cli", "deadline", "nope", "2025-08-09"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 2 and "Невідоме правило" in run.stderr and "draft-publication" in run.stderr
    run = subprocess.run([sys.executable, "-m", "ratusha.cli", "deadline", "appeal", "2025-08-09",
                          "--martial-law", "maybe"], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 2
