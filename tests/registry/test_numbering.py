import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from ratusha.core.audit import audit_verify
from ratusha.core.errors import ApplicationError
from ratusha.orgs.models import User
from ratusha.registry.models import Document, Journal, JournalCounter
from ratusha.registry.services import (
    document_cancel,
    document_register,
    journal_create,
    render_index,
    validate_index_template,
)
from ratusha.registry.services.numbering import next_number
from tests.concurrency import run_concurrently
from tests.factories import CaseFileFactory, EmployeeFactory, JournalFactory, OrganisationFactory


def test_numbers_run_from_one_in_order(register, incoming_journal):
    docs = [register() for _ in range(5)]
    assert [d.seq for d in docs] == [1, 2, 3, 4, 5]
    assert [d.reg_index for d in docs] == [f"{n}/01-10" for n in range(1, 6)]
    assert JournalCounter.objects.get(journal=incoming_journal).last_number == 5


def test_each_journal_counts_on_its_own(register, outgoing_journal):
    assert register().seq == 1
    out = register(journal=outgoing_journal)
    assert (out.seq, out.reg_index) == (1, "01-11/1")
    assert register().seq == 2


def test_numbering_restarts_each_year(register, today):
    last_year = dt.date(today.year - 1, 12, 31)
    old = [register(reg_date=last_year) for _ in range(3)]
    new = register(reg_date=today)
    assert [d.seq for d in old] == [1, 2, 3]
    assert {d.year for d in old} == {today.year - 1}
    assert (new.seq, new.year) == (1, today.year)
    assert register(reg_date=last_year).seq == 4


def test_year_defaults_to_today_in_kyiv(register):
    # 22:30 UTC on 31 December is already 1 January in Kyiv.
    moment = dt.datetime(2025, 12, 31, 22, 30, tzinfo=dt.UTC)
    with mock.patch.object(timezone, "now", return_value=moment):
        doc = register()
    assert (doc.reg_date, doc.year) == (dt.date(2026, 1, 1), 2026)


def test_cancelled_registration_keeps_its_number(register, registrar):
    register()
    second = register()
    register()
    document_cancel(actor=registrar, document=second, reason="Помилкова реєстрація")
    second.refresh_from_db()
    assert (second.seq, second.reg_index, second.status) == (2, "2/01-10", "cancelled")
    assert register().seq == 4
    assert sorted(Document.objects.values_list("seq", flat=True)) == [1, 2, 3, 4]


def test_failed_registration_leaves_no_gap(register):
    register()
    with (mock.patch("ratusha.registry.services.documents.audit_log", side_effect=RuntimeError("boom")),
          pytest.raises(RuntimeError)):
        register()
    assert Document.objects.count() == 1
    assert register().seq == 2


@pytest.mark.django_db(transaction=True)
def test_next_number_refuses_to_run_outside_a_transaction(incoming_journal):
    with pytest.raises(RuntimeError):
        next_number(journal=incoming_journal, year=2026)


def test_case_file_index_overrides_the_journal_default(register, org, today):
    case = CaseFileFactory(organisation=org, year=today.year, index="02-14")
    assert register(case_file=case).reg_index == "1/02-14"


def test_index_templates_render_every_placeholder(org, registrar, unit, today):
    journal = JournalFactory(organisation=org, kind="internal", prefix="вн",
                             index_template="{prefix}-{unit}/{seq:04d}/{case}/{yy}/{year}",
                             default_case_index="03-01")
    doc = document_register(actor=registrar, journal=journal, kind="memo", summary="Службова", unit=unit)
    yy = f"{today.year % 100:02d}"
    assert doc.reg_index == f"вн-02/0001/03-01/{yy}/{today.year}"


def test_empty_parts_do_not_leave_dangling_separators(org, registrar):
    journal = JournalFactory(organisation=org, kind="incoming", index_template="{seq}/{case}",
                             default_case_index="")
    assert document_register(actor=registrar, journal=journal, kind="letter", summary="x").reg_index == "1"


def test_render_index():
    assert render_index("{seq}/{case}", seq=7, case="01-10", year=2026) == "7/01-10"
    assert render_index("{case}/{seq}", seq=7, case="01-10", year=2026) == "01-10/7"
    assert render_index("{seq}{prefix}", seq=12, year=2026, prefix="-од") == "12-од"
    assert render_index("{seq}-{yy}", seq=3, year=2007) == "3-07"


@pytest.mark.parametrize("template", ["{case}", "", "{seq}/{foo}", "{seq/{case}", "{seq}}{", "{0}/{seq}"])
def test_bad_templates_are_refused(template):
    with pytest.raises(ApplicationError) as exc:
        validate_index_template(template)
    assert exc.value.field == "index_template"


def test_journal_create_validates_the_template(org_admin, org):
    with pytest.raises(ApplicationError) as exc:
        journal_create(actor=org_admin, organisation=org, kind="incoming", name="Вхідні", index_template="{case}")
    assert "{seq}" in exc.value.message
    assert not Journal.objects.filter(organisation=org).exists()
    journal = journal_create(actor=org_admin, organisation=org, kind="outgoing", name="Вихідні")
    assert journal.index_template == "{case}/{seq}"


def _register_many(user_pk, journal_pk, count):
    user = User.objects.get(pk=user_pk)
    journal = Journal.objects.get(pk=journal_pk)
    results = []
    for i in range(count):
        doc = document_register(actor=user, journal=journal, kind="letter", summary=f"Паралельна реєстрація {i}")
        results.append((doc.seq, doc.reg_index))
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_are_gapless_and_unique():
    threads_count, per_thread = 16, 12
    org = OrganisationFactory()
    registrars = [EmployeeFactory(organisation=org, roles=["registrar"]).user for _ in range(threads_count)]
    journal = JournalFactory(organisation=org, kind="incoming", index_template="{seq}/{case}",
                             default_case_index="01-10")
    outcomes = run_concurrently(_register_many, [(u.pk, journal.pk, per_thread) for u in registrars])
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    results = [pair for outcome in outcomes for pair in outcome]
    total = threads_count * per_thread
    assert sorted(seq for seq, _ in results) == list(range(1, total + 1))
    assert len({index for _, index in results}) == total
    stored = sorted(Document.objects.filter(journal=journal).values_list("seq", flat=True))
    assert stored == list(range(1, total + 1))
    assert JournalCounter.objects.get(journal=journal).last_number == total
    assert audit_verify() is None
