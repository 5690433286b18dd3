"""Fixtures of the document-generation tests: a council with requisites, its head, an author with a
position and a unit, journals for every template kind."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ratusha.orgs.constants import OrgKind
from ratusha.registry.generation.context import DocumentContext, Requisites
from tests.factories import EmployeeFactory, JournalFactory, OrganisationFactory, PositionFactory, UnitFactory

SHOTS = Path("/tmp/shots/docgen")
LUTSK = Requisites(name="Луцька міська рада", address="вул. Богдана Хмельницького, 19, м. Луцьк, 43025",
                   edrpou="26654297", phone="(0332) 777-888", email="rada@lutsk.ua")
PARAGRAPH = ("Відповідно до статті 42 Закону України «Про місцеве самоврядування в Україні», з метою "
             "належного утримання вулично-дорожньої мережі міста та забезпечення безпеки дорожнього руху "
             "прошу розглянути можливість проведення поточного ремонту тротуару на вулиці Лесі Українки.")


def sample_context(kind: str, *, paragraphs: int = 2, registered: bool = True) -> DocumentContext:
    blank = ("ЛУЦЬКА МІСЬКА РАДА", "ВИКОНАВЧИЙ КОМІТЕТ") if kind == "executive_decision" else ("ЛУЦЬКА МІСЬКА РАДА",)
    return DocumentContext(
        kind=kind, organisation=LUTSK, blank_lines=blank, unit="Управління житлово-комунального господарства",
        heading="Про ремонт тротуару на вулиці Лесі Українки",
        paragraphs=tuple(f"{n + 1}. {PARAGRAPH}" for n in range(paragraphs)),
        reg_index="01-11/25" if registered else "", reg_date=dt.date(2026, 3, 12) if registered else None,
        addressee=("Директору ТОВ «Шляхбуд»", "Петру ШЕВЧУКУ") if kind in ("letter", "memo") else (),
        signer_position="Міський голова", signer_name="Ігор ПОЛІЩУК",
        executor_name="Олена КОВАЛЕНКО", executor_phone="(0332) 777-889")


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


def pdftotext(path: Path, *, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    args = ["pdftotext"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    if layout:
        args.append("-layout")
    return run(*args, str(path), "-")


def flat(text: str) -> str:
    return " ".join(text.split())


def docx_text(data: bytes) -> str:
    """The DOCX body in reading order: paragraphs and table cells, one line each."""
    import io

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                for cell in row.cells:
                    lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(line for line in lines if line.strip())


def shot(pdf: Path, name: str) -> None:
    """Page 1 as PNG under /tmp/shots/docgen/ (to look at)."""
    if shutil.which("pdftoppm"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        run("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(SHOTS / name))


@dataclass
class Council:
    org: Any
    unit: Any
    head: Any
    author: Any
    registrar: Any
    outsider: Any
    outgoing: Any
    internal: Any
    orders: Any
    executive: Any
    council: Any


@pytest.fixture
def council(db) -> Council:
    org = OrganisationFactory(kind=OrgKind.CITY_COUNCIL, name="Луцька міська рада", short_name="ЛМР",
                              address=LUTSK.address, edrpou=LUTSK.edrpou, phone=LUTSK.phone, email=LUTSK.email)
    unit = UnitFactory(organisation=org, name="Управління житлово-комунального господарства", code="05")
    mayor = PositionFactory(organisation=org, title="Міський голова", is_head=True)
    specialist = PositionFactory(organisation=org, unit=unit, title="Головний спеціаліст")
    head = EmployeeFactory(organisation=org, position=mayor, roles=["head"], user__username="mayor",
                           user__first_name="Ігор", user__last_name="Поліщук").user
    author = EmployeeFactory(organisation=org, unit=unit, position=specialist, roles=["executor"],
                             user__username="author", user__first_name="Олена", user__last_name="Коваленко",
                             user__phone="(0332) 777-889").user
    registrar = EmployeeFactory(organisation=org, roles=["registrar"], user__username="clerk").user
    outsider = EmployeeFactory(roles=["registrar", "head"], user__username="stranger").user
    journals = {kind: JournalFactory(organisation=org, kind=kind, default_case_index="01-11")
                for kind in ("outgoing", "internal", "orders", "executive_decisions", "council_decisions")}
    return Council(org=org, unit=unit, head=head, author=author, registrar=registrar, outsider=outsider,
                   outgoing=journals["outgoing"], internal=journals["internal"], orders=journals["orders"],
                   executive=journals["executive_decisions"], council=journals["council_decisions"])
