"""A small council for the workflow tests.

    Керівництво (01)        — the head (Role.HEAD, head position), the controller, the deputy, the registrar
    Відділ благоустрою (02) — chief_a (head position), worker_a
      └ Сектор озеленення (03) — sector_head (head position), worker_a1
    Юридичний відділ (04)   — chief_b (head position), worker_b
    Відділ без керівника (05) — worker_c
The deputy acts for the head (Delegation) from yesterday to next week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ratusha.orgs.models import Delegation
from ratusha.registry.services import document_register
from tests.factories import (
    EmployeeFactory,
    JournalFactory,
    OrganisationFactory,
    PositionFactory,
    UnitFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _own_blob_dir(settings, tmp_path):
    settings.BLOB_DIR = tmp_path / "blobs"


@dataclass
class Council:
    org: Any
    units: dict[str, Any]
    head: Any
    deputy: Any
    controller: Any
    registrar: Any
    chief_a: Any
    worker_a: Any
    sector_head: Any
    worker_a1: Any
    chief_b: Any
    worker_b: Any
    worker_c: Any
    journal: Any
    outsider: Any

    def register(self, **kwargs: Any) -> Any:
        kwargs.setdefault("actor", self.registrar)
        kwargs.setdefault("journal", self.journal)
        kwargs.setdefault("kind", "letter")
        kwargs.setdefault("summary", "Про ремонт дороги на вулиці Шевченка")
        kwargs.setdefault("correspondent", "ТОВ «Шляхбуд»")
        return document_register(**kwargs)


def _person(org, unit, username, last, first, *, roles=("executor",), head_title="", position=None):
    if head_title:
        position = PositionFactory(organisation=org, unit=unit, title=head_title, is_head=True)
    user = UserFactory(username=username, last_name=last, first_name=first, middle_name="")
    EmployeeFactory(user=user, organisation=org, unit=unit, position=position, roles=list(roles))
    return user


def build_council(prefix: str = "") -> Council:
    org = OrganisationFactory(name="Соснівська міська рада", short_name="Соснівська МР")
    u01 = UnitFactory(organisation=org, code="01", name="Керівництво")
    u02 = UnitFactory(organisation=org, code="02", name="Відділ благоустрою")
    u03 = UnitFactory(organisation=org, code="03", name="Сектор озеленення", parent=u02)
    u04 = UnitFactory(organisation=org, code="04", name="Юридичний відділ")
    u05 = UnitFactory(organisation=org, code="05", name="Відділ без керівника")
    p = prefix
    head = _person(org, u01, f"{p}head", "Гнатюк", "Василь", roles=("head",), head_title="Міський голова")
    deputy = _person(org, u01, f"{p}deputy", "Лисенко", "Оксана", roles=("executor",))
    controller = _person(org, u01, f"{p}controller", "Кравець", "Ніна", roles=("controller",))
    registrar = _person(org, u01, f"{p}registrar", "Мельник", "Оксана", roles=("registrar",))
    chief_a = _person(org, u02, f"{p}chief_a", "Бондар", "Петро", head_title="Начальник відділу благоустрою")
    worker_a = _person(org, u02, f"{p}worker_a", "Ткачук", "Марія")
    sector_head = _person(org, u03, f"{p}sector_head", "Шевчук", "Ірина", head_title="Завідувач сектору")
    worker_a1 = _person(org, u03, f"{p}worker_a1", "Коваль", "Богдан")
    chief_b = _person(org, u04, f"{p}chief_b", "Савчук", "Олег", head_title="Начальник юридичного відділу")
    worker_b = _person(org, u04, f"{p}worker_b", "Левчук", "Анна")
    worker_c = _person(org, u05, f"{p}worker_c", "Гуменюк", "Іван")
    today = timezone.localdate()
    Delegation.objects.create(
        principal=head.employments.get(),
        deputy=deputy,
        start=today - dt.timedelta(days=1),
        end=today + dt.timedelta(days=7),
        reason="Відпустка",
    )
    journal = JournalFactory(organisation=org, kind="incoming", index_template="{seq}", name="Вхідні")
    outsider = EmployeeFactory(roles=["head", "controller", "registrar"]).user
    return Council(
        org=org,
        units={"01": u01, "02": u02, "03": u03, "04": u04, "05": u05},
        head=head,
        deputy=deputy,
        controller=controller,
        registrar=registrar,
        chief_a=chief_a,
        worker_a=worker_a,
        sector_head=sector_head,
        worker_a1=worker_a1,
        chief_b=chief_b,
        worker_b=worker_b,
        worker_c=worker_c,
        journal=journal,
        outsider=outsider,
    )


@pytest.fixture
def council(db) -> Council:
    return build_council()


@pytest.fixture
def doc(council):
    return council.register()


@pytest.fixture
def resolve(council, doc):
    """resolution_create with defaults: the head gives it to chief_a, default 30-day term."""
    from ratusha.workflow.services import resolution_create

    def make(**kwargs: Any):
        kwargs.setdefault("actor", council.head)
        kwargs.setdefault("document", doc)
        kwargs.setdefault("text", "Підготувати відповідь заявнику")
        kwargs.setdefault("responsible", council.chief_a)
        return resolution_create(**kwargs)

    return make


def top(resolution, role: str = "responsible"):
    return resolution.assignments.get(parent=None, role=role)


def fresh(obj):
    obj.refresh_from_db()
    return obj
