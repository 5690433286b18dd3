"""The one write of document generation: a draft whose first version is a generated PDF.

It goes through the approvals service ``draft_create`` (checks of the journal, the author's rights,
the file's content; the ``draft.create`` audit event) and adds, in the same transaction, the
``draft.generate`` event that records the template and the SHA-256 of the editable DOCX (the draft
model holds one file per version, so the DOCX is kept as a stored blob and offered for download).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.core.storage import blob_put
from ratusha.registry.constants import AccessMark
from ratusha.registry.generation.constants import DOCUMENT_KIND, DOCX_MIME, JOURNAL_KINDS, TemplateKind
from ratusha.registry.generation.context import (
    DocumentContext,
    blank_lines_for,
    requisites_of,
    split_lines,
    split_paragraphs,
)
from ratusha.registry.generation.render import RenderedDocument, document_render
from ratusha.registry.generation.selectors import GENERATE_ACTION, INPUTS_MIME
from ratusha.registry.services._common import normalise_spaces

HEADING_LIMIT = 1000
TEXT_LIMIT = 100_000


@dataclass(frozen=True)
class GeneratedDraft:
    draft: Any
    rendered: RenderedDocument


def _required(value: str, *, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ApplicationError(message, code="required", field=field)
    return value.strip()


def draft_context(*, kind: str, journal: Any, author: Any, heading: str, text: str, addressee: str = "",
                  signer_position: str = "", signer_name: str = "", executor_name: str = "",
                  executor_phone: str = "") -> DocumentContext:
    """The context of a new (unregistered) document of the journal's organisation."""
    from ratusha.registry.generation.context import unit_of

    organisation = journal.organisation
    return DocumentContext(
        kind=kind, organisation=requisites_of(organisation), blank_lines=blank_lines_for(kind, organisation),
        unit=unit_of(author, organisation.pk), heading=normalise_spaces(heading),
        paragraphs=split_paragraphs(text), addressee=split_lines(addressee),
        signer_position=normalise_spaces(signer_position), signer_name=normalise_spaces(signer_name),
        executor_name=normalise_spaces(executor_name), executor_phone=normalise_spaces(executor_phone))


def draft_create_from_template(*, actor: Any, journal: Any, kind: str, heading: str, text: str,
                               addressee: str = "", access: str = AccessMark.INTERNAL,
                               signer_position: str = "", signer_name: str = "", executor_name: str = "",
                               executor_phone: str = "") -> GeneratedDraft:
    """Render the template of ``kind`` and create a draft with the PDF as version 1 (approvals service)."""
    from ratusha.workflow.approvals.services import draft_create

    try:
        kind = TemplateKind(kind).value
    except ValueError:
        raise ApplicationError(_("Оберіть шаблон документа зі списку."), code="invalid", field="kind") from None
    heading = _required(heading, field="heading", message=_("Вкажіть заголовок до тексту."))[:HEADING_LIMIT]
    text = _required(text, field="text", message=_("Введіть текст документа."))[:TEXT_LIMIT]
    if journal.kind not in JOURNAL_KINDS[TemplateKind(kind)]:
        raise ApplicationError(_("Документ «%(kind)s» реєструють в іншому журналі: оберіть журнал «%(journal)s».")
                               % {"kind": TemplateKind(kind).label,
                                  "journal": ", ".join(str(_journal_label(k)) for k in JOURNAL_KINDS[TemplateKind(kind)])},
                               code="wrong_journal", field="journal")
    context = draft_context(kind=kind, journal=journal, author=actor, heading=heading, text=text,
                            addressee=addressee, signer_position=signer_position, signer_name=signer_name,
                            executor_name=executor_name, executor_phone=executor_phone)
    rendered = document_render(kind=kind, context=context)
    inputs = {"heading": context.heading, "paragraphs": list(context.paragraphs),
              "addressee": list(context.addressee), "signer_position": context.signer_position,
              "signer_name": context.signer_name, "executor_name": context.executor_name,
              "executor_phone": context.executor_phone}
    with transaction.atomic():
        docx_blob = blob_put(rendered.docx, mime=DOCX_MIME)
        inputs_blob = blob_put(json.dumps(inputs, ensure_ascii=False).encode(), mime=INPUTS_MIME)
        draft = draft_create(actor=actor, journal=journal, kind=DOCUMENT_KIND[TemplateKind(kind)],
                             summary=heading, name=rendered.pdf_name, content=rendered.pdf, addressee=addressee,
                             access=access, comment=_("Створено з шаблону «%(kind)s»") % {
                                 "kind": TemplateKind(kind).label})
        audit_log(actor=actor, action=GENERATE_ACTION, obj=draft, params={
            "template": kind, "pdf_sha256": draft.current_version.blob_id, "docx_sha256": docx_blob.sha256,
            "docx_name": rendered.docx_name, "inputs_sha256": inputs_blob.sha256, "text_chars": len(text)})
    return GeneratedDraft(draft=draft, rendered=rendered)


def _journal_label(kind: str) -> str:
    from ratusha.registry.constants import JournalKind

    return str(JournalKind(kind).label)
