import io

import pytest
from django.utils import timezone

from ratusha.registry.services import FileInput, document_register
from tests.factories import EmployeeFactory, JournalFactory, UnitFactory


@pytest.fixture(autouse=True)
def _own_blob_dir(settings, tmp_path):
    """Each test stores blobs in its own directory, so tampering with one cannot leak."""
    settings.BLOB_DIR = tmp_path / "blobs"


def make_pdf(text: str = "Тест") -> bytes:
    """A small valid PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture
def pdf_bytes():
    return make_pdf()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def register(registrar, incoming_journal):
    """document_register with sensible defaults."""

    def _register(**kwargs):
        kwargs.setdefault("actor", registrar)
        kwargs.setdefault("journal", incoming_journal)
        kwargs.setdefault("kind", "letter")
        kwargs.setdefault("summary", "Про ремонт дороги по вулиці Шевченка")
        return document_register(**kwargs)

    return _register


@pytest.fixture
def unit(org):
    return UnitFactory(organisation=org, code="02")


@pytest.fixture
def head(org):
    return EmployeeFactory(organisation=org, roles=["head"]).user


@pytest.fixture
def reception(org):
    return EmployeeFactory(organisation=org, roles=["reception"]).user


@pytest.fixture
def org_admin(org):
    return EmployeeFactory(organisation=org, roles=["admin"]).user


@pytest.fixture
def outgoing_journal(org):
    return JournalFactory(organisation=org, kind="outgoing", index_template="{case}/{seq}",
                          default_case_index="01-11")


def file_input(name="scan.pdf", content=None, comment=""):
    return FileInput(name=name, content=content if content is not None else make_pdf(), comment=comment)


