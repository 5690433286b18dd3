import io

import pytest

from ratusha.registry.services import FileInput, document_register
from ratusha.search.services import index_document


@pytest.fixture(autouse=True)
def _own_blob_dir(settings, tmp_path):
    settings.BLOB_DIR = tmp_path / "blobs"


def make_pdf(text: str) -> bytes:
    """A real PDF with a text layer (WeasyPrint renders the HTML)."""
    import weasyprint

    html = f"<html lang='uk'><body><p>{text}</p></body></html>"
    return weasyprint.HTML(string=html).write_pdf()


def make_docx(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def make_doc(registrar, incoming_journal):
    """Register a card through the registry service and index it (on_commit does not run in tests)."""

    def _make(summary="Лист про різне", *, actor=None, journal=None, files=(), index=True, **kwargs):
        kwargs.setdefault("kind", "letter")
        document = document_register(actor=actor or registrar, journal=journal or incoming_journal,
                                     summary=summary,
                                     files=[FileInput(name=n, content=c) for n, c in files], **kwargs)
        if index:
            index_document(document_id=document.pk)
        return document

    return _make
