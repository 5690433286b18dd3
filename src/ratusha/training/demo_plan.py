"""Plan of the demo documents: what to register where and when, with the page of each PDF.

The plan is computed before anything is registered (so the PDFs can be rendered in parallel) and
is deterministic for a given seed and date. Registration numbers are predicted from the order of
registration (journals start empty); the loader checks each prediction.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from ratusha.registry.constants import AccessMark, DeliveryMethod, DocumentKind, JournalKind, Urgency
from ratusha.training import demo_letters as letters
from ratusha.training.demo_data import ORGANISATIONS
from ratusha.training.demo_letters import Page
from ratusha.training.demo_text import COMPANIES, STATE_BODIES, TextMaker

J = JournalKind
# Share of an organisation's documents per journal kind (normalised over the journals it keeps).
# Citizens' appeals are not planned here: ``demo_appeals`` makes them through the appeals services.
KIND_SHARES = {J.INCOMING: 0.40, J.OUTGOING: 0.22, J.INTERNAL: 0.07, J.ORDERS: 0.09,
               J.COUNCIL_DECISIONS: 0.35, J.EXECUTIVE_DECISIONS: 0.16, J.APPEALS: 0.0}
CASE_NO = {J.INCOMING: "10", J.OUTGOING: "11", J.INTERNAL: "12", J.ORDERS: "01", J.COUNCIL_DECISIONS: "02",
           J.EXECUTIVE_DECISIONS: "03", J.APPEALS: "13"}
CANCEL_REASONS = ("Помилкова реєстрація: документ адресовано іншому органу",
                  "Документ зареєстровано повторно", "Відкликано автором до розгляду")


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def add_working_days(day: dt.date, n: int) -> dt.date:
    """Demo-only approximation (weekends skipped); the legal clocks live in ``ratusha.calendar``."""
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


@dataclass
class Person:
    username: str
    name: str  # «Ім'я ПРІЗВИЩЕ»
    short: str  # «Прізвище І. П.»
    position: str
    unit_code: str
    roles: frozenset[str]


@dataclass
class OrgInfo:
    code: str
    name: str
    short_name: str
    address: str
    email: str
    phone: str
    journals: dict[str, Any]  # kind -> Journal
    staff: list[Person]

    def head(self) -> Person:
        return next((p for p in self.staff if "head" in p.roles), self.staff[0])

    def executors(self) -> list[Person]:
        return [p for p in self.staff if "executor" in p.roles] or [self.head()]

    def registrars(self) -> list[Person]:
        return [p for p in self.staff if "registrar" in p.roles]


@dataclass
class DocSpec:
    org: str
    kind: str  # journal kind
    date: dt.date
    fields: dict[str, Any]
    registrar: str  # username
    executor: str | None = None
    unit_code: str | None = None
    case_no: str = ""
    answer_to: DocSpec | None = None  # outgoing: the letter it answers
    answered_by: DocSpec | None = None  # incoming/appeal: its answer
    meta: dict[str, Any] = field(default_factory=dict)
    in_execution_of: DocSpec | None = None
    cancel_reason: str = ""
    finish: str = ""  # "", "in_work", "executed"
    page: Page = field(default_factory=Page)
    filename: str = ""
    predicted_index: str = ""
    order: int = 0
    document: Any = None


MIN_SPAN_DAYS = 90


class Planner:
    def __init__(self, orgs: dict[str, OrgInfo], *, today: dt.date, seed: int) -> None:
        self.orgs = orgs
        self.today = today
        self.rng = random.Random(seed)
        self.text = TextMaker(self.rng)
        # From the year's start, or the last three months when the year has just begun (so that a demo
        # loaded in January still has overdue, late and finished work, across the turn of the year).
        start = min(dt.date(today.year, 1, 2), today - dt.timedelta(days=MIN_SPAN_DAYS))
        self.days = working_days(start, today) or [today]
        self.counters: dict[str, int] = {}

    # --- counts --------------------------------------------------------------------------------

    def counts(self, total: int) -> dict[tuple[str, str], int]:
        weights = {spec.code: spec.weight for spec in ORGANISATIONS}
        weight_sum = sum(weights.values())
        out: dict[tuple[str, str], int] = {}
        for spec in ORGANISATIONS:
            n_org = round(total * weights[spec.code] / weight_sum)
            shares = {k: KIND_SHARES[k] for k in spec.journals}
            share_sum = sum(shares.values())
            for kind, share in shares.items():
                out[(spec.code, kind)] = round(n_org * share / share_sum)
        # Make the sum exact by adjusting the biggest journal.
        diff = total - sum(out.values())
        biggest = max(out, key=lambda key: out[key])
        out[biggest] = max(0, out[biggest] + diff)
        return out

    # --- plan ----------------------------------------------------------------------------------

    def plan(self, total: int) -> list[DocSpec]:
        specs: list[DocSpec] = []
        council_decisions: list[DocSpec] = []
        counts = self.counts(total)
        for (org_code, kind), n in counts.items():
            if kind in (J.OUTGOING,):
                continue
            for _ in range(n):
                spec = self._make(org_code, kind)
                specs.append(spec)
                if kind == J.COUNCIL_DECISIONS:
                    council_decisions.append(spec)
        # Outgoing: answers to incoming letters/appeals of the same organisation, the rest initiative.
        for (org_code, kind), n in counts.items():
            if kind != J.OUTGOING:
                continue
            answerable = [s for s in specs if s.org == org_code and s.kind in (J.INCOMING, J.APPEALS)
                          and s.answered_by is None and add_working_days(s.date, 2) <= self.today]
            self.rng.shuffle(answerable)
            for i in range(n):
                question = answerable[i] if i < len(answerable) and self.rng.random() < 0.8 else None
                specs.append(self._outgoing(org_code, question))
        # Orders of the executive committee in execution of council decisions.
        for spec in specs:
            if spec.org == "demo-vykonkom" and spec.kind == J.ORDERS and council_decisions \
                    and self.rng.random() < 0.2:
                earlier = [d for d in council_decisions if d.date < spec.date]
                if earlier:
                    spec.in_execution_of = self.rng.choice(earlier)
        for spec in specs:
            if spec.answered_by is None and spec.kind != J.OUTGOING and self.rng.random() < 0.01:
                spec.cancel_reason, spec.finish = self.rng.choice(CANCEL_REASONS), ""
        specs.sort(key=lambda s: (s.date, s.kind == J.OUTGOING, s.org))
        for i, spec in enumerate(specs):
            spec.order = i
        return specs

    def _date(self) -> dt.date:
        return self.rng.choice(self.days)

    def _registrar(self, org: OrgInfo, kind: str) -> str:
        registrars = org.registrars()
        if kind == J.APPEALS:
            reception = [p for p in registrars if "reception" in p.roles]
            registrars = reception or registrars
        return self.rng.choice(registrars).username

    def _next_index(self, key: str, prefix: str) -> str:
        self.counters[key] = self.counters.get(key, self.rng.randint(40, 900)) + self.rng.randint(1, 9)
        return f"{prefix}/{self.counters[key]}" if prefix else str(self.counters[key])

    def _make(self, org_code: str, kind: str) -> DocSpec:
        org = self.orgs[org_code]
        day = self._date()
        acc, gen = self.text.subject(org_code)
        maker = {J.INCOMING: self._incoming, J.APPEALS: self._appeal, J.INTERNAL: self._memo,
                 J.ORDERS: self._order, J.COUNCIL_DECISIONS: self._decision,
                 J.EXECUTIVE_DECISIONS: self._decision}[kind]
        spec = DocSpec(org=org_code, kind=kind, date=day, fields={}, registrar=self._registrar(org, kind),
                       case_no=CASE_NO[kind])
        maker(spec, org, acc, gen)
        return spec

    def _blank_sub(self, org: OrgInfo) -> str:
        return f"{org.address} · тел. {org.phone} · {org.email}"

    def _assign_executor(self, spec: DocSpec, org: OrgInfo, *, control: bool) -> None:
        person = self.rng.choice(org.executors())
        spec.executor, spec.unit_code = person.username, person.unit_code
        urgency = self.rng.choices((Urgency.NORMAL, Urgency.URGENT, Urgency.IMMEDIATE), (85, 10, 5))[0]
        spec.fields["urgency"] = urgency
        if control:
            days = {Urgency.NORMAL: None, Urgency.URGENT: 3, Urgency.IMMEDIATE: 1}[urgency]
            deadline = (spec.date + dt.timedelta(days=30)) if days is None else add_working_days(spec.date, days)
            spec.fields.update(on_control=True, execution_deadline=deadline)
        age = (self.today - spec.date).days
        if age > 40:
            spec.finish = "executed" if self.rng.random() < 0.85 else "in_work"
        elif age > 3:
            spec.finish = self.rng.choice(("in_work", "in_work", ""))

    def _incoming(self, spec: DocSpec, org: OrgInfo, acc: str, gen: str) -> None:
        roll = self.rng.random()
        source = "state" if roll < 0.55 else "company" if roll < 0.85 else "resident"
        corr_date = spec.date - dt.timedelta(days=self.rng.randint(0, 5))
        stamp = ""  # filled by the loader once the number is known
        if source == "resident":
            acc, gen = self.text.subject(org.code, resident=True)
            person = self.text.resident()
            correspondent, signer, position, index = person["name"], person["short"], "", ""
            access, kind = AccessMark.PERSONAL, DocumentKind.APPLICATION
            delivery = self.rng.choice((DeliveryMethod.IN_PERSON, DeliveryMethod.POST, DeliveryMethod.EMAIL))
            page = Page(addressee=[org.name, f"{person['name']}", person["address"], f"тел. {person['phone']}"],
                        doc_title="ЗАЯВА", paragraphs=letters.incoming_text(self.rng, gen, source=source,
                                                                             deadline=""),
                        sign_position=f"{corr_date:%d.%m.%Y}", sign_name=signer)
        else:
            if source == "state":
                correspondent, position, prefix, restricted, topics = self.text.writer(org.code, STATE_BODIES)
                acc, gen = self.text.subject(org.code, hint=topics)
                access = AccessMark.RESTRICTED if restricted else self.rng.choices(
                    (AccessMark.INTERNAL, AccessMark.PUBLIC, AccessMark.RESTRICTED), (85, 10, 5))[0]
                delivery = self.rng.choices((DeliveryMethod.EDMS, DeliveryMethod.EMAIL, DeliveryMethod.POST),
                                            (50, 30, 20))[0]
                kind = DocumentKind.REQUEST if self.rng.random() < 0.2 else DocumentKind.LETTER
            else:
                correspondent, position, topics = self.text.writer(org.code, COMPANIES)
                acc, gen = self.text.subject(org.code, hint=topics)
                prefix, access = "", self.rng.choices((AccessMark.INTERNAL, AccessMark.PUBLIC), (90, 10))[0]
                delivery = self.rng.choice((DeliveryMethod.EMAIL, DeliveryMethod.POST, DeliveryMethod.COURIER))
                kind = DocumentKind.LETTER
            signer = self.text.signer()
            index = self._next_index(correspondent, prefix)
            deadline = f"{add_working_days(spec.date, 10):%d.%m.%Y}"
            city = "м. Київ" if "України" in correspondent and "Соснів" not in correspondent else "м. Соснівка"
            page = Page(header=correspondent, header_sub=city, number_line=f"№ {index} від "
                        f"{corr_date:%d.%m.%Y}", addressee=[org.name], paragraphs=letters.incoming_text(
                            self.rng, gen, source=source, deadline=deadline),
                        sign_position=position, sign_name=signer,
                        executor_line=f"Виконавець: {self.text.signer().title()}")
        summary = self.text.incoming_summary(acc, gen, source=source)
        page.title = summary if source != "resident" else ""
        page.stamp = stamp
        spec.fields.update(kind=kind, summary=summary, correspondent=correspondent, correspondent_index=index,
                           correspondent_date=corr_date, received_date=spec.date, signed_by=signer,
                           access=access, delivery_method=delivery, pages=1)
        spec.page = page
        spec.filename = f"Вхідний лист {index or correspondent.split()[0]}.pdf".replace("/", "-")
        self._assign_executor(spec, org, control=self.rng.random() < 0.45 or source == "resident")
        spec.meta.update(gen=gen, source=source)

    def _appeal(self, spec: DocSpec, org: OrgInfo, acc: str, gen: str) -> None:
        acc, gen = self.text.subject(org.code, resident=True)
        person = self.text.resident()
        summary, collective = self.text.appeal_summary(gen)
        delivery = self.rng.choice((DeliveryMethod.IN_PERSON, DeliveryMethod.POST, DeliveryMethod.EMAIL,
                                    DeliveryMethod.WEBSITE))
        title = "КОЛЕКТИВНЕ ЗВЕРНЕННЯ" if collective else self.rng.choice(("ЗВЕРНЕННЯ", "СКАРГА", "ЗАЯВА"))
        spec.page = Page(addressee=[org.name, person["name"], person["address"], f"тел. {person['phone']}"],
                         doc_title=title, paragraphs=letters.incoming_text(self.rng, gen, source="resident",
                                                                            deadline=""),
                         sign_position=f"{spec.date:%d.%m.%Y}", sign_name=person["short"])
        spec.fields.update(kind=DocumentKind.APPEAL, summary=summary, correspondent=person["name"],
                           received_date=spec.date, access=AccessMark.PERSONAL, delivery_method=delivery,
                           pages=1, note="Колективне" if collective else "")
        spec.meta.update(gen=gen, source="resident")
        spec.filename = "Звернення громадянина.pdf"
        self._assign_executor(spec, org, control=True)

    def _memo(self, spec: DocSpec, org: OrgInfo, acc: str, gen: str) -> None:
        author = self.rng.choice(org.staff)
        summary = self.text.memo_summary(acc, gen)
        spec.unit_code = author.unit_code
        spec.fields.update(kind=DocumentKind.MEMO, summary=summary, signed_by=author.short,
                           access=self.rng.choices((AccessMark.INTERNAL, AccessMark.RESTRICTED), (90, 10))[0],
                           delivery_method=DeliveryMethod.INTERNAL, pages=1)
        spec.page = Page(doc_title="СЛУЖБОВА ЗАПИСКА", title=summary, paragraphs=letters.memo_text(self.rng, gen),
                         sign_position=author.position, sign_name=author.name)
        spec.filename = "Службова записка.pdf"

    def _order(self, spec: DocSpec, org: OrgInfo, acc: str, gen: str) -> None:
        summary, personnel = self.text.order_summary(acc, gen, self.today.year)
        mayor = org.code == "demo-vykonkom"
        head = org.head()
        access = AccessMark.PERSONAL if personnel else self.rng.choice((AccessMark.PUBLIC, AccessMark.INTERNAL))
        spec.fields.update(kind=DocumentKind.ORDER if mayor else DocumentKind.DIRECTIVE, summary=summary,
                           signed_by=head.short, access=access, pages=1)
        title = "РОЗПОРЯДЖЕННЯ" if mayor else "НАКАЗ"
        header = "СОСНІВСЬКИЙ МІСЬКИЙ ГОЛОВА" if mayor else org.name
        spec.page = Page(header=header, header_sub=self._blank_sub(org), doc_title=title, title=summary,
                         paragraphs=letters.act_text(self.rng, gen, verb="ЗОБОВ'ЯЗУЮ:" if mayor else "НАКАЗУЮ:",
                                                     doc_genitive="розпорядження" if mayor else "наказу",
                                                     control=f"{head.position.lower()} ({head.short})"),
                         sign_position=head.position, sign_name=head.name)
        spec.filename = f"{title.capitalize()}.pdf"

    def _decision(self, spec: DocSpec, org: OrgInfo, acc: str, gen: str) -> None:
        council = spec.kind == J.COUNCIL_DECISIONS
        personal = False
        if council:
            summary = self.text.council_decision_summary(acc, self.today.year)
        else:
            summary, personal = self.text.executive_decision_summary(acc)
        mayor = self.orgs["demo-council"].head()
        spec.fields.update(kind=DocumentKind.DECISION, summary=summary, signed_by=mayor.short,
                           access=AccessMark.PERSONAL if personal else AccessMark.PUBLIC, pages=1)
        header = "СОСНІВСЬКА МІСЬКА РАДА" if council else "ВИКОНАВЧИЙ КОМІТЕТ СОСНІВСЬКОЇ МІСЬКОЇ РАДИ"
        verb = "міська рада ВИРІШИЛА:" if council else "виконавчий комітет міської ради ВИРІШИВ:"
        spec.page = Page(header=header, header_sub="восьме скликання" if council else self._blank_sub(org),
                         doc_title="РІШЕННЯ", title=summary,
                         paragraphs=letters.act_text(self.rng, gen, verb=verb, doc_genitive="рішення",
                                                     control="постійну комісію з питань бюджету" if council
                                                     else "заступника міського голови"),
                         sign_position="Міський голова", sign_name=mayor.name)
        spec.filename = "Рішення.pdf"

    def _outgoing(self, org_code: str, question: DocSpec | None) -> DocSpec:
        org = self.orgs[org_code]
        head = org.head()
        if question is not None:
            gen = question.meta["gen"]
            to_resident = question.meta["source"] == "resident"
            day = min(add_working_days(question.date, self.rng.randint(2, 18)), self.today)
            correspondent = question.fields["correspondent"]
            ref_index = question.fields.get("correspondent_index", "")
            ref_date = f"{question.fields.get('correspondent_date') or question.date:%d.%m.%Y}"
            ref = f"від {ref_date}" + (f" № {ref_index}" if ref_index else "")
            ref_no = f"№ {ref_index} від {ref_date}" if ref_index else f"звернення від {ref_date}"
            summary = self.text.answer_summary(gen, to_resident=to_resident)
            access = question.fields["access"]
            paragraphs = letters.answer_text(self.rng, gen, ref=ref, to_resident=to_resident)
            executor = question.executor
        else:
            writer = self.text.writer(org_code, STATE_BODIES + COMPANIES)
            correspondent = writer[0]
            acc, gen = self.text.subject(org_code, hint=writer[-1])
            day = self._date()
            summary = self.rng.choice(("Про {a}", "Щодо {g}", "Про надання інформації щодо {g}")).format(
                a=acc, g=gen)
            access, ref, ref_no = AccessMark.INTERNAL, "", ""
            paragraphs = [f"Інформуємо Вас щодо {gen}.", letters.ANSWER_DETAILS[self.rng.randrange(5)],
                          "Просимо врахувати зазначене в роботі."]
            executor = self.rng.choice(org.executors()).username
        spec = DocSpec(org=org_code, kind=J.OUTGOING, date=day, fields={}, registrar=self._registrar(org, J.OUTGOING),
                       case_no=CASE_NO[J.OUTGOING], answer_to=question, executor=executor)
        spec.fields.update(kind=DocumentKind.LETTER, summary=summary, correspondent=correspondent,
                           signed_by=head.short, access=access, pages=1,
                           delivery_method=(question.fields.get("delivery_method") if question else "")
                           or DeliveryMethod.EMAIL)
        spec.page = Page(header=org.name, header_sub=self._blank_sub(org), addressee=[correspondent],
                         title=summary, paragraphs=paragraphs, sign_position=head.position, sign_name=head.name,
                         executor_line="")
        spec.meta["ref"] = ref_no
        spec.filename = "Вихідний лист.pdf"
        if question is not None:
            question.answered_by = spec
            if question.finish != "executed" and self.rng.random() < 0.9:
                question.finish = "executed"
        return spec
