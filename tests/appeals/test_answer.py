"""The answer to an appeal (issue 4 item 5): drafted «у відповідь на» the appeal's card, signed and
registered through approvals, then recorded on the appeal — by e-mail with the letter's PDF attached (a real
SMTP server) or marked for post; refused without a registered answer linked to the appeal; closing needs an
answer or a legal ground; the citizen sees the answer on the tracking page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ratusha.appeals import services as svc
from ratusha.appeals.constants import AnswerChannel, AppealStatus, Outcome
from ratusha.appeals.services.answer import appeal_answer_email_send
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from ratusha.registry.constants import LinkKind
from ratusha.registry.models import DocumentLink
from tests.appeals.glue_helpers import ANSWER_NAME, route, signed_answer
from tests.appeals.office_helpers import answer_document, pdf_bytes, register_written
from tests.factories import EmployeeFactory
from tests.orgs.conftest import login_verified
from tests.ratelimits import rate_limits_clear
from tests.smtp import SMTPServer, smtp_down, smtp_server  # noqa: F401 — fixtures

pytest_plugins = ["tests.appeals.office"]

LETTER = pdf_bytes("Відповідь: ремонт дороги заплановано на червень")


@pytest.fixture
def answered_ready(appeals_world):
    """A routed appeal with its answer letter signed by the head and registered (linked ANSWER_TO)."""
    w = appeals_world
    appeal = register_written(w)
    route(w, appeal)
    appeal.refresh_from_db()
    document = signed_answer(w, appeal, content=LETTER)
    return appeal, document


def subjects(server) -> list[str]:
    return [m["Subject"] for m in server.messages]


def test_the_signed_answer_is_linked_to_the_appeal(appeals_world, answered_ready):
    appeal, document = answered_ready
    assert DocumentLink.objects.filter(source=document, target=appeal.document, kind=LinkKind.ANSWER_TO).exists()
    assert document.journal.kind == "outgoing" and document.access == "personal"
    assert list(svc.answer_candidates(user=appeals_world.officer, appeal=appeal)) == [document]


def test_answer_by_email_with_the_pdf(appeals_world, answered_ready, smtp_server,  # noqa: F811
                                      django_capture_on_commit_callbacks):
    w = appeals_world
    appeal, document = answered_ready
    with django_capture_on_commit_callbacks(execute=True):
        svc.appeal_answer_send(actor=w.officer, appeal=appeal, answer_document=document,
                               outcome=Outcome.EXPLAINED, channel=AnswerChannel.EMAIL,
                               expected_version=appeal.version)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ANSWERED and appeal.outcome == Outcome.EXPLAINED
    assert appeal.answer_document == document and appeal.answer_channel == AnswerChannel.EMAIL
    assert appeal.answered_at is not None

    number = appeal.document.reg_index
    assert f"Відповідь на ваше звернення № {number}" in subjects(smtp_server)
    assert f"Ратуша: ваше звернення № {number} — надано відповідь" in subjects(smtp_server)  # the status e-mail
    [message] = [m for m in smtp_server.messages if m["Subject"] == f"Відповідь на ваше звернення № {number}"]
    assert message["To"] == "ivan.kovalenko@example.org"
    text = SMTPServer.text(message)
    assert "Результат розгляду: Роз'яснено." in text
    assert f"надано відповідь № {document.reg_index} від {document.reg_date:%d.%m.%Y}" in text
    assert f"/appeals/track/?code={appeal.tracking_code}" in text
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == ANSWER_NAME
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == LETTER
    sent = AuditEvent.objects.get(action="appeal.answer_emailed", object_id=str(appeal.pk))
    assert sent.params["attachments"] == [ANSWER_NAME]
    send = AuditEvent.objects.get(action="appeal.answer_send", object_id=str(appeal.pk))
    assert send.actor == w.officer and send.params["channel"] == "email"
    # Idempotent: a duplicated task sends nothing more.
    assert appeal_answer_email_send(appeal_id=appeal.pk, document_id=document.pk) == "done"
    assert len([s for s in subjects(smtp_server) if s.startswith("Відповідь")]) == 1


def test_answer_marked_for_post(appeals_world, answered_ready, smtp_server,  # noqa: F811
                                django_capture_on_commit_callbacks):
    w = appeals_world
    appeal, document = answered_ready
    with django_capture_on_commit_callbacks(execute=True):
        svc.appeal_answer_send(actor=w.head, appeal=appeal, answer_document=document, outcome=Outcome.SATISFIED,
                               channel=AnswerChannel.POST)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ANSWERED and appeal.answer_channel == AnswerChannel.POST
    assert not [s for s in subjects(smtp_server) if s.startswith("Відповідь на ваше звернення")]
    event = AuditEvent.objects.get(action="appeal.answer_send", object_id=str(appeal.pk))
    assert event.params["marked_for_post"] is True and event.params["files"] == []
    assert not AuditEvent.objects.filter(action="appeal.answer_emailed").exists()


def test_email_channel_needs_the_applicants_email(appeals_world):
    w = appeals_world
    appeal = register_written(w, email="")
    route(w, appeal)
    appeal.refresh_from_db()
    document = signed_answer(w, appeal)
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_answer_send(actor=w.officer, appeal=appeal, answer_document=document,
                               outcome=Outcome.EXPLAINED, channel=AnswerChannel.EMAIL)
    assert exc.value.field == "channel"
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.IN_WORK
    svc.appeal_answer_send(actor=w.officer, appeal=appeal, answer_document=document, outcome=Outcome.EXPLAINED,
                           channel=AnswerChannel.POST)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ANSWERED


def test_refused_without_a_registered_answer_linked_to_the_appeal(appeals_world):
    w = appeals_world
    appeal = register_written(w)
    route(w, appeal)
    appeal.refresh_from_db()
    unrelated = answer_document(w)  # a registered letter of the council, but not «Відповідь на» this appeal
    for candidate in (None, unrelated):
        with pytest.raises(ApplicationError) as exc:
            svc.appeal_answer_send(actor=w.officer, appeal=appeal, answer_document=candidate,
                                   outcome=Outcome.EXPLAINED, channel=AnswerChannel.POST)
        assert exc.value.code == "answer_not_linked" and exc.value.field == "answer_document"
    other = register_written(w, text="Прошу встановити лавку біля школи № 3.")
    route(w, other)
    other.refresh_from_db()
    others_answer = signed_answer(w, other)
    with pytest.raises(ApplicationError):  # the answer to another appeal
        svc.appeal_answer_send(actor=w.officer, appeal=appeal, answer_document=others_answer,
                               outcome=Outcome.EXPLAINED, channel=AnswerChannel.POST)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.IN_WORK and appeal.answer_document is None


def test_who_records_the_answer(appeals_world, answered_ready):
    w = appeals_world
    appeal, document = answered_ready
    stranger = EmployeeFactory(organisation=w.org, roles=["executor"]).user
    for person in (stranger, w.controller, w.outsider):
        with pytest.raises(PermissionDeniedError):
            svc.appeal_answer_send(actor=person, appeal=appeal, answer_document=document,
                                   outcome=Outcome.EXPLAINED, channel=AnswerChannel.POST)
    # The responsible executor may record the answer they prepared.
    svc.appeal_answer_send(actor=w.executor, appeal=appeal, answer_document=document, outcome=Outcome.PARTLY,
                           channel=AnswerChannel.POST)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ANSWERED and appeal.decided_by == w.executor


def test_a_failed_email_is_recorded_not_raised(appeals_world, answered_ready, smtp_down,  # noqa: F811
                                               django_capture_on_commit_callbacks):
    w = appeals_world
    appeal, document = answered_ready
    with django_capture_on_commit_callbacks(execute=True):
        svc.appeal_answer_send(actor=w.officer, appeal=appeal, answer_document=document,
                               outcome=Outcome.REFUSED, channel=AnswerChannel.EMAIL)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ANSWERED
    failed = AuditEvent.objects.get(action="appeal.answer_email_failed", object_id=str(appeal.pk))
    assert "Connection" in failed.params["error"] or "refused" in failed.params["error"].lower()


def test_close_needs_an_answer_or_a_legal_ground(appeals_world, answered_ready):
    w = appeals_world
    appeal, document = answered_ready
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_close(actor=w.officer, appeal=appeal)
    assert exc.value.code == "no_answer_or_ground"
    svc.appeal_answer_send(actor=w.officer, appeal=appeal, answer_document=document, outcome=Outcome.EXPLAINED,
                           channel=AnswerChannel.POST)
    appeal.refresh_from_db()
    closed = svc.appeal_close(actor=w.officer, appeal=appeal)
    assert closed.status == AppealStatus.CLOSED and closed.outcome == Outcome.EXPLAINED


# --- The appeal page and the tracking page ---------------------------------------------------------------


def test_the_officer_records_the_answer_on_the_page(client, appeals_world, answered_ready, smtp_server,  # noqa: F811
                                                    django_capture_on_commit_callbacks):
    w = appeals_world
    appeal, document = answered_ready
    login_verified(client, w.officer)
    url = reverse("appeals:detail", args=[appeal.pk])
    page = client.get(url).content.decode()
    assert 'id="answer"' in page and f"№ {document.reg_index} від" in page
    assert "Електронною поштою (лист-відповідь у PDF додається)" in page

    response = client.post(reverse("appeals:answer", args=[appeal.pk]), {
        "version": appeal.version, "answer_document": str(document.pk), "outcome": "", "channel": "email",
        "note": "Роботи — у червні."})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Оберіть результат розгляду." in body and "Роботи — у червні." in body

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("appeals:answer", args=[appeal.pk]), {
            "version": appeal.version, "answer_document": str(document.pk), "outcome": "explained",
            "channel": "email", "note": ""})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ANSWERED and appeal.answer_channel == AnswerChannel.EMAIL
    assert any(s.startswith("Відповідь на ваше звернення") for s in subjects(smtp_server))

    # The citizen sees the answer and its file on the tracking page.
    client.logout()
    rate_limits_clear()
    track = client.get(reverse("appeals_public:track"), {"code": appeal.tracking_code}).content.decode()
    assert "Надано відповідь" in track and ANSWER_NAME in track and "Роз&#x27;яснено" in track


def test_without_a_linked_answer_the_page_says_what_to_do(client, appeals_world):
    w = appeals_world
    appeal = register_written(w)
    route(w, appeal)
    login_verified(client, w.officer)
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'id="answer"' not in page and "форма її надсилання заявникові" in page
    response = client.post(reverse("appeals:answer", args=[appeal.pk]), {
        "version": appeal.version + 1, "answer_document": "", "outcome": "explained", "channel": "post"})
    assert response.status_code == 400
    assert "Оберіть зареєстровану відповідь." in response.content.decode()



def test_retry_sends_a_failed_answer_once_later(appeals_world, answered_ready, smtp_down,  # noqa: F811
                                               django_capture_on_commit_callbacks):
    """The SMTP server was down when the officer sent the answer: the sweep sends it once it is back,
    and a second sweep sends nothing. Answers recorded without «send» (the demo's) are never swept."""
    import datetime as dt

    from django.utils import timezone

    from ratusha.appeals.services.answer import appeal_answer_email_retry
    from tests.smtp import mail_to, running_smtp_server

    w = appeals_world
    appeal, document = answered_ready
    with django_capture_on_commit_callbacks(execute=True):
        svc.appeal_answer_send(actor=w.officer, appeal=appeal, answer_document=document,
                               outcome=Outcome.SATISFIED, channel=AnswerChannel.EMAIL)
    assert AuditEvent.objects.filter(action="appeal.answer_email_failed", object_id=str(appeal.pk)).exists()
    later = timezone.now() + dt.timedelta(minutes=11)
    with running_smtp_server() as server, mail_to(server.host, server.port):
        assert appeal_answer_email_retry(now=later) == 1
        assert appeal_answer_email_retry(now=later) == 0
    assert len(server.messages) == 1
    assert server.messages[0]["Subject"].startswith("Відповідь на ваше звернення")
    assert AuditEvent.objects.filter(action="appeal.answer_emailed", object_id=str(appeal.pk)).count() == 1
