"""Documents generated from templates (issue 6, item 6): PDF by WeasyPrint, DOCX by docxtpl, with the
requisites of DSTU 4163:2020 (docs/legal.md §6). See ``docs/documents.md``.

The public interface (other apps import these names from here):

- ``document_render(*, kind, context) -> RenderedDocument(pdf, docx, title, filename)``
- ``context_from_document(document)`` / ``context_from_draft(draft)`` — the filled context
- ``pdf_for_document(document) -> bytes`` / ``pdf_for_draft(draft) -> bytes`` — the PDF renditions
  the signing helper signs
- ``TemplateKind`` — the templates (letter, order, executive/council decision, memo)

The callers pass objects they obtained through the access-checking selectors.
"""

from __future__ import annotations

from typing import Any

from ratusha.registry.generation.constants import TemplateKind, template_kind_for
from ratusha.registry.generation.context import (
    DocumentContext,
    Requisites,
    context_from_document,
    context_from_draft,
)
from ratusha.registry.generation.render import RenderedDocument, document_render, render_docx, render_pdf

PDF_MIME = "application/pdf"


def pdf_for_draft(draft: Any) -> bytes:
    """The PDF of a draft: its current version as it is when that is a PDF (the bytes the visas were
    given for), else the template of its kind filled from the draft (text of a plain-text or DOCX version)."""
    from ratusha.core.storage import blob_read

    version = draft.current_version
    if version is not None and (version.blob.mime or "") == PDF_MIME:
        return blob_read(version.blob_id)
    return render_pdf(context_from_draft(draft))


def pdf_for_document(document: Any, *, kind: str | None = None) -> bytes:
    """The PDF rendition of a registration card: the template of its kind with the registration index
    and date filled in (and the text, author and signer of its draft when it was created from one)."""
    return render_pdf(context_from_document(document, kind=kind))


__all__ = [
    "DocumentContext",
    "RenderedDocument",
    "Requisites",
    "TemplateKind",
    "context_from_document",
    "context_from_draft",
    "document_render",
    "pdf_for_document",
    "pdf_for_draft",
    "render_docx",
    "render_pdf",
    "template_kind_for",
]
