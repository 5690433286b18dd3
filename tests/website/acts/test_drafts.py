"""Draft decisions and the publication clock (Law 2939-VI art. 15; Law 890-IX; docs/legal.md §8)."""

import datetime as dt

import pytest

from ratusha.calendar import services as calendar_services
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.notifications.models import Notification
from ratusha.registry.constants import JournalKind
from ratusha.registry.services import FileInput
from ratusha.website.acts.constants import ActKind, ActStatus
from ratusha.website.acts.models import PublishedAct
from ratusha.website.acts.services import (
    LatePublicationError,
    act_draft_create,
    act_draft_link,
    act_draft_publish,
    draft_reminders,
    latest_publication_date,
)
from ratusha.website.acts.services import drafts as drafts_module
from tests.website.acts.conftest import make_pdf

pytestmark = pytest.mark.django_db

SESSION = dt.date(2027, 2, 18)  # a Thursday
HOLIDAY = dt.date(2027, 2, 12)  # a Friday made a day off for this test


@pytest.fixture
def holiday(db):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    calendar_services.day_override_add(actor=admin, day=HOLIDAY, working=False, reason="Тестовий вихідний")


@pytest.fixture
def today_is(monkeypatch):
    def _set(day):
        monkeypatch.setattr(drafts_module, "_today", lambda: day)
    return _set


def _pdf(name="проєкт.pdf"):
    return FileInput(name=name, content=make_pdf("Проєкт"))


def test_clock_hand_computed_with_weekends_and_a_holiday(holiday):
    # Counting back from Thu 18.02 (not counted): 17, 16, 15 (Mon); Sat 13, Sun 14 and the day off Fri 12
    # skipped; 11, 10, 9, 8; weekend 6–7; 5, 4, 3 → the 10th working day is Wed 03.02.2027.
    assert latest_publication_date(SESSION) == dt.date(2027, 2, 3)


def test_clock_without_the_holiday():
    assert latest_publication_date(SESSION) == dt.date(2027, 2, 4)
    # A Monday session: the previous Friday is the 1st day back; two weekends skipped.
    assert latest_publication_date(dt.date(2027, 3, 15)) == dt.date(2027, 3, 1)


def test_draft_published_in_time(editor, council, holiday, today_is, django_capture_on_commit_callbacks):
    today_is(dt.date(2027, 2, 1))
    with django_capture_on_commit_callbacks(execute=True):
        act = act_draft_create(actor=editor, organisation=council, kind=ActKind.COUNCIL_DECISION,
                               title="Про внесення змін до бюджету громади", session_date=SESSION, file=_pdf())
    assert act.status == ActStatus.DRAFT and not act.published_late
    assert act.latest_publication_date == dt.date(2027, 2, 3)
    assert act.get_absolute_url() == "/decisions/proiekty/2027/p1/"
    assert act.topic.slug == "biudzhet"


def test_late_publication_needs_confirmation(editor, council, holiday, today_is):
    today_is(dt.date(2027, 2, 4))
    with pytest.raises(LatePublicationError) as err:
        act_draft_create(actor=editor, organisation=council, kind=ActKind.COUNCIL_DECISION,
                         title="Про встановлення тарифів", session_date=SESSION, file=_pdf())
    assert "03.02.2027" in err.value.message and "18.02.2027" in err.value.message and "ст. 15" in err.value.message
    assert not PublishedAct.objects.exists()
    act = act_draft_create(actor=editor, organisation=council, kind=ActKind.COUNCIL_DECISION,
                           title="Про встановлення тарифів", session_date=SESSION, file=_pdf(), confirm_late=True)
    assert act.published_late and act.status == ActStatus.DRAFT


def test_prepared_draft_published_later_is_marked_late(editor, council, today_is):
    today_is(dt.date(2027, 2, 1))
    act = act_draft_create(actor=editor, organisation=council, kind=ActKind.EXECUTIVE_DECISION,
                           title="Про благоустрій парку", session_date=SESSION, file=_pdf(), publish=False)
    assert act.status == ActStatus.PREPARING and act.published_at is None
    today_is(dt.date(2027, 2, 8))
    with pytest.raises(LatePublicationError):
        act_draft_publish(actor=editor, act=act)
    act = act_draft_publish(actor=editor, act=act, confirm_late=True)
    assert act.status == ActStatus.DRAFT and act.published_late and act.date == dt.date(2027, 2, 8)


def test_only_pdf_by_content(editor, council, today_is):
    today_is(dt.date(2027, 2, 1))
    with pytest.raises(ApplicationError) as err:
        act_draft_create(actor=editor, organisation=council, kind=ActKind.COUNCIL_DECISION, title="Про щось",
                         session_date=SESSION, file=FileInput(name="проєкт.pdf", content=b"just text, not a pdf"))
    assert err.value.field == "file" and "не PDF" in err.value.message


def test_draft_rights(stranger, council, today_is):
    today_is(dt.date(2027, 2, 1))
    with pytest.raises(PermissionDeniedError):
        act_draft_create(actor=stranger, organisation=council, kind=ActKind.COUNCIL_DECISION, title="Про щось",
                         session_date=SESSION, file=_pdf())


def test_reminders_go_to_editors_and_author(editor, clerk, council, today_is, django_capture_on_commit_callbacks):
    today_is(dt.date(2027, 2, 1))
    act = act_draft_create(actor=clerk, organisation=council, kind=ActKind.COUNCIL_DECISION,
                           title="Про програму підтримки ветеранів", session_date=SESSION, file=_pdf(),
                           publish=False)
    # 01.02: the latest day 04.02 is within 3 working days → a reminder, once a day.
    with django_capture_on_commit_callbacks(execute=True):
        assert draft_reminders(on=dt.date(2027, 2, 1)) == 1
    assert draft_reminders(on=dt.date(2027, 2, 1)) == 0
    recipients = set(Notification.objects.filter(object_id=str(act.pk)).values_list("recipient__username", flat=True))
    assert recipients == {editor.username, clerk.username}
    assert set(Notification.objects.filter(object_id=str(act.pk)).values_list("kind", flat=True)) == {
        "draft_publication"}
    assert "04.02.2027" in Notification.objects.filter(recipient=editor).first().title
    # Late: still reminded (the session is ahead), with the «not in time» title.
    assert draft_reminders(on=dt.date(2027, 2, 9)) == 1
    assert Notification.objects.filter(recipient=editor, title__startswith="Проєкт рішення не оприлюднено вчасно")
    # Far ahead: nothing.
    act_draft_create(actor=clerk, organisation=council, kind=ActKind.COUNCIL_DECISION, title="Про інше",
                     session_date=dt.date(2027, 6, 17), file=_pdf(), publish=False)
    assert draft_reminders(on=dt.date(2027, 2, 10)) == 1


def test_adopted_decision_links_the_published_draft(editor, council, register_act, today_is):
    today_is(dt.date(2027, 2, 1))
    draft = act_draft_create(actor=editor, organisation=council, kind=ActKind.COUNCIL_DECISION,
                             title="Про бюджет", session_date=SESSION, file=_pdf())
    doc = register_act("Про бюджет громади", kind=JournalKind.COUNCIL_DECISIONS)
    adopted = PublishedAct.objects.get(document=doc)
    draft = act_draft_link(actor=editor, draft=draft, adopted_act=adopted)
    assert draft.status == ActStatus.ADOPTED and draft.adopted_act == adopted


def test_adopted_via_approvals_draft_links_automatically(editor, council, clerk, today_is):
    """The draft was published from an approvals draft; registering that draft's card links them."""
    from ratusha.website.acts.services.publication import act_sync_document
    from tests.factories import JournalFactory

    journal = JournalFactory(organisation=council, kind=JournalKind.COUNCIL_DECISIONS, index_template="{seq}")
    from ratusha.core.storage import blob_put
    from ratusha.registry.services import document_register
    from ratusha.workflow.approvals.models import Draft, DraftVersion

    approval = Draft.objects.create(organisation=council, author=clerk, kind="decision", summary="Про бюджет",
                                    journal=journal, access="public")
    version = DraftVersion.objects.create(draft=approval, number=1, blob=blob_put(make_pdf(), mime="application/pdf"),
                                          name="проєкт.pdf", author=clerk)
    approval.current_version = version
    approval.save()
    today_is(dt.date(2027, 2, 1))
    draft = act_draft_create(actor=editor, organisation=council, kind=ActKind.COUNCIL_DECISION, title="Про бюджет",
                             session_date=SESSION, approvals_draft=approval)
    assert draft.author == clerk and draft.blob_id == version.blob_id
    doc = document_register(actor=clerk, journal=journal, kind="decision", summary="Про бюджет", access="public")
    Draft.objects.filter(pk=approval.pk).update(document=doc)
    act_sync_document(document_id=doc.pk)
    draft.refresh_from_db()
    assert draft.adopted_act.document == doc and draft.status == ActStatus.ADOPTED
