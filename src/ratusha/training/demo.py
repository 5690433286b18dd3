"""Demo installation: the fictional Соснівська міська рада with staff, registries and documents.

``load_demo()`` is called ONLY by the ``demo`` management command (``ratusha demo``, ``ratusha run
--demo``). It is idempotent (the organisation with code ``demo-council`` marks a loaded demo) and
refuses to run on an installation that already has organisations or users of its own: the demo
accounts share one published password and a published TOTP secret, so they must never exist in a
real installation.

Everything is written through the services (orgs, registry), so numbering and the audit trail are
real; the whole load is one transaction (all or nothing).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import os
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ratusha.core.audit import audit_log
from ratusha.notifications.constants import EmailState
from ratusha.notifications.models import Notification
from ratusha.orgs import services as org_services
from ratusha.orgs.constants import Role
from ratusha.orgs.models import Employee, Organisation, Position, Unit, User
from ratusha.registry import services as reg
from ratusha.registry.constants import DocumentStatus, JournalKind, LinkKind
from ratusha.registry.models import CaseFile, Document, DocumentFile, Journal
from ratusha.registry.services.numbering import document_reg_index
from ratusha.training.demo_acts import load_acts
from ratusha.training.demo_appeals import AppealsDemo, demo_open311_key
from ratusha.training.demo_approvals import load_approvals
from ratusha.training.demo_data import (
    DELEGATIONS,
    DEMO_LOGIN_USERNAMES,
    INSTALLATION_ROLE_GRANTS,
    JOURNALS,
    MARKER_CODE,
    NOMENCLATURE,
    ORGANISATIONS,
    STAFF,
    SUPERUSERS,
    VYKONKOM_ORDERS,
)
from ratusha.training.demo_exchange import DEMO_API_KEY, load_exchange, load_installations
from ratusha.training.demo_pdf import PdfPipeline
from ratusha.training.demo_plan import DocSpec, OrgInfo, Person, Planner, add_working_days
from ratusha.training.demo_website import load_website
from ratusha.training.demo_workflow import WorkflowDemo

# Demo installation only: one shared password for every demo account (printed with the logins).
DEMO_PASSWORD = "sosnivka-demo"  # noqa: S105 - published on purpose, demo accounts only
# Demo installation only: the TOTP secret of every demo administrator (base32, for authenticator apps).
DEMO_TOTP_SECRET = "SOSNIVKADEMOTOTPKEYFORTRAINERS23"  # noqa: S105 - published on purpose, demo only
DEFAULT_DOCUMENTS = 2000
DEMO_APPEALS = 300  # citizens' appeals through the appeals services (demo_appeals.py)
SEED = 1654  # Соснівка's fictional founding year: the same data on every load

J = JournalKind


class DemoRefusedError(Exception):
    """The database already holds a real installation's data."""


@dataclass
class DemoResult:
    created: bool
    organisations: int = 0
    employees: int = 0
    users: int = 0
    documents: int = 0
    files: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    pdf_workers: int = 0
    index_mismatches: int = 0


def demo_installed() -> bool:
    return Organisation.objects.filter(code=MARKER_CODE).exists()


demo_loaded = demo_installed  # the name ``ratusha run --demo`` uses


def demo_totp_key_hex() -> str:
    return binascii.hexlify(base64.b32decode(DEMO_TOTP_SECRET)).decode()


def _admin_usernames() -> list[str]:
    names = []
    for spec in STAFF:
        roles = set(spec.roles) | {r for _org, extra in spec.also for r in extra}
        if Role.ADMIN in roles or spec.username in SUPERUSERS:
            names.append(spec.username)
    return names


def _totp_usernames() -> list[str]:
    """Administrators (TOTP is mandatory for them) and heads (they sign in with it too)."""
    heads = [spec.username for spec in STAFF
             if Role.HEAD in set(spec.roles) | {r for _org, extra in spec.also for r in extra}]
    return list(dict.fromkeys([*_admin_usernames(), *heads]))


def demo_logins() -> list[dict[str, Any]]:
    """One or two demo accounts per role: role, username, name, organisation; plus ``role_label``,
    ``password`` and ``totp`` (the demo TOTP secret for administrators, "" for the others)."""
    staff = {s.username: s for s in STAFF}
    orgs = {o.code: o for o in ORGANISATIONS}
    admins = set(_totp_usernames())
    rows = []
    for role, username, org_code in DEMO_LOGIN_USERNAMES:
        spec = staff[username]
        rows.append({"role": str(role), "role_label": str(Role(role).label), "username": username,
                     "name": f"{spec.last_name} {spec.first_name} {spec.middle_name}",
                     "organisation": orgs[org_code].short_name, "password": DEMO_PASSWORD,
                     "totp": DEMO_TOTP_SECRET if username in admins else ""})
    return rows


def demo_otpauth_uri(username: str) -> str:
    issuer = getattr(settings, "OTP_TOTP_ISSUER", "Ratusha") or "Ratusha"
    return (f"otpauth://totp/{quote(issuer)}:{quote(username)}?secret={DEMO_TOTP_SECRET}"
            f"&issuer={quote(issuer)}&algorithm=SHA1&digits=6&period=30")


def format_demo_logins() -> str:
    """The logins table printed by ``ratusha demo`` and ``ratusha run --demo``."""
    rows = demo_logins()
    head = ("Роль", "Логін", "Працівник", "Організація")
    table = [head] + [(r["role_label"] + (" (TOTP)" if r["totp"] else ""), r["username"], r["name"],
                       r["organisation"]) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    admins = [r["username"] for r in rows if r["totp"]]
    lines += ["", f"Пароль для всіх демо-користувачів: {DEMO_PASSWORD}",
              "Адміністратори й керівники входять з другим фактором (TOTP). Додайте в застосунок "
              f"автентифікації (Google Authenticator, FreeOTP, Aegis…) секрет: {DEMO_TOTP_SECRET}",
              *(f"  {name}: {demo_otpauth_uri(name)}" for name in admins),
              f"Керівники підписують документи електронним підписом (PAdES) ключем від ЦС установи; "
              f"пароль ключа в навчальній установці: {DEMO_PASSWORD}. Перевірка підпису: /verify/",
              f"Open311 GeoReport v2: /open311/v2/ — демонстраційний ключ API: {demo_open311_key()}",
              f"API для підприємств: /api/v1/docs — навчальний ключ КП «Соснівкаводоканал»: {DEMO_API_KEY}",
              "Лише для демонстраційної інсталяції: у робочій системі таких облікових записів немає."]
    return "\n".join(lines)


# --- loading -------------------------------------------------------------------------------------

def load_demo(*, documents: int = DEFAULT_DOCUMENTS, pdf_workers: int | None = None,
              today: dt.date | None = None, log: Callable[[str], None] | None = None) -> DemoResult:
    """Load the demo once. A second call changes nothing and returns ``created=False``."""
    log = log or (lambda _msg: None)
    if demo_installed():
        return _result(created=False)
    if Organisation.objects.exists() or User.objects.exists():
        raise DemoRefusedError("База даних уже містить організації або користувачів: демонстраційні дані "
                               "завантажуються лише в порожню інсталяцію.")
    today = today or timezone.localdate()
    if pdf_workers is None:
        # Rendering costs ~25 ms of CPU a page, registering ~15 ms: two renderers plus the loader
        # keep two cores busy. Small loads render in-process (no start-up cost).
        pdf_workers = min(2, os.cpu_count() or 1) if documents > 200 else 0
    timings: dict[str, float] = {}
    started = time.perf_counter()
    mismatches = 0
    # The index is rebuilt once at the end (_reindex), not queued per card.
    with transaction.atomic(), reg.search_indexing_suspended():
        mark = time.perf_counter()
        world = _Structure(today)
        world.build()
        timings["structure"] = time.perf_counter() - mark
        log(f"Структура: {len(world.orgs)} організацій, {len(STAFF)} працівників ({timings['structure']:.1f} с)")

        mark = time.perf_counter()
        specs = Planner(world.infos, today=today, seed=SEED).plan(documents)
        world.predict_indexes(specs)
        world.finish_pages(specs)
        pipeline = PdfPipeline([s.page for s in specs], workers=pdf_workers)
        timings["plan"] = time.perf_counter() - mark

        mark = time.perf_counter()
        waited = 0.0  # time spent waiting for PDFs (rendering is the slow part when it shows here)
        try:
            results = pipeline.results()
            for n, spec in enumerate(specs, start=1):
                before = time.perf_counter()
                pdf = next(results)
                waited += time.perf_counter() - before
                mismatches += world.register(spec, pdf)
                if n % 250 == 0:
                    log(f"Зареєстровано документів: {n} з {len(specs)}")
        finally:
            pipeline.close()
        timings["register"] = time.perf_counter() - mark - waited
        timings["pdf_wait"] = waited
        mark = time.perf_counter()
        flow = WorkflowDemo(users=world.users, infos=world.infos, today=today, seed=SEED)
        world.finish([spec for spec in specs if not flow.wanted(spec)])
        timings["finish"] = time.perf_counter() - mark
        mark = time.perf_counter()
        work = flow.run([spec for spec in specs if flow.wanted(spec)])
        timings["workflow"] = time.perf_counter() - mark
        log(f"Резолюції: {work.resolutions}, доручення: {work.assignments} ({timings['workflow']:.1f} с)")
        mark = time.perf_counter()
        drafts = load_approvals(users=world.users, orgs=world.orgs, journals=world.journals)
        timings["approvals"] = time.perf_counter() - mark
        log(f"Проєкти документів на погодженні: {drafts}")
        mark = time.perf_counter()
        appeals = AppealsDemo(users=world.users, orgs=world.orgs, journals=world.journals, today=today,
                              seed=SEED).load(DEMO_APPEALS if documents >= DEFAULT_DOCUMENTS else documents // 8)
        timings["appeals"] = time.perf_counter() - mark
        log(f"Звернення громадян: {sum(appeals.values())} ({timings['appeals']:.1f} с)")
        load_acts(log=log)  # issue 5: decisions and draft decisions on the website
        load_website(log=log, today=today)
        __import__("ratusha.training.demo_signatures", fromlist=["load_signatures"]).load_signatures(log=log)
        load_exchange(log=log)  # issue 7: letters between the committee and the enterprises, receipts
        load_installations(log=log)  # issue 7: participants for `ratusha neighbour`
        # The demo sends no e-mail: its notifications stay in the office lists (the tasks queued for
        # them after commit find nothing pending and send nothing).
        Notification.objects.filter(email_state=EmailState.PENDING).update(email_state=EmailState.SKIPPED)
        audit_log(actor=None, action="demo.load", object_type="training.demo", object_repr=MARKER_CODE,
                  params={"documents": len(specs), "staff": len(STAFF), "organisations": len(world.orgs),
                          "seed": SEED})
    mark = time.perf_counter()
    _reindex(log)
    timings["search_index"] = time.perf_counter() - mark
    result = _result(created=True)
    result.seconds = time.perf_counter() - started
    result.timings = timings
    result.pdf_workers = pdf_workers
    result.index_mismatches = mismatches
    return result


def _result(*, created: bool) -> DemoResult:
    demo_orgs = Organisation.objects.filter(code__startswith="demo-")
    return DemoResult(
        created=created, organisations=demo_orgs.count(),
        employees=Employee.objects.filter(organisation__in=demo_orgs).count(),
        users=User.objects.filter(employments__organisation__in=demo_orgs).distinct().count(),
        documents=Document.objects.filter(organisation__in=demo_orgs).count(),
        files=DocumentFile.objects.filter(document__organisation__in=demo_orgs).count())


def _reindex(log: Callable[[str], None]) -> None:
    try:
        from ratusha.search.services import reindex_all
    except ImportError:
        return
    count = reindex_all()
    log(f"Пошуковий індекс: {count} документів")


def _signature_name(first: str, last: str) -> str:
    return f"{first} {last.upper()}"


class _Structure:
    """Creates organisations, staff, journals, nomenclature and delegations; registers documents."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.year = today.year
        self.orgs: dict[str, Organisation] = {}
        self.units: dict[tuple[str, str], Unit] = {}
        self.users: dict[str, User] = {}
        self.journals: dict[tuple[str, str], Journal] = {}
        self.cases: dict[tuple[str, int, str], CaseFile] = {}
        self.infos: dict[str, OrgInfo] = {}

    def build(self) -> None:
        self._organisations()
        self._staff()
        self._journals_and_nomenclature()
        self._delegations()
        # Fresh user objects: their role caches must see every appointment made above.
        self.users = {u.username: u for u in User.objects.filter(username__in=list(self.users))}

    def _organisations(self) -> None:
        for spec in ORGANISATIONS:
            org = org_services.organisation_create(
                actor=None, kind=spec.kind, name=spec.name, short_name=spec.short_name, code=spec.code,
                parent=self.orgs.get(spec.parent) if spec.parent else None, edrpou=spec.edrpou,
                address=spec.address, email=spec.email, phone=spec.phone)
            self.orgs[spec.code] = org
            for code, name in spec.units:
                self.units[(spec.code, code)] = org_services.unit_create(actor=None, organisation=org,
                                                                         name=name, code=code)

    def _staff(self) -> None:
        password_hash = make_password(DEMO_PASSWORD)  # hashed once (Argon2 is slow on purpose)
        positions: dict[tuple[str, str, str], Position] = {}
        people: dict[str, list[Person]] = defaultdict(list)
        for spec in STAFF:
            org = self.orgs[spec.org]
            unit = self.units[(spec.org, spec.unit)]
            key = (spec.org, spec.unit, spec.position)
            if key not in positions:
                positions[key] = org_services.position_create(actor=None, organisation=org, title=spec.position,
                                                              unit=unit, is_head=spec.is_head)
            domain = "sosnivka.example.org"
            employee = org_services.employee_hire(
                actor=None, organisation=org, roles=spec.roles, username=spec.username, last_name=spec.last_name,
                first_name=spec.first_name, middle_name=spec.middle_name, email=f"{spec.username}@{domain}",
                phone=f"+380 (4532) 2-{10 + len(self.users) % 80:02d}-{len(self.users) * 7 % 90 + 10:02d}",
                unit=unit, position=positions[key], password_hash=password_hash)
            self.users[spec.username] = employee.user
            initial = f"{spec.first_name[0]}. {spec.middle_name[0]}." if spec.middle_name else f"{spec.first_name[0]}."
            person = Person(spec.username, _signature_name(spec.first_name, spec.last_name),
                            f"{spec.last_name} {initial}", spec.position, spec.unit, frozenset(spec.roles))
            people[spec.org].append(person)
            for other, roles in spec.also:
                org_services.employee_hire(actor=None, organisation=self.orgs[other], user=employee.user,
                                           roles=roles, position=None)
                people[other].append(Person(spec.username, person.name, person.short, spec.position, "01",
                                            frozenset(roles)))
        self._admins()
        for username, role in INSTALLATION_ROLE_GRANTS:
            org_services.installation_role_grant(actor=None, user=self.users[username], role=role,
                                                 note="Демонстраційна установка")
        for spec in ORGANISATIONS:
            self.infos[spec.code] = OrgInfo(spec.code, spec.name, spec.short_name, spec.address, spec.email,
                                            spec.phone, {}, people[spec.code])

    def _admins(self) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        key = demo_totp_key_hex()
        for username in _totp_usernames():
            user = self.users[username]
            if username in SUPERUSERS:
                User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
                audit_log(actor=None, action="demo.superuser", obj=user, params={"username": username})
            device = TOTPDevice.objects.create(user=user, name="Демо: застосунок автентифікації", key=key,
                                               confirmed=True)
            audit_log(actor=None, action="demo.totp_device", obj=user, params={"device": device.pk})

    def _journals_and_nomenclature(self) -> None:
        previous = self.year - 1
        for spec in ORGANISATIONS:
            org = self.orgs[spec.code]
            for number, title, retention, article in NOMENCLATURE:
                reg.casefile_create(actor=None, organisation=org, year=previous, index=f"01-{number}", title=title,
                                    retention=retention, retention_article=article,
                                    unit=self.units[(spec.code, "01")])
            for code, name in spec.units[1:]:
                unit = self.units[(spec.code, code)]
                reg.casefile_create(actor=None, organisation=org, year=previous, index=f"{code}-01",
                                    title=f"Плани роботи та звіти про їх виконання: {name}", retention="5 р.",
                                    retention_article="ст. 161 б", unit=unit)
                reg.casefile_create(actor=None, organisation=org, year=previous, index=f"{code}-02",
                                    title=f"Листування з основних питань діяльності: {name}",
                                    retention="5 р. ЕПК", retention_article="ст. 22", unit=unit)
            reg.nomenclature_copy_year(actor=None, organisation=org, from_year=previous, to_year=self.year)
            for case in CaseFile.objects.filter(organisation=org, year__in=(previous, self.year)):
                self.cases[(spec.code, case.year, case.index)] = case
            for kind in spec.journals:
                name, template, prefix, case_no = (VYKONKOM_ORDERS if (spec.code, kind) == (
                    "demo-vykonkom", J.ORDERS) else JOURNALS[kind])
                self.journals[(spec.code, kind)] = reg.journal_create(
                    actor=None, organisation=org, kind=kind, name=name, index_template=template, prefix=prefix,
                    default_case_index=f"01-{case_no}")

    def _delegations(self) -> None:
        for org_code, principal, deputy, start, end, reason in DELEGATIONS:
            employee = Employee.objects.get(user=self.users[principal], organisation=self.orgs[org_code])
            org_services.delegation_create(actor=None, principal=employee, deputy=self.users[deputy],
                                           start=self.today + dt.timedelta(days=start),
                                           end=self.today + dt.timedelta(days=end), reason=reason)

    # --- documents ----------------------------------------------------------------------------

    def _case(self, spec: DocSpec) -> CaseFile | None:
        return self.cases.get((spec.org, spec.date.year, f"01-{spec.case_no}"))

    def predict_indexes(self, specs: list[DocSpec]) -> None:
        seqs: dict[Any, int] = defaultdict(int)
        for spec in specs:
            journal = self.journals[(spec.org, spec.kind)]
            seqs[journal.pk] += 1
            unit = self.units.get((spec.org, spec.unit_code)) if spec.unit_code else None
            spec.predicted_index = document_reg_index(journal=journal, seq=seqs[journal.pk], year=spec.date.year,
                                                      case_file=self._case(spec), unit=unit)

    def finish_pages(self, specs: list[DocSpec]) -> None:
        for spec in specs:
            page, index, date = spec.page, spec.predicted_index, f"{spec.date:%d.%m.%Y}"
            if spec.kind in (J.INCOMING, J.APPEALS):
                page.stamp = f"{self.infos[spec.org].short_name} · Вх. № {index} від {date}"
            elif spec.kind == J.OUTGOING:
                ref = spec.meta.get("ref", "")
                page.number_line = f"№ {index} від {date}" + (f"\nНа {ref}" if ref else "")
            else:
                page.place_line = f"{date} | м. Соснівка | № {index}"
            spec.filename = spec.filename.replace(".pdf", f" {index}.pdf".replace("/", "-"))

    def register(self, spec: DocSpec, pdf: bytes) -> int:
        """Register one planned document; returns 1 if its number differs from the prediction."""
        registrar = self.users[spec.registrar]
        links = []
        if spec.answer_to is not None and spec.answer_to.document is not None \
                and not spec.answer_to.document.is_cancelled:
            links.append((LinkKind.ANSWER_TO, spec.answer_to.document))
        if spec.in_execution_of is not None and spec.in_execution_of.document is not None:
            links.append((LinkKind.IN_EXECUTION_OF, spec.in_execution_of.document))
        document = reg.document_register(
            actor=registrar, journal=self.journals[(spec.org, spec.kind)], reg_date=spec.date,
            unit=self.units.get((spec.org, spec.unit_code)) if spec.unit_code else None,
            executor=self.users.get(spec.executor) if spec.executor else None, case_file=self._case(spec),
            files=[reg.FileInput(name=spec.filename, content=pdf)], links=links, **spec.fields)
        spec.document = document
        # The text of the PDF's text layer is known here (it was generated from it): store it in the
        # derived field the search index would otherwise fill by re-parsing every PDF (~20 ms each).
        # tests/training check that it equals what ``ratusha.search.extract`` reads from the PDF.
        DocumentFile.objects.filter(document=document, text="").update(text=spec.page.text())
        if spec.cancel_reason:
            spec.document = reg.document_cancel(actor=registrar, document=document, reason=spec.cancel_reason)
        return int(document.reg_index != spec.predicted_index)

    def finish(self, specs: list[DocSpec]) -> None:
        """Execution state: answered letters executed (with the answer's index), others in work."""
        for spec in specs:
            document = spec.document
            if document is None or not spec.finish or document.status != DocumentStatus.REGISTERED:
                continue
            registrar = self.users[spec.registrar]
            if spec.finish == "in_work":
                reg.document_transition(actor=registrar, document=document, to=DocumentStatus.IN_WORK)
                continue
            answer = spec.answered_by.document if spec.answered_by is not None else None
            if answer is not None and not answer.is_cancelled:
                reg.document_transition(actor=registrar, document=document, to=DocumentStatus.EXECUTED,
                                        executed_on=answer.reg_date, answer_index=answer.reg_index,
                                        execution_result="Надано відповідь")
            else:
                done = min(add_working_days(spec.date, 5 + spec.order % 15), self.today)
                reg.document_transition(actor=registrar, document=document, to=DocumentStatus.EXECUTED,
                                        executed_on=done,
                                        execution_result="Взято до відома, питання вирішено в робочому порядку")
