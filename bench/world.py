"""The bench's fictional installation: organisations, units, staff, journals; and bulk synthetic cards.

Set-up rows are written with the ORM directly (they are fixtures, not what is measured). Documents for
the search/list benchmarks are inserted with ``bulk_create`` — their numbering through
``document_register`` is measured separately by ``registrations.py``. Numbers are still consistent:
gapless per journal+year, in date order, with the journal counters set to the last number.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

BENCH_PASSWORD = "Bench-Password-2026!"  # noqa: S105 - throwaway bench installation
BENCH_USERNAME = "bench.registrar"
YEARS = (2022, 2023, 2024, 2025, 2026)

ORG_SPECS = [
    # (kind, name, short, code, share of documents)
    ("city_council", "Синьогірська міська рада", "Синьогірська МР", "council", 14),
    ("executive_committee", "Виконавчий комітет Синьогірської міської ради", "Виконком", "exec", 22),
    ("executive_body", "Управління житлово-комунального господарства", "УЖКГ", "ujkg", 10),
    ("executive_body", "Управління освіти", "Управління освіти", "osvita", 8),
    ("executive_body", "Управління соціального захисту населення", "УСЗН", "uszn", 8),
    ("executive_body", "Фінансове управління", "Фінуправління", "finance", 5),
    ("executive_body", "Управління містобудування та архітектури", "УМА", "uma", 5),
    ("executive_body", "Відділ земельних відносин", "Земвідділ", "zem", 5),
    ("executive_body", "Відділ культури і туризму", "Відділ культури", "culture", 3),
    ("executive_body", "Відділ охорони здоров'я", "Відділ ОЗ", "health", 3),
    ("executive_body", "Служба у справах дітей", "ССД", "children", 3),
    ("executive_body", "Центр надання адміністративних послуг", "ЦНАП", "cnap", 6),
    ("municipal_enterprise", "КП «Синьогірськводоканал»", "Водоканал", "voda", 3),
    ("municipal_enterprise", "КП «Синьогірськтепло»", "Тепло", "teplo", 3),
    ("municipal_enterprise", "КП «Благоустрій»", "Благоустрій", "blago", 2),
]
UNITS = [("01", "Загальний відділ"), ("02", "Юридичний відділ"), ("03", "Відділ економіки"),
         ("04", "Відділ з питань звернень громадян")]
JOURNALS = [("incoming", "Вхідні документи", "{seq}/{case}", "01-10", 55),
            ("outgoing", "Вихідні документи", "{case}/{seq}", "01-11", 30),
            ("internal", "Внутрішні документи", "{seq}/{unit}", "", 15)]
EXECUTORS_PER_ORG = 6


@dataclass
class World:
    org_ids: list[Any] = field(default_factory=list)
    org_weights: list[int] = field(default_factory=list)
    journals: dict[Any, list[Any]] = field(default_factory=dict)      # org -> [Journal]
    units: dict[Any, list[Any]] = field(default_factory=dict)         # org -> [Unit]
    registrars: dict[Any, Any] = field(default_factory=dict)          # org -> user id
    executors: dict[Any, list[Any]] = field(default_factory=dict)     # org -> [user ids]
    bench_user_id: Any = None


def build_world() -> World:
    """Organisations with units, a registrar, a head and executors each, and three journals each.

    ``bench.registrar`` (password ``BENCH_PASSWORD``) is registrar + head of the city council and
    executor in the executive committee: a realistic heavy user of the office.
    """
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from ratusha.orgs.models import Employee, Organisation, Unit, User
    from ratusha.registry.models import Journal

    world = World()
    unusable = make_password(None)
    with transaction.atomic():
        for kind, name, short, code, share in ORG_SPECS:
            org = Organisation.objects.create(kind=kind, name=name, short_name=short, code=code)
            world.org_ids.append(org.pk)
            world.org_weights.append(share)
            world.units[org.pk] = [Unit.objects.create(organisation=org, code=c, name=n) for c, n in UNITS]
            world.journals[org.pk] = [
                Journal.objects.create(organisation=org, kind=jk, name=jn, index_template=tpl,
                                       default_case_index=case)
                for jk, jn, tpl, case, _w in JOURNALS]
            people = []
            for i in range(EXECUTORS_PER_ORG + 2):
                user = User.objects.create(username=f"{code}.u{i}", first_name="Працівник", last_name=f"{code}{i}",
                                           password=unusable)
                roles = ["registrar"] if i == 0 else ["head"] if i == 1 else ["executor"]
                Employee.objects.create(user=user, organisation=org, unit=world.units[org.pk][i % len(UNITS)],
                                        roles=roles)
                people.append(user.pk)
            world.registrars[org.pk] = people[0]
            world.executors[org.pk] = people[2:]
        bench = User.objects.create(username=BENCH_USERNAME, first_name="Олена", last_name="Бенчмарк",
                                    middle_name="Іванівна", password=make_password(BENCH_PASSWORD))
        council, exec_committee = world.org_ids[0], world.org_ids[1]
        Employee.objects.create(user=bench, organisation_id=council, unit=world.units[council][0],
                                roles=["registrar", "head"])
        Employee.objects.create(user=bench, organisation_id=exec_committee,
                                unit=world.units[exec_committee][0], roles=["executor"])
        world.bench_user_id = bench.pk
    return world


def load_world() -> World:
    """Rebuild the World description from an existing bench database."""
    from ratusha.orgs.models import Employee, Organisation, Unit, User
    from ratusha.registry.models import Journal

    world = World()
    codes = [spec[3] for spec in ORG_SPECS]
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    for spec in ORG_SPECS:
        org = orgs[spec[3]]
        world.org_ids.append(org.pk)
        world.org_weights.append(spec[4])
        world.units[org.pk] = list(Unit.objects.filter(organisation=org).order_by("code"))
        by_kind = {j.kind: j for j in Journal.objects.filter(organisation=org)}
        world.journals[org.pk] = [by_kind[jk] for jk, *_rest in JOURNALS]
        emps = Employee.objects.filter(organisation=org).exclude(user__username=BENCH_USERNAME)
        world.registrars[org.pk] = next(e.user_id for e in emps if "registrar" in e.roles)
        world.executors[org.pk] = [e.user_id for e in emps if e.roles == ["executor"]]
    world.bench_user_id = User.objects.get(username=BENCH_USERNAME).pk
    return world


STATUSES = [("registered", 15), ("in_work", 25), ("executed", 45), ("filed", 13), ("cancelled", 2)]
ACCESS = [("internal", 75), ("public", 12), ("restricted", 8), ("personal", 5)]
KINDS_BY_JOURNAL = {
    "incoming": [("letter", 50), ("application", 15), ("appeal", 15), ("request", 10), ("instruction", 5),
                 ("contract", 5)],
    "outgoing": [("letter", 80), ("report", 10), ("certificate", 10)],
    "internal": [("memo", 50), ("directive", 15), ("protocol", 15), ("act", 10), ("report", 10)],
}
DELIVERY = ["post", "email", "edms", "courier", "in_person"]


def _cum(pairs):
    return [p[0] for p in pairs], list(accumulate(p[1] for p in pairs))


def insert_documents(world: World, n: int, *, seed: int = 1, batch: int = 5000, progress=None) -> float:
    """Insert ``n`` cards spread over 2022 .. today, in date order; returns seconds spent."""
    import time

    from django.db import transaction
    from django.utils import timezone
    from synth import Generator

    from ratusha.registry.models import Document, JournalCounter
    from ratusha.registry.services.numbering import render_index

    rng = random.Random(seed)
    gen = Generator(seed=seed)
    tz = timezone.get_current_timezone()
    start = dt.datetime(YEARS[0], 1, 3, 8, 0, tzinfo=tz)
    end = timezone.now() - dt.timedelta(hours=1)
    step = (end - start) / n
    org_cum = list(accumulate(world.org_weights))
    journal_cum = list(accumulate(j[4] for j in JOURNALS))
    statuses, status_cum = _cum(STATUSES)
    access, access_cum = _cum(ACCESS)
    kinds = {k: _cum(v) for k, v in KINDS_BY_JOURNAL.items()}
    counters: dict[tuple[Any, int], int] = {}
    t0 = time.perf_counter()
    rows: list[Document] = []

    def flush():
        with transaction.atomic():
            Document.objects.bulk_create(rows, batch_size=batch)
        rows.clear()

    for i in range(n):
        at = start + step * i
        local = at.astimezone(tz)
        reg_date, year = local.date(), local.year
        org = rng.choices(world.org_ids, cum_weights=org_cum, k=1)[0]
        journal = rng.choices(world.journals[org], cum_weights=journal_cum, k=1)[0]
        key = (journal.pk, year)
        seq = counters[key] = counters.get(key, 0) + 1
        unit = rng.choice(world.units[org])
        status = rng.choices(statuses, cum_weights=status_cum, k=1)[0]
        executor = rng.choice(world.executors[org]) if status != "registered" or rng.random() < 0.3 else None
        kind_values, kind_cum = kinds[journal.kind]
        incoming = journal.kind == "incoming"
        corr_date = reg_date - dt.timedelta(days=rng.randint(1, 10))
        rows.append(Document(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            organisation_id=org, journal=journal, year=year, seq=seq,
            reg_index=render_index(journal.index_template, seq=seq, case=journal.default_case_index,
                                   unit=unit.code, year=year, prefix=journal.prefix),
            reg_date=reg_date, registered_at=at, registered_by_id=world.registrars[org],
            kind=rng.choices(kind_values, cum_weights=kind_cum, k=1)[0], status=status,
            summary=gen.summary(),
            correspondent=gen.correspondent() if journal.kind != "internal" else "",
            correspondent_index=f"{rng.randint(1, 9999)}/{rng.randint(1, 40):02d}" if incoming else "",
            correspondent_date=corr_date if incoming else None,
            received_date=reg_date if incoming else None,
            unit=unit, executor_id=executor,
            urgency="urgent" if rng.random() < 0.05 else "normal",
            on_control=rng.random() < 0.1,
            execution_deadline=reg_date + dt.timedelta(days=rng.choice((5, 10, 15, 30))) if executor else None,
            executed_on=reg_date + dt.timedelta(days=rng.randint(1, 20)) if status in ("executed", "filed")
            else None,
            access=rng.choices(access, cum_weights=access_cum, k=1)[0],
            delivery_method=rng.choice(DELIVERY) if journal.kind != "internal" else "internal",
            pages=rng.randint(1, 12),
            cancelled_at=at if status == "cancelled" else None,
            cancelled_reason="Помилкова реєстрація" if status == "cancelled" else "",
        ))
        if len(rows) >= batch:
            flush()
            if progress:
                progress(i + 1, time.perf_counter() - t0)
    if rows:
        flush()
    JournalCounter.objects.bulk_create(
        [JournalCounter(journal_id=j, year=y, last_number=last) for (j, y), last in counters.items()])
    return time.perf_counter() - t0
