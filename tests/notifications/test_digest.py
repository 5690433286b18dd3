"""The daily digest: ONE e-mail per person per day, idempotent, retried after a failure."""

import datetime as dt

import pytest

from ratusha.notifications import digest as digest_module
from ratusha.notifications import tasks
from ratusha.notifications.constants import Delivery, DigestState, EmailState, NotificationKind
from ratusha.notifications.digest import (
    DigestItem,
    DigestSection,
    digest_send_all,
    register_digest_provider,
    unregister_digest_provider,
)
from ratusha.notifications.models import DigestRun, Notification
from ratusha.notifications.services import notify, preferences_update
from tests.concurrency import run_concurrently
from tests.factories import UserFactory
from tests.smtp import SMTPServer, mail_to, running_smtp_server

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 26)  # a Thursday
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def provider():
    """A workflow-like provider; tests fill ``provider.data`` = {user_id: [sections]}."""

    def fn(on):
        fn.calls.append(on)
        return fn.data

    fn.data = {}
    fn.calls = []
    register_digest_provider(fn)
    yield fn
    unregister_digest_provider(fn)


def due_sections():
    return [
        DigestSection(title="Строк сьогодні", items=[
            DigestItem(text="№ 12/01-05 — відповідь на звернення Іваненка", url="/office/work/a/12/",
                       due=dt.date(2026, 11, 26), note="сьогодні"),
        ]),
        DigestSection(title="Строк найближчими днями", items=[
            DigestItem(text="№ 14/01-05 — ремонт покрівлі", url="/office/work/a/14/", due=dt.date(2026, 11, 30)),
            DigestItem(text="№ 15/01-05 — звіт про виконання бюджету", due=dt.date(2026, 12, 1)),
        ]),
        DigestSection(title="Порожній розділ", items=[]),
    ]


def test_several_items_make_exactly_one_email(smtp_server, provider, olena):
    provider.data = {olena.pk: due_sections()}
    done = notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_DONE, title="Виконано: № 10/01-05",
                  body="Звіт прийнято.", url="/office/work/a/10/")
    closed = notify(recipient=olena, kind=NotificationKind.CONTROL_CLOSED, title="Знято з контролю: № 9/01-05")
    assert digest_send_all(on=DAY) == 1
    assert provider.calls == [DAY]
    [message] = smtp_server.messages
    assert message["Subject"] == "Ратуша: зведення на 26.11.2026 — 5 пунктів"
    assert message["To"] == olena.email
    assert SMTPServer.text(message) == (
        "Добрий день!\n\n"
        "Зведення на 26.11.2026.\n\n"
        "Строк сьогодні\n"
        "• № 12/01-05 — відповідь на звернення Іваненка — строк 26.11.2026 (сьогодні)\n"
        f"  {BASE}/office/work/a/12/\n\n"
        "Строк найближчими днями\n"
        "• № 14/01-05 — ремонт покрівлі — строк 30.11.2026\n"
        f"  {BASE}/office/work/a/14/\n"
        "• № 15/01-05 — звіт про виконання бюджету — строк 01.12.2026\n\n"
        "Доручення виконано\n"
        "• Виконано: № 10/01-05 (Звіт прийнято.)\n"
        f"  {BASE}/office/work/a/10/\n\n"
        "Знято з контролю\n"
        "• Знято з контролю: № 9/01-05\n\n"
        "—\nРатуша\n"
        f"Усі сповіщення: {BASE}/office/notifications/\n"
        f"Налаштувати сповіщення: {BASE}/office/notifications/settings/\n")
    html = SMTPServer.html(message)
    assert "<h2" in html and "Строк найближчими днями" in html and "Порожній розділ" not in html
    for n in (done, closed):
        n.refresh_from_db()
        assert n.email_state == EmailState.SENT and n.emailed_at is not None
    run = DigestRun.objects.get(user=olena, date=DAY)
    assert run.state == DigestState.SENT and run.items == 5 and run.sent_at is not None

    # A re-run the same day (or a second worker) sends nothing, even with new items.
    notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_DONE, title="Виконано: № 11/01-05")
    assert digest_send_all(on=DAY) == 0
    assert len(smtp_server.messages) == 1
    # The next day the waiting notification goes out, once.
    provider.data = {}
    assert digest_send_all(on=DAY + dt.timedelta(days=1)) == 1
    assert smtp_server.messages[1]["Subject"] == "Ратуша: зведення на 27.11.2026 — 1 пункт"
    assert "Виконано: № 11/01-05" in SMTPServer.text(smtp_server.messages[1])


def test_one_email_per_person(smtp_server, provider, olena):
    petro = UserFactory(username="petro", email="petro@rada.example.org")
    provider.data = {str(petro.pk): due_sections()[:1]}
    notify(recipient=olena, kind=NotificationKind.DUE_REMINDER, title="Нагадування")
    assert digest_send_all(on=DAY) == 2
    assert sorted(m["To"] for m in smtp_server.messages) == [olena.email, petro.email]


def test_nothing_to_send_sends_nothing(smtp_server, provider, olena):
    notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_DONE, title="Без листа", email=False)
    assert digest_send_all(on=DAY) == 0
    assert smtp_server.messages == [] and not DigestRun.objects.exists()


def test_immediate_and_read_state_do_not_matter_only_email_state(smtp_server, provider, olena,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_ISSUED, title="Нове доручення")
    assert len(smtp_server.messages) == 1  # sent at once; not repeated in the digest
    assert digest_send_all(on=DAY) == 0


def test_due_reminders_off_drops_provider_sections(smtp_server, provider, olena):
    preferences_update(user=olena, values={NotificationKind.DUE_REMINDER: Delivery.OFF})
    provider.data = {olena.pk: due_sections()}
    assert digest_send_all(on=DAY) == 0
    notify(recipient=olena, kind=NotificationKind.CONTROL_CLOSED, title="Знято з контролю: № 9/01-05")
    assert digest_send_all(on=DAY) == 1
    text = SMTPServer.text(smtp_server.messages[0])
    assert "Знято з контролю: № 9/01-05" in text and "Строк сьогодні" not in text


def test_users_without_email_or_inactive_get_no_digest(smtp_server, provider):
    nobody = UserFactory(email="")
    gone = UserFactory(is_active=False)
    provider.data = {nobody.pk: due_sections(), gone.pk: due_sections()}
    assert digest_send_all(on=DAY) == 0
    assert smtp_server.messages == []


def test_broken_provider_does_not_stop_the_digest(smtp_server, provider, olena):
    def broken(on):
        raise RuntimeError("boom")

    register_digest_provider(broken)
    try:
        provider.data = {olena.pk: due_sections()}
        assert digest_send_all(on=DAY) == 1
    finally:
        unregister_digest_provider(broken)


def test_smtp_down_is_recorded_and_retried(smtp_down, provider, olena, django_capture_on_commit_callbacks):
    provider.data = {olena.pk: due_sections()}
    with django_capture_on_commit_callbacks(execute=True):
        immediate = notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_ISSUED, title="Нове доручення № 5")
    waiting = notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_DONE, title="Виконано: № 6")
    immediate.refresh_from_db()
    assert immediate.email_state == EmailState.FAILED  # the immediate send failed, no exception

    assert digest_send_all(on=DAY) == 0  # no exception out of the digest either
    run = DigestRun.objects.get(user=olena, date=DAY)
    assert run.state == DigestState.FAILED and run.error
    waiting.refresh_from_db()
    assert waiting.email_state == EmailState.FAILED and waiting.email_error

    with running_smtp_server() as server, mail_to(server.host, server.port):
        assert digest_send_all(on=DAY) == 1  # the same day: the failed digest is retried
        assert digest_send_all(on=DAY) == 0
    [message] = server.messages
    text = SMTPServer.text(message)
    assert "Нове доручення № 5" in text and "Виконано: № 6" in text and "Строк сьогодні" in text
    assert message["Subject"] == "Ратуша: зведення на 26.11.2026 — 5 пунктів"
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}


def test_notification_failing_too_often_is_given_up(smtp_server, olena):
    n = notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_DONE, title="Виконано")
    Notification.objects.filter(pk=n.pk).update(email_state=EmailState.FAILED,
                                                email_attempts=digest_module.MAX_EMAIL_ATTEMPTS)
    assert digest_send_all(on=DAY) == 0


def test_lost_immediate_email_is_picked_up_by_digest(smtp_server, olena):
    """A worker crashed before sending: after LOST_EMAIL_MINUTES the digest sends it."""
    from django.utils import timezone

    n = notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_ISSUED, title="Загублене доручення")
    assert digest_send_all(on=DAY) == 0  # fresh: the task may still be on its way
    Notification.objects.filter(pk=n.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    assert digest_send_all(on=DAY) == 1
    assert "Загублене доручення" in SMTPServer.text(smtp_server.messages[0])


@pytest.mark.parametrize(("today", "sent"), [(dt.date(2026, 11, 29), 0), (DAY, 1)])
def test_daily_task_runs_on_working_days_only(smtp_server, provider, olena, monkeypatch, today, sent):
    from ratusha.calendar.selectors import is_working_day

    assert is_working_day(dt.date(2026, 11, 29)) is False  # a Sunday
    monkeypatch.setattr(tasks, "_today", lambda: today)
    provider.data = {olena.pk: due_sections()}
    assert tasks.daily_digest_task.call() == sent
    assert len(smtp_server.messages) == sent


def test_daily_task_is_scheduled_at_eight():
    from crontask import scheduler

    jobs = [job for job in scheduler.get_jobs() if job.name == tasks.daily_digest_task.name]
    assert len(jobs) == 1
    assert str(jobs[0].trigger.fields[5]) == "8" and str(jobs[0].trigger.fields[6]) == "0"  # hour, minute


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_one_digest(smtp_server, provider, olena):
    provider.data = {olena.pk: due_sections()}
    for i in range(3):
        notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_DONE, title=f"Виконано: № {i}")
    outcomes = run_concurrently(lambda: digest_send_all(on=DAY), [(), (), ()])
    assert sorted(outcomes) == [0, 0, 1], outcomes
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["Subject"] == "Ратуша: зведення на 26.11.2026 — 6 пунктів"
    assert DigestRun.objects.get(user=olena, date=DAY).state == DigestState.SENT
