"""``appeal_event_add``: the timeline entry and the applicant's e-mail on each change of status (real SMTP
server): exact subject and body, none without an address, once per event, failures kept for retry."""

import datetime as dt

import pytest
from django.utils import timezone

from ratusha.appeals.constants import AppealStatus
from ratusha.appeals.emails import appeal_event_email_retry, appeal_event_email_send
from ratusha.appeals.models import AppealEvent
from ratusha.appeals.services.timeline import appeal_event_add
from ratusha.registry import services as registry_services
from ratusha.registry.constants import JournalKind
from tests.appeals.test_intake_support import make_appeal
from tests.factories import EmployeeFactory, JournalFactory
from tests.smtp import SMTPServer

pytest_plugins = ["tests.appeals.test_intake_support"]
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

FOOTER = "—\nЛуцька міська рада\nЦей лист надіслано автоматично, відповідати на нього не потрібно.\n"


@pytest.fixture
def registered(council):
    registrar = EmployeeFactory(organisation=council, roles=["registrar"]).user
    journal = JournalFactory(organisation=council, kind=JournalKind.APPEALS, index_template="К-{seq}")
    appeal = make_appeal(council, deadline=dt.date(2026, 7, 3))
    appeal.document = registry_services.document_register(actor=registrar, journal=journal, kind="appeal",
                                                          summary="Про освітлення двору")
    appeal.status = AppealStatus.REGISTERED
    appeal.save()
    return appeal


def test_status_change_email_exact_subject_and_body(registered, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = appeal_event_add(appeal=registered, message="Звернення передано на розгляд до управління "
                                                             "благоустрою.")
    assert smtp_server.messages == [] and len(callbacks) == 1  # nothing before commit
    callbacks[0]()
    [message] = smtp_server.messages
    number = registered.document.reg_index
    date = registered.document.reg_date.strftime("%d.%m.%Y")
    assert message["Subject"] == f"Ратуша: ваше звернення № {number} — зареєстровано"
    assert message["To"] == "ivan.petrenko@example.com"
    code = registered.tracking_code
    assert SMTPServer.text(message) == (
        "Добрий день!\n\n"
        f"Стан вашого звернення № {number} від {date}: Зареєстровано.\n\n"
        "Звернення передано на розгляд до управління благоустрою.\n\n"
        "Термін розгляду — до 03.07.2026.\n\n"
        f"Стан розгляду: http://127.0.0.1:8000/appeals/track/?code={code}\n"
        f"Код відстеження: {code}\n\n" + FOOTER)
    html = SMTPServer.html(message)
    assert '<html lang="uk">' in html and f"Звернення № {number} від {date}" in html
    event.refresh_from_db()
    assert event.emailed_at is not None and event.status == AppealStatus.REGISTERED


def test_answered_email_uses_the_default_message_and_no_deadline(registered, smtp_server,
                                                                  django_capture_on_commit_callbacks):
    registered.status = AppealStatus.ANSWERED
    registered.save()
    with django_capture_on_commit_callbacks(execute=True):
        appeal_event_add(appeal=registered)
    [message] = smtp_server.messages
    assert message["Subject"] == f"Ратуша: ваше звернення № {registered.document.reg_index} — надано відповідь"
    text = SMTPServer.text(message)
    assert "Відповідь на звернення надіслано." in text and "Термін розгляду" not in text


def test_no_email_without_an_address(council, smtp_server, django_capture_on_commit_callbacks):
    appeal = make_appeal(council, email="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event = appeal_event_add(appeal=appeal, message="Зареєстровано на особистому прийомі.")
    assert callbacks == [] and smtp_server.messages == []
    assert AppealEvent.objects.get(pk=event.pk).message == "Зареєстровано на особистому прийомі."
    assert appeal_event_email_send(event_id=event.pk) == "skipped"
    assert appeal_event_email_retry(now=timezone.now() + dt.timedelta(hours=1)) == 0
    assert smtp_server.messages == []


def test_sending_is_idempotent_per_event(registered, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = appeal_event_add(appeal=registered)
    assert appeal_event_email_send(event_id=event.pk) == "done"
    assert appeal_event_email_send(event_id=event.pk) == "done"
    assert len(smtp_server.messages) == 1


def test_failure_is_logged_kept_and_retried_later(registered, smtp_down, caplog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = appeal_event_add(appeal=registered)  # never raises
    event.refresh_from_db()
    assert event.emailed_at is None
    assert any("e-mail failed" in r.getMessage() for r in caplog.records)

    from tests.smtp import mail_to, running_smtp_server

    with running_smtp_server() as server, mail_to(server.host, server.port):
        assert appeal_event_email_retry(now=timezone.now()) == 0  # too fresh: its own task may still run
        assert appeal_event_email_retry(now=timezone.now() + dt.timedelta(minutes=15)) == 1
        assert appeal_event_email_retry(now=timezone.now() + dt.timedelta(minutes=16)) == 0
        [message] = server.messages
    assert message["Subject"].endswith("— зареєстровано")
    event.refresh_from_db()
    assert event.emailed_at is not None
