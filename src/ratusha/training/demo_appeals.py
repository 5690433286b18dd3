"""Demo citizens' appeals, personal reception and the classifier — through the real appeals services.

A few hundred appeals to the executive committee over the last five months: e-appeals from the site
(a few still waiting in «Нові з сайту»), letters, oral appeals at reception and on the hotline; coded
by Classifier 858 (the sample CSV); answered and closed, forwarded, returned, not considered, extended,
in work and overdue. Answers are registered outgoing letters linked to the appeal's card. Dates are
moved back to when it would have happened (the services stamp "now"). No e-mail leaves the demo.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from django.utils import timezone

from ratusha.appeals import services as ap
from ratusha.appeals.constants import (
    APPLICANT_CATEGORIES,
    AnswerChannel,
    AppealSign,
    AppealStatus,
    AppealType,
    NotConsideredGround,
    Outcome,
    SocialStatus,
)
from ratusha.appeals.models import Appeal, AppealEvent, ClassifierTopic
from ratusha.appeals.reception.services import reception_booking_create, reception_schedule_save
from ratusha.appeals.services.intake import appeal_submit
from ratusha.calendar.selectors import add_working_days, deadline
from ratusha.registry import services as reg
from ratusha.registry.constants import DocumentKind, JournalKind, LinkKind
from ratusha.training import demo_letters as letters
from ratusha.training.demo_letters import Page
from ratusha.training.demo_pdf import render_pdfs
from ratusha.training.demo_text import FEMALE, TextMaker

ORG = "demo-vykonkom"
OFFICER = "o.mazur"          # відділ звернень, приймальня
REGISTRAR = "m.tkachenko"    # registers the answer letters
HEAD = "o.moroz"             # extends terms (head of the executive committee's staff)
DAYS_BACK = 150
OUTCOMES_TEXT = {
    Outcome.SATISFIED: "Ваше звернення розглянуто, порушене питання вирішено позитивно.",
    Outcome.EXPLAINED: "Ваше звернення розглянуто, надаємо роз'яснення щодо порушеного питання.",
    Outcome.REFUSED: "Ваше звернення розглянуто; на жаль, задовольнити його немає правових підстав.",
    Outcome.PARTLY: "Ваше звернення розглянуто, порушене питання вирішено частково.",
}
FORWARD_BODIES = ("Головне управління Пенсійного фонду України в області",
                  "Соснівське районне управління поліції", "Державна податкова служба, обласне управління")


def _answer_pdfs() -> dict[str, bytes]:
    pages = [Page(header="Виконавчий комітет Соснівської міської ради", header_sub="м. Соснівка",
                  title="Відповідь на звернення", paragraphs=[text, "Відповідь можна оскаржити відповідно до "
                                                                    "статті 16 Закону України «Про звернення громадян»."],
                  sign_position="Перший заступник міського голови", sign_name="Олег МОРОЗ")
             for text in OUTCOMES_TEXT.values()]
    return dict(zip(OUTCOMES_TEXT, render_pdfs(pages), strict=True))


class AppealsDemo:
    def __init__(self, *, users: dict[str, Any], orgs: dict[str, Any], journals: dict[tuple[str, str], Any],
                 today: dt.date, seed: int) -> None:
        self.users, self.orgs, self.journals, self.today = users, orgs, journals, today
        self.rng = random.Random(seed + 858)
        self.text = TextMaker(self.rng)
        self.started = timezone.now()
        self.decided: list[tuple[dict[str, str], str, Any]] = []  # (person, text, topic) decided on the merits

    def load(self, count: int) -> dict[str, int]:
        sample = Path(ap.__file__).resolve().parent.parent / "data" / "classifier_sample.csv"
        ap.classifier_load(actor=None, data=sample.read_bytes(), source_name=sample.name,
                           note="Демонстраційний зразок")
        self.topics = list(ClassifierTopic.objects.filter(level__gte=2) or ClassifierTopic.objects.all())
        self.pdfs = _answer_pdfs()
        org = self.orgs[ORG]
        days = sorted(self.rng.choices(range(0, DAYS_BACK), weights=[DAYS_BACK - d for d in range(DAYS_BACK)],
                                       k=count), reverse=True)
        for n, back in enumerate(days):
            self._one(org, self.today - dt.timedelta(days=back), queue=n >= count - 6)
        self._reception(org)
        self._open311(org)
        # The demo e-mails nobody: every timeline event counts as sent (the queued tasks then skip it).
        AppealEvent.objects.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())
        counts: dict[str, int] = {}
        for status in Appeal.objects.values_list("status", flat=True):
            counts[status] = counts.get(status, 0) + 1
        return counts

    # --- one appeal -------------------------------------------------------------------------------

    def _person(self) -> dict[str, str]:
        person = self.text.resident()
        last, first, middle = person["name"].split(" ", 2)
        female = any(first == f for f, _m in FEMALE)
        return {"last_name": last, "first_name": first, "middle_name": middle, "address": person["address"],
                "phone": person["phone"], "sex": "f" if female else "m", "settlement": "м. Соснівка",
                "email": f"{self.rng.choice(('resident', 'meshkanets', 'sosnivka'))}"
                         f"{self.rng.randint(10, 9999)}@example.org"}

    def _one(self, org: Any, received: dt.date, *, queue: bool) -> None:
        officer = self.users[OFFICER]
        person = self._person()
        _acc, gen = self.text.subject(ORG, resident=True)
        appeal_type = self.rng.choices(list(AppealType.values), (20, 60, 20))[0]
        text = " ".join(letters.incoming_text(self.rng, gen, source="resident", deadline=""))
        topic = self.rng.choice(self.topics)
        repeat = not queue and self.decided and self.rng.random() < 0.06
        if repeat:  # the same person on the same issue after an answer on the merits (art. 8)
            person, text, topic = self.rng.choice(self.decided)
            person = dict(person)
        categories = [self.rng.choice(APPLICANT_CATEGORIES)[0]] if self.rng.random() < 0.25 else []
        social = self.rng.choice(list(SocialStatus.values))
        channel = "post" if repeat else self.rng.choices(
            ("web", "post", "reception", "hotline", "representative"), (35, 30, 15, 12, 8))[0]
        if channel == "web" or queue:
            appeal = appeal_submit(organisation=org, appeal_type=appeal_type, text=text, categories=categories,
                                   social_status=social, consent=True, **person)
            if queue:
                self._backdate(appeal, received)
                return
            appeal = ap.appeal_register(actor=officer, appeal=appeal, no_extra_study=self.rng.random() < 0.2)
        else:
            form, medium = {"post": ("post", "letter"), "reception": ("reception", "oral"),
                            "hotline": ("hotline", "oral"), "representative": ("representative", "letter")}[channel]
            if medium == "oral":
                person["email"] = ""
            appeal = ap.appeal_register(
                actor=officer, organisation=org, receipt_form=form, medium=medium, appeal_type=appeal_type,
                text=text, categories=categories, social_status=social, received_date=received,
                no_extra_study=self.rng.random() < 0.2, **person)
        appeal = ap.appeal_code(actor=officer, appeal=appeal, expected_version=appeal.version, topic=topic)
        self._backdate(appeal, received)
        appeal.refresh_from_db()
        if repeat and self._not_considered(appeal, received):
            return
        if self._outcome(appeal, received) and appeal.email:
            self.decided.append((person, text, topic))

    def _not_considered(self, appeal: Appeal, received: dt.date) -> bool:
        """The officer confirms the suggested «повторне» sign and leaves the appeal unconsidered."""
        officer = self.users[OFFICER]
        ap.appeal_sign_suggest(actor=officer, appeal=appeal)
        appeal.refresh_from_db()
        if appeal.sign_suggested != AppealSign.REPEATED:
            return False
        appeal = ap.appeal_sign_set(actor=officer, appeal=appeal, sign=AppealSign.REPEATED,
                                    expected_version=appeal.version)
        ap.appeal_not_consider(actor=officer, appeal=appeal, expected_version=appeal.version,
                               ground=NotConsideredGround.REPEATED,
                               note="Питання вже розглянуто по суті, відповідь надано раніше." + (
                                   f" Попереднє звернення: {appeal.sign_related}." if appeal.sign_related_id else ""))
        self._stamp(appeal, received, 5)
        return True

    def _backdate(self, appeal: Appeal, received: dt.date) -> None:
        at = timezone.make_aware(dt.datetime.combine(received, dt.time(self.rng.randint(8, 17),
                                                                       self.rng.randint(0, 59))))
        values: dict[str, Any] = {"received_at": at, "received_date": received}
        if appeal.status != AppealStatus.SUBMITTED:
            values["deadline"] = deadline(appeal.term_kind if appeal.term_kind in ("appeal", "appeal-urgent")
                                          else "appeal", received)
        Appeal.objects.filter(pk=appeal.pk).update(**values)
        AppealEvent.objects.filter(appeal=appeal).update(created_at=at)
        if appeal.document_id:
            type(appeal.document).objects.filter(pk=appeal.document_id).update(
                reg_date=received, received_date=received, registered_at=at)

    def _outcome(self, appeal: Appeal, received: dt.date) -> bool:
        """Move the appeal on as its age allows; True if it was answered on the merits."""
        officer = self.users[OFFICER]
        age = (self.today - received).days
        roll = self.rng.random()
        if age < 4 and roll < 0.6:
            return False  # registered, not yet in work
        if roll < 0.05 and age > 6:
            ap.appeal_return(actor=officer, appeal=appeal, expected_version=appeal.version, explanation=(
                "У зверненні не зазначено місце проживання, тому надати відповідь неможливо (ст. 5 Закону "
                "України «Про звернення громадян»). Просимо звернутися повторно, зазначивши адресу."))
            self._stamp(appeal, received, 6)
            return False
        if roll < 0.12 and age > 3:
            ap.appeal_forward(actor=officer, appeal=appeal, expected_version=appeal.version,
                              to_body=self.rng.choice(FORWARD_BODIES),
                              reason="Порушені питання не належать до повноважень органу місцевого самоврядування.")
            self._stamp(appeal, received, 3)
            return False
        appeal = ap.appeal_take_into_work(actor=officer, appeal=appeal, expected_version=appeal.version)
        deadline_day = appeal.deadline or deadline("appeal", received)
        if self.rng.random() < 0.07 and age > 10:
            new = min(deadline("appeal-max", received), deadline_day + dt.timedelta(days=14))
            if new > deadline_day and new >= self.today:
                appeal = ap.appeal_extend(actor=self.users[HEAD], appeal=appeal, expected_version=appeal.version,
                                          new_deadline=new, reason="Потрібне додаткове обстеження на місці.")
                deadline_day = new
        # Answered once its time came: most on time, some late; the rest stay in work (overdue or not).
        answer_on = add_working_days(received, self.rng.randint(3, 24))
        if self.rng.random() < 0.12:
            answer_on = deadline_day + dt.timedelta(days=self.rng.randint(1, 8))
        if answer_on >= self.today or self.rng.random() < 0.08:
            return False
        return self._answer(appeal, received, answer_on)

    def _answer(self, appeal: Appeal, received: dt.date, on: dt.date) -> bool:
        outcome = self.rng.choices(list(OUTCOMES_TEXT), (30, 45, 15, 10))[0]
        registrar = self.users[REGISTRAR]
        letter = reg.document_register(
            actor=registrar, journal=self.journals[(ORG, JournalKind.OUTGOING)], kind=DocumentKind.LETTER,
            summary=f"Відповідь на звернення № {appeal.document.reg_index}", correspondent=appeal.applicant_name,
            signed_by="Олег МОРОЗ", reg_date=on, files=[reg.FileInput(name="Відповідь на звернення.pdf",
                                                                     content=self.pdfs[outcome])],
            links=[(LinkKind.ANSWER_TO, appeal.document)])
        channel = AnswerChannel.EMAIL if appeal.email else AnswerChannel.POST
        appeal = ap.appeal_answer(actor=self.users[OFFICER], appeal=appeal, answer_document=letter, outcome=outcome,
                                  channel=channel, expected_version=appeal.version)
        at = timezone.make_aware(dt.datetime.combine(on, dt.time(15, 0)))
        Appeal.objects.filter(pk=appeal.pk).update(answered_at=at, decided_at=at)
        if self.rng.random() < 0.85:
            ap.appeal_close(actor=self.users[OFFICER], appeal=appeal, expected_version=appeal.version)
            Appeal.objects.filter(pk=appeal.pk).update(closed_at=at + dt.timedelta(hours=1))
        self._stamp(appeal, received, (on - received).days)
        return True

    def _stamp(self, appeal: Appeal, received: dt.date, days: int) -> None:
        """Spread the appeal's later timeline events between its receipt and ``days`` after it."""
        events = list(AppealEvent.objects.filter(appeal=appeal).order_by("created_at"))
        start = timezone.make_aware(dt.datetime.combine(received, dt.time(9, 0)))
        end = min(start + dt.timedelta(days=max(days, 1)), timezone.now())
        for i, event in enumerate(events[1:], start=1):
            AppealEvent.objects.filter(pk=event.pk).update(
                created_at=start + (end - start) * i / max(len(events) - 1, 1))

    # --- personal reception -----------------------------------------------------------------------

    def _reception(self, org: Any) -> None:
        plans = (("v.hnatiuk", "Міський голова", (0,), (1, 3), dt.time(10), dt.time(13)),
                 ("o.moroz", "Перший заступник міського голови", (2,), (), dt.time(14), dt.time(17)),
                 ("n.savchuk", "Керуюча справами виконавчого комітету", (4,), (), dt.time(9), dt.time(12)))
        schedules = []
        for username, position, weekdays, weeks, start, end in plans:
            schedules.append(reception_schedule_save(
                actor=self.users[OFFICER], organisation=org, official=self.users[username], position=position,
                start_time=start, end_time=end, place="майдан Незалежності, 1, каб. 105 (приймальня)",
                weekdays=weekdays, weeks_of_month=weeks, slot_minutes=20, is_published=True,
                note="Попередній запис — онлайн або за телефоном +380 (4532) 2-10-05."))
        from ratusha.appeals.reception.selectors import free_slots

        for schedule in schedules[1:]:
            days = [day for day in free_slots(schedule) if day.free]
            for day in days[:2]:
                person = self._person()
                reception_booking_create(
                    schedule=schedule, date=day.date, time=day.free[0], last_name=person["last_name"],
                    first_name=person["first_name"], middle_name=person["middle_name"], address=person["address"],
                    email=person["email"], phone=person["phone"], consent=True,
                    topic="Щодо ремонту прибудинкової території")

    # --- Open311 ----------------------------------------------------------------------------------

    def _open311(self, org: Any) -> None:
        """Reference data of the city's «311» services (set up in the admin in a real installation) and
        the demo client key published with the demo logins."""
        from ratusha.appeals.open311.models import Open311Service
        from ratusha.appeals.open311.services import api_key_create

        topics = {t.code: t for t in ClassifierTopic.objects.all()}
        for order, (code, name, group, topic, keywords) in enumerate(OPEN311_SERVICES):
            Open311Service.objects.create(
                service_code=code, name=name, group=group, keywords=keywords, organisation=org,
                topic=topics.get(topic), order=order,
                description=f"{name}. Повідомлення стає зверненням громадянина (заявою) до виконавчого комітету.")
        api_key_create(actor=None, organisation=org, name="Демо: мобільний застосунок «Соснівка 311»",
                       secret=DEMO_OPEN311_SECRET)


# Published with the demo logins (demo installation only), like the demo password.
DEMO_OPEN311_SECRET = "sosnivka-demo-open311-key"  # noqa: S105
OPEN311_SERVICES = (
    ("road-pothole", "Яма на дорозі або тротуарі", "Дороги", "002.002", "яма, дорога, тротуар, асфальт"),
    ("street-light", "Не світить вуличний ліхтар", "Освітлення", "008.006", "ліхтар, освітлення"),
    ("waste", "Переповнений контейнер або стихійне звалище", "Чистота", "008.005", "сміття, контейнер"),
    ("tree", "Аварійне дерево", "Озеленення", "010.002", "дерево, гілка, обрізування"),
)


def demo_open311_key() -> str:
    from ratusha.appeals.open311.constants import KEY_PREFIX

    return KEY_PREFIX + DEMO_OPEN311_SECRET

