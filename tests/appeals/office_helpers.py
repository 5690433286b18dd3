"""Helpers of the office appeals tests (their fixtures are in ``tests/appeals/office.py``).

A council with an appeals journal and its people: an appeals officer (reception), a registrar, the head,
a controller (sees appeals masked), a plain executor, an administrator; an outsider in another council.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from ratusha.appeals import services as svc
from ratusha.appeals.constants import AppealStatus, AppealSubject, Medium, ReceiptForm
from ratusha.appeals.models import Appeal, AppealAttachment, AppealCosigner
from ratusha.appeals.services.codes import new_tracking_code
from ratusha.core.storage import blob_put
from tests.factories import (
    EmployeeFactory,
    JournalFactory,
    OrganisationFactory,
    UnitFactory,
    grant_installation_role,
)

SAMPLE_CSV = Path(__file__).resolve().parents[2] / "src" / "ratusha" / "appeals" / "data" / "classifier_sample.csv"
TEXT = ("Прошу відремонтувати дорогу на вулиці Шевченка біля будинку 12: ями на проїжджій частині, "
        "після дощу стоїть вода і пішоходам немає де пройти.")


def pdf_bytes(title: str = "Звернення") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class AppealsWorld:
    org: Any
    journal: Any
    officer: Any
    registrar: Any
    head: Any
    controller: Any
    executor: Any
    admin: Any
    outsider: Any
    other_org: Any


def build_world() -> AppealsWorld:
    org = OrganisationFactory(name="Зеленодольська міська рада")
    unit = UnitFactory(organisation=org, name="Відділ роботи зі зверненнями громадян", code="13")
    journal = JournalFactory(organisation=org, kind="appeals", name="Журнал реєстрації звернень громадян",
                             index_template="{prefix}-{seq}", prefix="ЗГ")

    def person(roles: list[str], username: str, first: str, last: str, o: Any = org) -> Any:
        return EmployeeFactory(organisation=o, unit=unit if o is org else None, roles=roles,
                               user__username=username, user__first_name=first, user__last_name=last).user

    other = OrganisationFactory(name="Сусідня сільська рада")
    return AppealsWorld(
        org=org, journal=journal,
        officer=person(["reception"], "officer", "Оксана", "Мельник"),
        registrar=person(["registrar"], "clerk", "Ірина", "Бондар"),
        head=person(["head"], "mayor", "Марія", "Ткачук"),
        controller=person(["controller"], "control", "Богдан", "Шевчук"),
        executor=person(["executor"], "worker", "Петро", "Коваль"),
        # The council's administrator, also granted the classifier keeper's installation role explicitly.
        admin=grant_installation_role(person(["admin"], "admin", "Андрій", "Адмін"), "classifier_keeper"),
        outsider=person(["reception", "head", "registrar"], "outsider", "Ігор", "Чужий", other),
        other_org=other)


def applicant(**overrides: Any) -> dict[str, Any]:
    values = {"last_name": "Коваленко", "first_name": "Іван", "middle_name": "Петрович",
              "address": "м. Зеленодольськ, вул. Шевченка, буд. 12, кв. 5", "settlement": "Зеленодольськ",
              "email": "ivan.kovalenko@example.org", "phone": "+380 67 123 45 67"}
    values.update(overrides)
    return values


def register_written(world: AppealsWorld, actor: Any = None, **overrides: Any) -> Appeal:
    values = {"actor": actor or world.officer, "organisation": world.org, "receipt_form": ReceiptForm.POST,
              "medium": Medium.LETTER, "text": TEXT, **applicant()}
    values.update(overrides)
    return svc.appeal_register(**values)


def submitted_appeal(world: AppealsWorld, *, received_at: dt.datetime | None = None, files: int = 0,
                     cosigners: int = 0, **overrides: Any) -> Appeal:
    """A SUBMITTED e-appeal as the public form leaves it (built directly: the intake has its own tests)."""
    at = received_at or timezone.now()
    values = {"organisation": world.org, "status": AppealStatus.SUBMITTED, "tracking_code": new_tracking_code(),
              "received_at": at, "received_date": timezone.localdate(at), "receipt_form": ReceiptForm.ELECTRONIC,
              "medium": Medium.ELECTRONIC, "text": TEXT, "consent_at": at,
              "subject": AppealSubject.COLLECTIVE if cosigners else AppealSubject.INDIVIDUAL, **applicant()}
    values.update(overrides)
    appeal = Appeal.objects.create(**values)
    for n in range(files):
        blob = blob_put(pdf_bytes(f"Додаток {n}"), mime="application/pdf")
        AppealAttachment.objects.create(appeal=appeal, blob=blob, name=f"Додаток {n + 1}.pdf")
    for n in range(cosigners):
        AppealCosigner.objects.create(appeal=appeal, full_name=f"Співпідписант{n} Іван Іванович",
                                      address="м. Зеленодольськ, вул. Лесі Українки, 3")
    return appeal


def answer_document(world: AppealsWorld, summary: str = "Відповідь на звернення") -> Any:
    """A registered outgoing letter of the organisation (the answer's card)."""
    from ratusha.registry.services import document_register

    journal = JournalFactory(organisation=world.org, kind="outgoing", index_template="{seq}/13")
    return document_register(actor=world.registrar, journal=journal, kind="letter", summary=summary,
                             correspondent="Коваленко Іван Петрович")
