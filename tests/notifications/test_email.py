"""Immediate e-mails through a real SMTP server on loopback (aiosmtpd): exact Ukrainian subject and body."""

import pytest

from ratusha.notifications.constants import Delivery, EmailState, NotificationKind
from ratusha.notifications.models import Notification
from ratusha.notifications.services import notify, preferences_update
from ratusha.notifications.tasks import send_notification_email_task
from tests.factories import UserFactory
from tests.smtp import SMTPServer

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"
FOOTER = ("—\nРатуша\n"
          f"Усі сповіщення: {BASE}/office/notifications/\n"
          f"Налаштувати сповіщення: {BASE}/office/notifications/settings/\n")


def test_immediate_email_after_commit_exact_subject_and_body(smtp_server, olena, registrar, document,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        n = notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_ISSUED, obj=document, actor=registrar,
                   title="Нове доручення: підготувати відповідь ТОВ «Дахбуд»",
                   body="Підготувати відповідь заявникові.\nСтрок — 3 робочі дні.", url="/office/work/a/1/")
    assert smtp_server.messages == []  # nothing before commit
    assert len(callbacks) == 1
    callbacks[0]()
    [message] = smtp_server.messages
    assert message["Subject"] == f"Ратуша: нове доручення — {document}"
    assert message["To"] == "olena.kovalenko@rada.example.org"
    assert smtp_server.envelopes == [("ratusha@localhost", ["olena.kovalenko@rada.example.org"])]
    assert SMTPServer.text(message) == (
        "Добрий день!\n\n"
        "Нове доручення: підготувати відповідь ТОВ «Дахбуд»\n\n"
        "Підготувати відповідь заявникові.\nСтрок — 3 робочі дні.\n\n"
        f"Від: {registrar.short_name}\n\n"
        f"Відкрити: {BASE}/office/work/a/1/\n\n" + FOOTER)
    html = SMTPServer.html(message)
    assert '<html lang="uk">' in html
    assert f'href="{BASE}/office/work/a/1/"' in html
    assert "ТОВ «Дахбуд»" in html and "Відкрити в Ратуші" in html
    n.refresh_from_db()
    assert n.email_state == EmailState.SENT and n.emailed_at is not None and n.email_attempts == 1


def test_long_cyrillic_subject_is_folded_and_decodes_exactly(smtp_server, olena, document,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_RETURNED, obj=document,
               title="Звіт повернуто на доопрацювання")
    [message] = smtp_server.messages
    expected = f"Ратуша: доручення повернуто на доопрацювання — {document}"
    assert len(expected) > 60
    assert message["Subject"] == expected
    raw_header = message.as_bytes().split(b"\n\n", 1)[0].decode("ascii")
    subject_lines = raw_header.split("Subject:", 1)[1].split("\n")
    assert subject_lines[1].startswith((" ", "\t")), "a long encoded subject is folded"
    assert SMTPServer.text(message).startswith("Добрий день!\n\nЗвіт повернуто на доопрацювання\n\n—\nРатуша\n")


def test_subject_without_object_uses_title(smtp_server, olena, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=olena, kind=NotificationKind.SIGN_REQUESTED, title="Проєкт рішення про бюджет на підпис")
    [message] = smtp_server.messages
    assert message["Subject"] == "Ратуша: Проєкт рішення про бюджет на підпис"


def test_preference_off_sends_nothing_but_in_app_exists(smtp_server, olena, django_capture_on_commit_callbacks):
    preferences_update(user=olena, values={NotificationKind.ASSIGNMENT_ISSUED: Delivery.OFF})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        n = notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_ISSUED, title="Нове доручення")
    assert callbacks == []
    assert smtp_server.messages == []
    assert Notification.objects.get(pk=n.pk).email_state == EmailState.SKIPPED


def test_digest_preference_does_not_send_immediately(smtp_server, olena, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        n = notify(recipient=olena, kind=NotificationKind.DUE_REMINDER, title="Строк завтра")
    assert callbacks == [] and smtp_server.messages == []
    assert Notification.objects.get(pk=n.pk).email_state == EmailState.PENDING


def test_email_false_is_in_app_only(smtp_server, olena, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_ISSUED, title="Нове доручення", email=False)
    assert smtp_server.messages == []
    assert Notification.objects.filter(recipient=olena).count() == 1


def test_user_without_email_gets_no_mail(smtp_server, django_capture_on_commit_callbacks):
    nobody = UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(recipient=nobody, kind=NotificationKind.ASSIGNMENT_ISSUED, title="Нове доручення")
    assert smtp_server.messages == []
    assert Notification.objects.get(pk=n.pk).email_state == EmailState.SKIPPED


def test_task_is_idempotent(smtp_server, olena, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(recipient=olena, kind=NotificationKind.APPROVAL_REQUESTED, title="Погодьте проєкт наказу")
    assert len(smtp_server.messages) == 1
    assert send_notification_email_task.call(str(n.pk)) == EmailState.SENT  # already sent: no second mail
    assert send_notification_email_task.call(str(n.pk)) == EmailState.SENT
    assert len(smtp_server.messages) == 1


def test_smtp_down_is_recorded_not_raised(smtp_down, olena, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        n = notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_ISSUED, title="Нове доручення")
    callbacks[0]()  # the task runs (ImmediateBackend) and must not raise
    n.refresh_from_db()
    assert n.email_state == EmailState.FAILED
    assert n.emailed_at is None and n.email_attempts == 1
    assert "Connection" in n.email_error or "refused" in n.email_error.lower()
    # a duplicate task for a failed one does not retry on its own (the digest does)
    assert send_notification_email_task.call(str(n.pk)) == EmailState.FAILED
    # the in-app notification is there regardless
    assert Notification.objects.filter(pk=n.pk, read_at__isnull=True).exists()


def test_task_for_missing_notification_is_harmless(db):
    assert send_notification_email_task.call("00000000-0000-0000-0000-000000000000") == ""
