import io

import pytest
from django.utils import timezone

from ratusha.registry import services as svc
from tests.factories import CaseFileFactory, EmployeeFactory, JournalFactory


def _pdf_bytes() -> bytes:
    """A valid one-page PDF (pypdf can read it, so the search indexer does not complain)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = _pdf_bytes()
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def casefile(org):
    return CaseFileFactory(organisation=org, year=timezone.localdate().year, index="01-10")


@pytest.fixture
def outgoing_journal(org):
    return JournalFactory(organisation=org, kind="outgoing", index_template="{case}/{seq}",
                          default_case_index="01-10")


@pytest.fixture
def registrar_client(client, registrar):
    client.force_login(registrar)
    return client


@pytest.fixture
def register_doc(registrar, incoming_journal, casefile):
    def make(**kwargs):
        values = {"actor": registrar, "journal": incoming_journal, "kind": "letter",
                  "summary": "Про ремонт дороги на вулиці Шевченка", "correspondent": "ТОВ «Шляхбуд»",
                  "case_file": casefile}
        values.update(kwargs)
        return svc.document_register(**values)

    return make


@pytest.fixture
def pdf_file():
    return io.BytesIO(PDF_BYTES)


@pytest.fixture
def other_org_registrar(db):
    return EmployeeFactory(roles=["registrar"]).user
