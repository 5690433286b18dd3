"""notify / mark read / preferences: in-app always, e-mail per preference, only one's own."""

import pytest

from ratusha.core.errors import ApplicationError
from ratusha.core.models import AuditEvent
from ratusha.notifications.constants import DEFAULT_DELIVERY, Delivery, EmailState, NotificationKind
from ratusha.notifications.models import Notification, NotificationPreference
from ratusha.notifications.selectors import notifications_for, preferences_for, unread_count
from ratusha.notifications.services import (
    notifications_mark_read,
    notify,
    notify_many,
    preferences_update,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_kind_has_a_default_and_a_subject_phrase():
    from ratusha.notifications.constants import EMAIL_SUBJECT_PHRASES

    assert set(DEFAULT_DELIVERY) == set(NotificationKind.values)
    assert set(EMAIL_SUBJECT_PHRASES) == set(NotificationKind.values)
    assert DEFAULT_DELIVERY[NotificationKind.ASSIGNMENT_ISSUED] == Delivery.IMMEDIATE
    assert DEFAULT_DELIVERY[NotificationKind.DUE_REMINDER] == Delivery.DIGEST


def test_notify_makes_in_app_notification_with_object(olena, registrar, document):
    n = notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_ISSUED, title="  Нове   доручення ",
               body="Підготувати відповідь.", url="/office/x/", obj=document, actor=registrar)
    n.refresh_from_db()
    assert n.recipient == olena and n.actor == registrar
    assert n.title == "Нове доручення"
    assert (n.object_type, n.object_id, n.object_repr) == ("registry.document", str(document.pk), str(document))
    assert n.read_at is None and n.emailed_at is None
    assert n.delivery == Delivery.IMMEDIATE and n.email_state == EmailState.PENDING
    assert unread_count(olena) == 1


@pytest.mark.parametrize(("kind", "pref", "email", "state"), [
    (NotificationKind.ASSIGNMENT_ISSUED, None, True, EmailState.PENDING),
    (NotificationKind.DUE_REMINDER, None, True, EmailState.PENDING),
    (NotificationKind.ASSIGNMENT_ISSUED, Delivery.OFF, True, EmailState.SKIPPED),
    (NotificationKind.ASSIGNMENT_ISSUED, Delivery.DIGEST, True, EmailState.PENDING),
    (NotificationKind.ASSIGNMENT_ISSUED, None, False, EmailState.SKIPPED),
])
def test_email_state_follows_preference(olena, kind, pref, email, state):
    if pref:
        preferences_update(user=olena, values={kind: pref})
    n = notify(recipient=olena, kind=kind, title="Подія", email=email)
    assert n.email_state == state
    assert n.delivery == (pref or DEFAULT_DELIVERY[kind])


def test_recipient_without_email_gets_in_app_only(db):
    nobody = UserFactory(email="")
    n = notify(recipient=nobody, kind=NotificationKind.ASSIGNMENT_ISSUED, title="Нове доручення")
    assert n.email_state == EmailState.SKIPPED
    assert list(notifications_for(nobody)) == [n]


def test_notify_rejects_bad_input(olena):
    with pytest.raises(ApplicationError) as exc:
        notify(recipient=olena, kind="no-such-kind", title="x")
    assert exc.value.field == "kind"
    with pytest.raises(ApplicationError) as exc:
        notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_DONE, title="   ")
    assert exc.value.field == "title"
    assert not Notification.objects.exists()


def test_notify_many_skips_duplicates_and_none(olena):
    other = UserFactory()
    made = notify_many(recipients=[olena, None, other, olena], kind=NotificationKind.CONTROL_CLOSED,
                       title="Знято з контролю")
    assert [n.recipient for n in made] == [olena, other]


def test_mark_read_only_touches_own(olena):
    stranger = UserFactory()
    mine = [notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_DONE, title=f"№ {i}") for i in range(3)]
    theirs = notify(recipient=stranger, kind=NotificationKind.ASSIGNMENT_DONE, title="Чуже")
    assert notifications_mark_read(user=olena, ids=[mine[0].pk, str(theirs.pk), "not-a-uuid"]) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert unread_count(olena) == 2
    assert notifications_mark_read(user=olena, ids=[]) == 0
    assert notifications_mark_read(user=olena) == 2
    assert notifications_mark_read(user=olena) == 0  # idempotent
    assert unread_count(olena) == 0 and unread_count(stranger) == 1


def test_list_is_unread_first_then_newest(olena):
    first = notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_DONE, title="Перше")
    second = notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_DONE, title="Друге")
    third = notify(recipient=olena, kind=NotificationKind.ASSIGNMENT_DONE, title="Третє")
    notifications_mark_read(user=olena, ids=[third.pk])
    assert list(notifications_for(olena)) == [second, first, third]


def test_preferences_update_and_defaults(olena):
    assert preferences_for(olena) == DEFAULT_DELIVERY
    preferences_update(user=olena, values={NotificationKind.ASSIGNMENT_ISSUED: Delivery.DIGEST,
                                           NotificationKind.DUE_REMINDER: Delivery.OFF})
    prefs = preferences_for(olena)
    assert prefs[NotificationKind.ASSIGNMENT_ISSUED] == Delivery.DIGEST
    assert prefs[NotificationKind.DUE_REMINDER] == Delivery.OFF
    assert prefs[NotificationKind.SIGN_REQUESTED] == DEFAULT_DELIVERY[NotificationKind.SIGN_REQUESTED]
    event = AuditEvent.objects.get(action="notifications.preferences_update")
    assert event.params["changed"] == {"assignment_issued": "digest", "due_reminder": "off"}
    # the same values again: nothing changes, nothing audited
    preferences_update(user=olena, values={NotificationKind.ASSIGNMENT_ISSUED: Delivery.DIGEST})
    assert AuditEvent.objects.filter(action="notifications.preferences_update").count() == 1
    assert NotificationPreference.objects.filter(user=olena).count() == 2


def test_preferences_update_rejects_bad_values(olena):
    with pytest.raises(ApplicationError) as exc:
        preferences_update(user=olena, values={NotificationKind.ASSIGNMENT_ISSUED: "sometimes"})
    assert exc.value.field == NotificationKind.ASSIGNMENT_ISSUED
    with pytest.raises(ApplicationError):
        preferences_update(user=olena, values={"unknown": Delivery.OFF})
    assert not NotificationPreference.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_preference_saves_do_not_fail(olena):
    from tests.concurrency import run_concurrently

    choices = [Delivery.DIGEST, Delivery.OFF, Delivery.IMMEDIATE, Delivery.DIGEST]
    outcomes = run_concurrently(
        lambda value: preferences_update(user=olena, values={k: value for k in NotificationKind.values}),
        [(c,) for c in choices])
    assert outcomes == [None] * len(choices), outcomes
    assert NotificationPreference.objects.filter(user=olena).count() == len(NotificationKind)
    assert len(set(preferences_for(olena).values())) == 1  # one whole save won, not a mix


def test_long_subject_parts_are_shortened(olena):
    from ratusha.notifications.emails import notification_subject

    n = notify(recipient=olena, kind=NotificationKind.SIGN_REQUESTED, title="Дуже " * 60)
    subject = notification_subject(n)
    assert subject.startswith("Ратуша: Дуже Дуже") and subject.endswith("…") and len(subject) <= 130
