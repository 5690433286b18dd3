"""Fixtures of the approvals tests: a council department with a head, two parallel approvers, a signer."""

import io
from dataclasses import dataclass
from typing import Any

import pytest

from ratusha.workflow.approvals import services as svc
from ratusha.workflow.approvals.constants import ApproverKind, StepKind
from tests.factories import EmployeeFactory, JournalFactory, OrganisationFactory, PositionFactory, UnitFactory


def make_pdf(text: str = "Проєкт") -> bytes:
    """A small valid PDF whose bytes (and so SHA-256) depend on ``text``."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def totp_code(device: Any, offset: int = 0) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


@dataclass
class World:
    org: Any
    unit: Any
    author: Any
    unit_head: Any
    lawyer: Any
    finance: Any
    signer: Any
    registrar: Any
    outsider: Any
    journal: Any
    template: Any


@pytest.fixture(autouse=True)
def _own_blob_dir(settings, tmp_path):
    settings.BLOB_DIR = tmp_path / "blobs"


@pytest.fixture
def world(db) -> World:
    org = OrganisationFactory(name="Зеленодольська міська рада")
    unit = UnitFactory(organisation=org, name="Відділ благоустрою", code="05")
    head_position = PositionFactory(organisation=org, unit=unit, title="Начальник відділу", is_head=True)
    author = EmployeeFactory(organisation=org, unit=unit, roles=["executor"], user__username="author",
                             user__first_name="Олена", user__last_name="Коваленко").user
    unit_head = EmployeeFactory(organisation=org, unit=unit, position=head_position, roles=["executor"],
                                user__username="unithead", user__first_name="Петро",
                                user__last_name="Шевчук").user
    lawyer = EmployeeFactory(organisation=org, roles=["executor"], user__username="lawyer",
                             user__first_name="Ірина", user__last_name="Мельник").user
    finance = EmployeeFactory(organisation=org, roles=["executor"], user__username="finance",
                              user__first_name="Богдан", user__last_name="Бондар").user
    signer = EmployeeFactory(organisation=org, roles=["head"], user__username="mayor",
                             user__first_name="Марія", user__last_name="Ткачук").user
    registrar = EmployeeFactory(organisation=org, roles=["registrar"], user__username="clerk").user
    outsider = EmployeeFactory(roles=["registrar", "head"], user__username="outsider").user
    journal = JournalFactory(organisation=org, kind="outgoing", name="Вихідна кореспонденція",
                             index_template="{case}/{seq}", default_case_index="05-12")
    template = svc.route_template_create(actor=signer, organisation=org, name="Лист: стандартний", kind="letter")
    svc.route_template_step_add(actor=signer, template=template, stage=1, approver_kind=ApproverKind.UNIT_HEAD)
    svc.route_template_step_add(actor=signer, template=template, stage=2, user=lawyer)
    svc.route_template_step_add(actor=signer, template=template, stage=2, user=finance)
    svc.route_template_step_add(actor=signer, template=template, stage=3, kind=StepKind.SIGN, user=signer)
    return World(org=org, unit=unit, author=author, unit_head=unit_head, lawyer=lawyer, finance=finance,
                 signer=signer, registrar=registrar, outsider=outsider, journal=journal, template=template)


@pytest.fixture
def device(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=world.signer, name="Телефон", confirmed=True)


@pytest.fixture
def new_draft(world):
    def make(**kwargs):
        values = {"actor": world.author, "journal": world.journal, "kind": "letter",
                  "summary": "Про ремонт тротуару на вулиці Лесі Українки", "addressee": "ТОВ «Шляхбуд»",
                  "name": "Лист Шляхбуду.pdf", "content": make_pdf("v1")}
        values.update(kwargs)
        return svc.draft_create(**values)

    return make


@pytest.fixture
def started(world, new_draft):
    """A draft on approval along the standard template (stage 1: unit head; 2: lawyer ∥ finance; 3: sign)."""
    draft = new_draft()
    svc.route_start(actor=world.author, draft=draft,
                    steps=svc.steps_from_template(template=world.template, draft=draft), template=world.template)
    draft.refresh_from_db()
    return draft
