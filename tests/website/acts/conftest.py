import io

import pytest
from django.utils import timezone

from ratusha.registry.constants import AccessMark, JournalKind
from ratusha.registry.services import FileInput, document_register
from tests.factories import EmployeeFactory, JournalFactory, OrganisationFactory, grant_installation_role


def make_pdf(text: str = "Рішення") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _own_blob_dir(settings, tmp_path):
    settings.BLOB_DIR = tmp_path / "blobs"


@pytest.fixture
def council(db):
    return OrganisationFactory(name="Тестова міська рада", short_name="ТМР", code="tmr")


@pytest.fixture
def clerk(council):
    return EmployeeFactory(organisation=council, roles=["registrar"]).user


@pytest.fixture
def editor(council):
    # The council's web editor, also the council website's editor (the installation role keeps the topics).
    return grant_installation_role(
        EmployeeFactory(organisation=council, roles=["web_editor"], user__email="editor@example.org").user,
        "website_editor")


@pytest.fixture
def stranger(db):
    return EmployeeFactory(roles=["executor"]).user


@pytest.fixture
def journals(council):
    return {
        JournalKind.COUNCIL_DECISIONS: JournalFactory(organisation=council, kind=JournalKind.COUNCIL_DECISIONS,
                                                      index_template="{seq}-{prefix}", prefix="VIII"),
        JournalKind.EXECUTIVE_DECISIONS: JournalFactory(organisation=council, kind=JournalKind.EXECUTIVE_DECISIONS,
                                                        index_template="{seq}"),
        JournalKind.ORDERS: JournalFactory(organisation=council, kind=JournalKind.ORDERS,
                                           index_template="{seq}{prefix}", prefix="-р"),
        JournalKind.INCOMING: JournalFactory(organisation=council, kind=JournalKind.INCOMING,
                                             index_template="{seq}"),
    }


@pytest.fixture
def register_act(clerk, journals, django_capture_on_commit_callbacks):
    """Register a card and run its after-commit work (the publication hook) as a real commit would."""

    def _register(summary="Про затвердження бюджету громади на 2027 рік", *, kind=JournalKind.COUNCIL_DECISIONS,
                  access=AccessMark.PUBLIC, pdf=True, reg_date=None):
        files = [FileInput(name="рішення.pdf", content=make_pdf(summary))] if pdf else []
        with django_capture_on_commit_callbacks(execute=True):
            return document_register(actor=clerk, journal=journals[kind], kind="decision", summary=summary,
                                     access=access, files=files, signed_by="Міський голова",
                                     reg_date=reg_date or timezone.localdate())

    return _register
