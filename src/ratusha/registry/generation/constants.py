"""Document kinds that have a template, and the layout rules of DSTU 4163:2020 (docs/legal.md §6).

DSTU 4163:2020 «Уніфікована система організаційно-розпорядчої документації. Вимоги до оформлення
документів» — the numbers below cite its clauses.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusha.registry.constants import DocumentKind, JournalKind


class TemplateKind(models.TextChoices):
    LETTER = "letter", _("Лист")
    ORDER = "order", _("Розпорядження")
    EXECUTIVE_DECISION = "executive_decision", _("Рішення виконавчого комітету")
    COUNCIL_DECISION = "council_decision", _("Рішення ради")
    MEMO = "memo", _("Службова записка")


# The registry's document kind of what each template produces (a draft created from a template).
DOCUMENT_KIND = {
    TemplateKind.LETTER: DocumentKind.LETTER,
    TemplateKind.ORDER: DocumentKind.ORDER,
    TemplateKind.EXECUTIVE_DECISION: DocumentKind.DECISION,
    TemplateKind.COUNCIL_DECISION: DocumentKind.DECISION,
    TemplateKind.MEMO: DocumentKind.MEMO,
}

# Journals a document of each template kind is registered in (its draft's target journal).
JOURNAL_KINDS = {
    TemplateKind.LETTER: (JournalKind.OUTGOING,),
    TemplateKind.ORDER: (JournalKind.ORDERS,),
    TemplateKind.EXECUTIVE_DECISION: (JournalKind.EXECUTIVE_DECISIONS,),
    TemplateKind.COUNCIL_DECISION: (JournalKind.COUNCIL_DECISIONS,),
    TemplateKind.MEMO: (JournalKind.INTERNAL,),
}

# The heading line of the form (назва виду документа, DSTU 4163:2020 п. 5.13); a letter has none.
KIND_TITLES = {
    TemplateKind.LETTER: "",
    TemplateKind.ORDER: _("РОЗПОРЯДЖЕННЯ"),
    TemplateKind.EXECUTIVE_DECISION: _("РІШЕННЯ"),
    TemplateKind.COUNCIL_DECISION: _("РІШЕННЯ"),
    TemplateKind.MEMO: _("СЛУЖБОВА ЗАПИСКА"),
}

# Kinds whose form has the addressee (DSTU 4163:2020 п. 5.18: letters and memos are addressed).
ADDRESSED_KINDS = frozenset({TemplateKind.LETTER, TemplateKind.MEMO})
# Kinds printed on the organisation's blank with the coat of arms (DSTU 4163:2020 п. 5.1, 6.1).
BLANK_KINDS = frozenset({TemplateKind.LETTER, TemplateKind.ORDER, TemplateKind.EXECUTIVE_DECISION,
                         TemplateKind.COUNCIL_DECISION})

# Page layout, DSTU 4163:2020 п. 6.2 (margins, mm), п. 6.6 (font size), п. 6.9 (page numbers on the
# 2nd and further pages, top centre). Times New Roman or a metric-compatible free font.
MARGINS_MM = {"left": 30, "right": 10, "top": 20, "bottom": 20}
FONT_SIZE_PT = 14
SMALL_FONT_SIZE_PT = 12  # executor line and blank requisites (п. 6.6: 8–12 pt for them)
FONT_FAMILIES = ("Times New Roman", "Liberation Serif", "DejaVu Serif")

# What an unregistered draft shows instead of its registration date and index (п. 5.11, 5.12).
BLANK_DATE = "____________"
BLANK_INDEX = "____________"

# The area a signed document keeps free for the visible e-signature stamp, in points: the size of the
# stamp the signer draws (signatures/engine/stamp.py STAMP_WIDTH × STAMP_HEIGHT), under the signature line.
STAMP_AREA_PT = (260, 82)
STAMP_AREA_ID = "signature-stamp"

# Archival and accessible PDF: PDF/A-2u (Unicode text layer) with structure tags, title and lang.
# WeasyPrint writes one conformance identification per file; PDF/UA-1 is the alternative value.
PDF_VARIANT = "pdf/a-2u"

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def template_kind_for(document_kind: str, journal_kind: str = "") -> str:
    """The template that fits a registered card: by its kind, then by its journal."""
    if document_kind in (DocumentKind.ORDER, DocumentKind.DIRECTIVE):
        return TemplateKind.ORDER
    if document_kind == DocumentKind.DECISION or journal_kind in (JournalKind.COUNCIL_DECISIONS,
                                                                   JournalKind.EXECUTIVE_DECISIONS):
        return (TemplateKind.COUNCIL_DECISION if journal_kind == JournalKind.COUNCIL_DECISIONS
                else TemplateKind.EXECUTIVE_DECISION)
    if document_kind == DocumentKind.MEMO or journal_kind == JournalKind.INTERNAL:
        return TemplateKind.MEMO
    return TemplateKind.LETTER
