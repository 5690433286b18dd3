"""Calendar changes: audit event + version bump, permissions, bad input, concurrency; the selectors."""

import datetime as dt

import pytest

from ratusha.calendar import selectors
from ratusha.calendar import services as svc
from ratusha.calendar.models import CalendarState, CalendarVersion, DayOverride, MartialLawPeriod
from ratusha.calendar.recompute import (
    calendar_recompute_open_deadlines,
    register_recomputer,
    registered_recomputers,
    unregister_recomputer,
)
from ratusha.core.audit import audit_verify
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from tests.concurrency import run_concurrently
from tests.factories import EmployeeFactory, OrganisationFactory, UserFactory, grant_installation_role

D = dt.date.fromisoformat


def _version() -> int:
    return CalendarState.objects.get(pk=1).version


@pytest.mark.django_db
def test_a_new_installation_has_martial_law_from_15_march_2022():
    period = MartialLawPeriod.objects.get()
    assert period.start == D("2022-03-15") and period.end is None and "2136-IX" in period.basis
    assert _version() == 1 and CalendarVersion.objects.get().action == "calendar.initialise"
    assert selectors.is_working_day(D("2025-05-01"))                 # a holiday, but martial law
    assert selectors.deadline("appeal", D("2025-07-24")) == D("2025-08-22")
    assert selectors.default_shift() == "previous"


def test_override_add_writes_audit_and_bumps_the_version(calendar_admin):
    before = _version()
    override = svc.day_override_add(actor=calendar_admin, day=D("2025-05-02"), working=False,
                                    reason="  Рішення виконкому   № 12 ")
    assert override.reason == "Рішення виконкому № 12"
    assert _version() == before + 1
    version = CalendarVersion.objects.get(number=before + 1)
    assert version.actor == calendar_admin and version.action == "calendar.override_add"
    assert version.changes == {"day": "2025-05-02", "working": False, "reason": "Рішення виконкому № 12"}
    assert "02.05.2025" in version.summary
    event = AuditEvent.objects.get(action="calendar.override_add")
    assert event.actor == calendar_admin and event.object_id == str(override.pk)
    assert event.params["version"] == before + 1
    # The installation's calendar follows at once (new cache key).
    assert not selectors.is_working_day(D("2025-05-02"))
    assert selectors.add_working_days(D("2025-05-01"), 1) == D("2025-05-05")
    svc.day_override_remove(actor=calendar_admin, override=override.pk)
    assert _version() == before + 2
    assert selectors.is_working_day(D("2025-05-02"))
    assert AuditEvent.objects.filter(action="calendar.override_remove").count() == 1
    assert audit_verify() is None


def test_override_bad_input(calendar_admin):
    with pytest.raises(ApplicationError) as exc:
        svc.day_override_add(actor=calendar_admin, day=D("2025-05-02"), working=False, reason="  ")
    assert exc.value.field == "reason"
    with pytest.raises(ApplicationError) as exc:
        svc.day_override_add(actor=calendar_admin, day=None, working=False, reason="x")
    assert exc.value.field == "day"
    with pytest.raises(ApplicationError) as exc:
        svc.day_override_add(actor=calendar_admin, day=D("1985-01-01"), working=False, reason="x")
    assert exc.value.field == "day"
    with pytest.raises(ApplicationError) as exc:
        svc.day_override_add(actor=calendar_admin, day=D("2025-05-02"), working="so-so", reason="x")
    assert exc.value.field == "working"
    svc.day_override_add(actor=calendar_admin, day=D("2025-05-02"), working=False, reason="Рішення № 1")
    with pytest.raises(ApplicationError) as exc:
        svc.day_override_add(actor=calendar_admin, day=D("2025-05-02"), working=True, reason="Рішення № 2")
    assert exc.value.field == "day" and "Рішення № 1" in exc.value.message
    with pytest.raises(svc.CalendarConflictError):
        svc.day_override_remove(actor=calendar_admin, override="00000000-0000-0000-0000-000000000000")


def test_martial_law_periods(calendar_admin):
    default = MartialLawPeriod.objects.get()
    before = _version()
    # Martial law is lifted: set the end; holidays after it are days off again, with transfers.
    period = svc.martial_law_period_update(actor=calendar_admin, period=default, start=default.start,
                                           end=D("2025-06-30"), basis=default.basis, version=default.version)
    assert period.version == default.version + 1 and _version() == before + 1
    assert selectors.is_working_day(D("2025-05-01")) and not selectors.is_working_day(D("2025-08-25"))
    assert selectors.deadline("appeal", D("2025-07-24")) == D("2025-08-22")
    assert selectors.deadline("appeal", D("2025-07-24"), shift="next") == D("2025-08-26")
    # A stale form does not overwrite.
    with pytest.raises(svc.CalendarConflictError):
        svc.martial_law_period_update(actor=calendar_admin, period=default, start=default.start, end=None,
                                      basis="x", version=default.version)
    # Overlaps and bad ranges are refused, field by field.
    with pytest.raises(ApplicationError) as exc:
        svc.martial_law_period_add(actor=calendar_admin, start=D("2025-06-01"), basis="Указ № 2")
    assert exc.value.code == "overlap" and exc.value.field == "start"
    with pytest.raises(ApplicationError) as exc:
        svc.martial_law_period_add(actor=calendar_admin, start=D("2025-09-01"), end=D("2025-08-01"), basis="x")
    assert exc.value.field == "end"
    with pytest.raises(ApplicationError) as exc:
        svc.martial_law_period_add(actor=calendar_admin, start=D("2025-09-01"), basis="")
    assert exc.value.field == "basis"
    again = svc.martial_law_period_add(actor=calendar_admin, start=D("2025-09-01"), basis="Указ № 2")
    assert not selectors.is_working_day(D("2025-08-25")) and selectors.is_working_day(D("2025-10-01"))
    svc.martial_law_period_remove(actor=calendar_admin, period=again)
    svc.martial_law_period_remove(actor=calendar_admin, period=default.pk)
    assert not MartialLawPeriod.objects.exists()
    assert not selectors.is_working_day(D("2025-05-01"))             # peacetime everywhere
    assert _version() == before + 4
    assert set(AuditEvent.objects.filter(action__startswith="calendar.martial_law").values_list(
        "action", flat=True)) == {"calendar.martial_law_add", "calendar.martial_law_update",
                                  "calendar.martial_law_remove"}


def test_shift_setting(calendar_admin):
    assert selectors.deadline("appeal-urgent", D("2025-08-09")) == D("2025-08-22")
    state = svc.calendar_shift_set(actor=calendar_admin, shift="next", expected_version=_version())
    assert state.shift == "next" and selectors.default_shift() == "next"
    assert selectors.deadline("appeal-urgent", D("2025-08-09")) == D("2025-08-25")
    assert selectors.deadline("appeal-urgent", D("2025-08-09"), shift="previous") == D("2025-08-22")
    assert selectors.term_deadline("calendar_days", 15, D("2025-08-09")) == D("2025-08-25")
    event = AuditEvent.objects.get(action="calendar.shift_set")
    assert event.params["before"] == "previous" and event.params["after"] == "next"
    with pytest.raises(svc.CalendarConflictError):
        svc.calendar_shift_set(actor=calendar_admin, shift="previous", expected_version=1)
    with pytest.raises(ApplicationError) as exc:
        svc.calendar_shift_set(actor=calendar_admin, shift="sideways")
    assert exc.value.field == "shift"
    # Setting the same value is not a change.
    version = _version()
    svc.calendar_shift_set(actor=calendar_admin, shift="next")
    assert _version() == version


def test_warning_terms_are_settings(calendar_admin):
    assert selectors.rule_term("control-default").amount == 30
    svc.calendar_terms_set(actor=calendar_admin, amounts={"control-default": 20, "control-urgent": 3},
                           expected_version=_version())
    assert selectors.rule_term("control-default").amount == 20
    assert selectors.deadline("control-default", D("2025-07-25")) == D("2025-08-14")
    version = CalendarVersion.objects.order_by("-number").first()
    assert version.changes == {"terms": {"control-default": {"before": 30, "after": 20}}}
    svc.calendar_terms_set(actor=calendar_admin, amounts={"control-default": None})
    assert selectors.rule_term("control-default").amount == 30
    with pytest.raises(ApplicationError) as exc:
        svc.calendar_terms_set(actor=calendar_admin, amounts={"appeal": 2})        # set by law
    assert exc.value.code == "not_configurable"
    with pytest.raises(ApplicationError) as exc:
        svc.calendar_terms_set(actor=calendar_admin, amounts={"control-urgent": 0})
    assert exc.value.field == "control-urgent"
    with pytest.raises(selectors.UnknownRuleError):
        selectors.deadline("no-such-rule", D("2025-01-01"))


def test_only_calendar_administrators_may_change_it(calendar_admin, enterprise_admin, staff_user, db):
    superuser = UserFactory(is_superuser=True)
    committee_admin = EmployeeFactory(organisation=OrganisationFactory(kind="executive_committee"), roles=["admin"]).user
    granted = grant_installation_role(EmployeeFactory(organisation=enterprise_admin.employments.get().organisation,
                                                      roles=["executor"]).user, "installation_admin")
    before = _version()
    # An organisation's administrator — the committee's too — holds nothing installation-wide without a grant.
    for user in (staff_user, enterprise_admin, committee_admin, UserFactory()):
        with pytest.raises(PermissionDeniedError):
            svc.day_override_add(actor=user, day=D("2025-05-02"), working=False, reason="x")
        with pytest.raises(PermissionDeniedError):
            svc.calendar_shift_set(actor=user, shift="next")
        with pytest.raises(PermissionDeniedError):
            svc.martial_law_period_add(actor=user, start=D("2030-01-01"), basis="x")
        with pytest.raises(PermissionDeniedError):
            calendar_recompute_open_deadlines(actor=user)
    assert _version() == before and not DayOverride.objects.exists()
    for user in (calendar_admin, superuser, granted):
        svc.calendar_shift_set(actor=user, shift="next" if _version() % 2 else "previous")
    assert _version() == before + 3


def test_recompute_calls_every_registered_recomputer(calendar_admin):
    calls = []

    def ours(*, actor):
        calls.append(actor)
        return 3

    register_recomputer("test-ours", ours)
    register_recomputer("test-none", lambda *, actor: 0)
    try:
        results = calendar_recompute_open_deadlines(actor=calendar_admin)
        assert results["test-ours"] == 3 and results["test-none"] == 0
        assert calls == [calendar_admin]
        assert {"test-ours", "test-none"} <= set(registered_recomputers())
        event = AuditEvent.objects.get(action="calendar.recompute")
        assert event.params["results"]["test-ours"] == 3 and event.actor == calendar_admin
    finally:
        unregister_recomputer("test-ours")
        unregister_recomputer("test-none")
    with pytest.raises(ValueError):
        register_recomputer("", ours)


def test_recompute_failure_rolls_back_everything(calendar_admin):
    def changes_then_fails(*, actor):
        svc.calendar_shift_set(actor=actor, shift="next")
        raise RuntimeError("broken")

    register_recomputer("test-broken", changes_then_fails)
    try:
        with pytest.raises(RuntimeError):
            calendar_recompute_open_deadlines(actor=calendar_admin)
    finally:
        unregister_recomputer("test-broken")
    assert selectors.default_shift() == "previous"
    assert not AuditEvent.objects.filter(action="calendar.recompute").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_get_distinct_versions_and_never_lose_one():
    admin = grant_installation_role(
        EmployeeFactory(organisation=OrganisationFactory(kind="city_council"), roles=["admin"]).user, "installation_admin")
    svc.calendar_shift_set(actor=admin, shift="previous")  # creates the state after the flush
    start = _version()
    days = [D("2025-11-03") + dt.timedelta(days=i) for i in range(4)]

    def add(day):
        return svc.day_override_add(actor=admin, day=day, working=False, reason=f"Рішення {day}")

    outcomes = run_concurrently(add, [(day,) for day in days])
    assert all(isinstance(o, DayOverride) for o in outcomes), outcomes
    assert _version() == start + 4
    assert sorted(CalendarVersion.objects.filter(number__gt=start).values_list("number", flat=True)) == [
        start + 1, start + 2, start + 3, start + 4]
    assert all(not selectors.is_working_day(day) for day in days)
    # Two administrators submit the same stale settings form: one wins, the other is told.
    version = _version()
    outcomes = run_concurrently(
        lambda shift: svc.calendar_shift_set(actor=admin, shift=shift, expected_version=version),
        [("next",), ("next",)])
    assert sum(isinstance(o, svc.CalendarConflictError) for o in outcomes) == 1
    assert _version() == version + 1
    assert audit_verify() is None


@pytest.mark.django_db(transaction=True)
def test_an_emptied_database_falls_back_to_the_default_calendar():
    # A flushed database (no state row): the default martial-law period is still in force for readers,
    # and the first change creates it for real.
    for model in (CalendarState, MartialLawPeriod, DayOverride, CalendarVersion):
        model.objects.all().delete()
    assert not CalendarState.objects.exists()
    assert selectors.calendar_version() == 0
    assert selectors.is_working_day(D("2025-05-01"))
    admin = UserFactory(is_superuser=True)
    svc.day_override_add(actor=admin, day=D("2025-05-02"), working=False, reason="Рішення")
    assert MartialLawPeriod.objects.get().start == D("2022-03-15")
    assert selectors.is_working_day(D("2025-05-01")) and not selectors.is_working_day(D("2025-05-02"))


def test_cache_is_keyed_by_version_and_token(calendar_admin, django_assert_max_num_queries):
    first = selectors.work_calendar()
    with django_assert_max_num_queries(1):  # only the version is read: the rest comes from the cache
        assert selectors.work_calendar() is first
    svc.day_override_add(actor=calendar_admin, day=D("2025-05-02"), working=False, reason="Рішення")
    assert selectors.work_calendar() is not first
    assert selectors.work_calendar(martial_law=False) is not selectors.work_calendar(martial_law=True)
    assert not selectors.work_calendar(martial_law=False).is_working_day(D("2025-05-01"))
    assert not selectors.work_calendar(martial_law=True).is_working_day(D("2025-05-02"))  # overrides apply


def test_lists_need_a_signed_in_user(calendar_admin):
    from django.contrib.auth.models import AnonymousUser

    for read in (selectors.martial_law_periods, selectors.day_overrides, selectors.calendar_versions):
        with pytest.raises(PermissionDeniedError):
            read(user=AnonymousUser())
        assert isinstance(read(user=calendar_admin), list)
