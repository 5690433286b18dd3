"""Sign detection (повторне / дублетне / масове) and the officer's confirm-or-override, both audited."""

import datetime as dt

import pytest
from django.utils import timezone

from ratusha.appeals import services as svc
from ratusha.appeals.constants import AppealSign, AppealStatus, Outcome
from ratusha.appeals.services.signs import (
    applicant_key,
    detect_sign,
    lemmas,
    normalise_address,
    normalise_phone,
    same_contact,
    similarity,
)
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from tests.appeals.office_helpers import TEXT, answer_document, applicant, register_written

pytest_plugins = ["tests.appeals.office"]

CAMPAIGN = ("Просимо не допустити вирубки дерев у сквері на вулиці Грушевського та зберегти зелену зону "
            "для мешканців навколишніх будинків і дітей.")
PEOPLE = [("Мельник", "Олег"), ("Шевчук", "Анна"), ("Бондар", "Ігор"), ("Ткачук", "Ольга"), ("Коваль", "Юрій"),
          ("Лисенко", "Іра")]


def _answered(world, **overrides):
    appeal = register_written(world, **overrides)
    svc.appeal_answer(actor=world.officer, appeal=appeal, answer_document=answer_document(world),
                      outcome=Outcome.EXPLAINED)
    return svc.appeal_close(actor=world.officer, appeal=appeal)


def test_applicant_key_ignores_case_spaces_and_spelling_variants():
    assert applicant_key("Коваленко", "Іван", "Петрович") == applicant_key(" КОВАЛЕНКО ", "іван", "петрович")
    assert applicant_key("Ґрищенко", "Мар'яна", "") == applicant_key("Грищенко", "Марʼяна", "")
    assert applicant_key("Коваленко", "Іван", "Петрович") != applicant_key("Коваленко", "Іван", "Павлович")
    assert applicant_key("", "", "") == ""


def test_contacts_are_compared_normalised(appeals_world):
    assert normalise_address("м. Зеленодольськ, вул. Шевченка, буд. 12, кв. 5") == \
        normalise_address("М Зеленодольськ вулиця Шевченка 12 квартира 5")
    assert normalise_phone("+380 (67) 123-45-67") == normalise_phone("067 123 45 67") == "671234567"
    a = register_written(appeals_world)
    b = register_written(appeals_world, address="інша адреса", email="IVAN.KOVALENKO@example.org", phone="")
    c = register_written(appeals_world, address="інша адреса", email="", phone="0671234567")
    d = register_written(appeals_world, address="інша адреса", email="x@example.org", phone="0500000000")
    assert same_contact(a, b) and same_contact(a, c) and not same_contact(a, d)


def test_similarity_works_on_lemmas_of_inflected_words():
    assert similarity("Ремонт дороги на вулиці Шевченка", "Відремонтуйте дорогу по вулиці Шевченка") >= 0.5
    assert similarity(TEXT, "Прошу призначити субсидію на оплату комунальних послуг") < 0.2
    assert "дорога" in lemmas("дорогами")
    assert similarity("", TEXT) == 0.0


def test_repeated_after_a_decision_on_the_merits(appeals_world):
    w = appeals_world
    earlier = _answered(w)
    again = register_written(w, text="Вдруге прошу відремонтувати дорогу на вулиці Шевченка біля будинку 12: "
                                     "ями на проїжджій частині, вода після дощу, пішоходам немає де пройти.")
    assert again.sign_suggested == AppealSign.REPEATED and again.sign_related_id == earlier.pk
    assert again.sign == AppealSign.PRIMARY  # only a suggestion until the officer decides
    event = AuditEvent.objects.get(action="appeal.register", object_id=str(again.pk))
    assert event.params["sign_suggestion"]["sign"] == AppealSign.REPEATED
    assert event.params["sign_suggestion"]["related"] == str(earlier.pk)


def test_same_topic_counts_as_the_same_issue(appeals_world, sample_classifier):
    w = appeals_world
    topic = sample_classifier.topics.get(code="002.002")
    earlier = _answered(w, topic=topic)
    again = register_written(w, topic=topic, text="Коли нарешті буде зроблено покриття біля мого будинку?")
    assert again.sign_suggested == AppealSign.REPEATED and again.sign_related_id == earlier.pk


def test_duplicate_before_the_answer(appeals_world):
    w = appeals_world
    earlier = register_written(w)
    again = register_written(w, received_date=timezone.localdate())
    assert again.sign_suggested == AppealSign.DUPLICATE and again.sign_related_id == earlier.pk


def test_not_repeated_when_earlier_was_not_decided_on_the_merits(appeals_world):
    w = appeals_world
    earlier = register_written(w)
    svc.appeal_return(actor=w.officer, appeal=earlier, explanation="Не зазначено місце проживання.")
    again = register_written(w)
    assert again.sign_suggested == AppealSign.PRIMARY and again.sign_related is None


def test_a_different_person_or_a_different_issue_is_primary(appeals_world):
    w = appeals_world
    _answered(w)
    other_person = register_written(w, last_name="Шевченко", first_name="Тарас", middle_name="Григорович",
                                    address="вул. Франка, 1", email="taras@example.org", phone="0501112233")
    namesake = register_written(w, address="вул. Франка, 1", email="other@example.org", phone="0501112233")
    other_issue = register_written(w, text="Прошу призначити субсидію на оплату житлово-комунальних послуг, "
                                           "бо пенсії не вистачає.")
    assert other_person.sign_suggested == AppealSign.PRIMARY
    assert namesake.sign_suggested == AppealSign.PRIMARY  # same name, no common address, e-mail or phone
    assert other_issue.sign_suggested == AppealSign.PRIMARY


def test_mass_from_five_people(appeals_world):
    w = appeals_world
    suggestions = []
    for n, (last, first) in enumerate(PEOPLE[:5]):
        appeal = register_written(w, text=CAMPAIGN, **applicant(last_name=last, first_name=first,
                                                                 middle_name="", email=f"p{n}@example.org",
                                                                 address=f"вул. Грушевського, {n + 1}",
                                                                 phone=f"05000000{n:02d}"))
        suggestions.append(appeal.sign_suggested)
    assert suggestions == [AppealSign.PRIMARY] * 4 + [AppealSign.MASS]
    fifth = appeal
    assert fifth.sign_related.text == CAMPAIGN
    assert fifth.sign_related.received_at <= fifth.received_at


def test_mass_counts_only_the_window_and_a_setting_changes_the_threshold(appeals_world, settings):
    w = appeals_world
    old = timezone.localdate() - dt.timedelta(days=40)
    for n, (last, first) in enumerate(PEOPLE[:3]):
        register_written(w, text=CAMPAIGN, received_date=old, **applicant(
            last_name=last, first_name=first, email=f"o{n}@example.org", address=f"a{n}", phone=""))
    for n, (last, first) in enumerate(PEOPLE[3:5]):
        register_written(w, text=CAMPAIGN, **applicant(last_name=last, first_name=first,
                                                       email=f"n{n}@example.org", address=f"b{n}", phone=""))
    last = register_written(w, text=CAMPAIGN, **applicant(last_name="Лисенко", first_name="Іра",
                                                          email="l@example.org", address="c", phone=""))
    assert last.sign_suggested == AppealSign.PRIMARY  # 3 of the 6 fell out of the 30-day window
    settings.APPEALS = {**settings.APPEALS, "MASS_MIN_APPLICANTS": 3}
    suggestion = svc.appeal_sign_suggest(actor=w.officer, appeal=last)
    assert suggestion.sign == AppealSign.MASS
    last.refresh_from_db()
    assert last.sign_suggested == AppealSign.MASS
    assert AuditEvent.objects.filter(action="appeal.sign_suggest", object_id=str(last.pk)).exists()


def test_the_same_person_five_times_is_not_mass(appeals_world):
    w = appeals_world
    for _n in range(5):
        appeal = register_written(w, text=CAMPAIGN)
    assert appeal.sign_suggested == AppealSign.DUPLICATE


def test_officer_confirms_or_overrides_and_both_are_audited(appeals_world):
    w = appeals_world
    _answered(w)
    again = register_written(w)
    assert again.sign_suggested == AppealSign.REPEATED
    svc.appeal_sign_set(actor=w.officer, appeal=again, sign=AppealSign.REPEATED, expected_version=again.version)
    again.refresh_from_db()
    assert again.sign == AppealSign.REPEATED and again.sign_set_by == w.officer and again.sign_set_at
    confirmed = AuditEvent.objects.filter(action="appeal.sign_set", object_id=str(again.pk)).latest("seq")
    assert confirmed.params["decision"] == "confirmed" and confirmed.params["suggested"] == AppealSign.REPEATED
    svc.appeal_sign_set(actor=w.head, appeal=again, sign=AppealSign.RECURRENT)
    overridden = AuditEvent.objects.filter(action="appeal.sign_set", object_id=str(again.pk)).latest("seq")
    assert overridden.params == {"sign": AppealSign.RECURRENT, "previous": AppealSign.REPEATED,
                                 "suggested": AppealSign.REPEATED, "related": str(again.sign_related_id),
                                 "decision": "overridden"}


def test_sign_set_checks_rights_choices_and_versions(appeals_world):
    w = appeals_world
    appeal = register_written(w)
    with pytest.raises(PermissionDeniedError):
        svc.appeal_sign_set(actor=w.executor, appeal=appeal, sign=AppealSign.MASS)
    with pytest.raises(PermissionDeniedError):
        svc.appeal_sign_set(actor=w.controller, appeal=appeal, sign=AppealSign.MASS)
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_sign_set(actor=w.officer, appeal=appeal, sign="weird")
    assert exc.value.field == "sign"
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_sign_set(actor=w.officer, appeal=appeal, sign=AppealSign.MASS, expected_version=appeal.version - 1)
    assert exc.value.code == "conflict"


def test_detection_does_not_write(appeals_world):
    w = appeals_world
    appeal = register_written(w)
    before = AuditEvent.objects.count()
    assert detect_sign(appeal).sign == AppealSign.PRIMARY
    assert AuditEvent.objects.count() == before
    assert appeal.status == AppealStatus.REGISTERED
