"""Rendering: HTML templates → PDF (WeasyPrint), DOCX templates → DOCX (docxtpl).

Documents are always rendered in Ukrainian (the language of official documents, Law 2704-VIII),
whatever the language of the page that asked for them.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from django.template import Context, Engine
from django.utils import translation

from ratusha.registry.generation.constants import (
    FONT_FAMILIES,
    FONT_SIZE_PT,
    MARGINS_MM,
    PDF_VARIANT,
    SMALL_FONT_SIZE_PT,
    TemplateKind,
)
from ratusha.registry.generation.context import DocumentContext

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
PDF_TEMPLATES = "generation/pdf"
DOCX_TEMPLATES_DIR = PACKAGE_DIR / "docx_templates"
DOCUMENT_LANGUAGE = "uk"


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    docx: bytes
    title: str
    filename: str  # without the extension: «Лист_01-11-5_від_12.03.2026»

    @property
    def pdf_name(self) -> str:
        return f"{self.filename}.pdf"

    @property
    def docx_name(self) -> str:
        return f"{self.filename}.docx"


@cache
def _engine() -> Engine:
    """A template engine of its own: the PDF templates are not pages of the site."""
    return Engine(dirs=[str(TEMPLATES_DIR)], app_dirs=False, autoescape=True,
                  libraries={"i18n": "django.templatetags.i18n"})


@cache
def _arms_uri() -> str:
    svg = (TEMPLATES_DIR / PDF_TEMPLATES / "arms.svg").read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _css() -> str:
    fonts = ", ".join(f"'{f}'" for f in FONT_FAMILIES) + ", serif"
    template = _engine().get_template(f"{PDF_TEMPLATES}/document.css")
    return template.render(Context({"margins": MARGINS_MM, "fonts": fonts, "size": FONT_SIZE_PT,
                                    "small": SMALL_FONT_SIZE_PT}, autoescape=False))


def render_html(context: DocumentContext) -> str:
    """The HTML that WeasyPrint turns into the PDF (also handy to look at in a browser)."""
    kind = TemplateKind(context.kind)
    with translation.override(DOCUMENT_LANGUAGE):
        values: dict[str, Any] = context.as_template_dict()
        values.update(css=_css(), arms_uri=_arms_uri())
        return _engine().get_template(f"{PDF_TEMPLATES}/{kind.value}.html").render(Context(values))


def render_pdf(context: DocumentContext) -> bytes:
    """A tagged PDF/A-2u with embedded fonts, title and language (PDF_VARIANT)."""
    from weasyprint import HTML

    html = render_html(context)
    return HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)


def render_docx(context: DocumentContext) -> bytes:
    """The editable DOCX from ``docx_templates/<kind>.docx`` (built by scripts/build_docx_templates.py)."""
    from docxtpl import DocxTemplate

    kind = TemplateKind(context.kind)
    template = DocxTemplate(str(DOCX_TEMPLATES_DIR / f"{kind.value}.docx"))
    with translation.override(DOCUMENT_LANGUAGE):
        values = context.as_template_dict()
    template.render(values, autoescape=True)
    template.core_properties.title = values["title"][:250]
    template.core_properties.language = DOCUMENT_LANGUAGE
    template.core_properties.author = values["org_name"][:250]
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def file_stem(context: DocumentContext) -> str:
    with translation.override(DOCUMENT_LANGUAGE):
        parts = [context.kind_label]
        if context.is_registered:
            parts += [f"№ {context.reg_index}", f"від {context.date_text}"]
        else:
            parts.append("проєкт")
            if context.heading:
                parts.append(context.heading[:60])
    stem = " ".join(parts)
    stem = re.sub(r"[\\/:*?\"<>|]+", "-", stem)
    return "_".join(stem.split())[:120]


def document_render(*, kind: str, context: DocumentContext) -> RenderedDocument:
    """Both renditions of one document of ``kind`` (a ``TemplateKind`` value)."""
    context = replace(context, kind=TemplateKind(kind).value)
    with translation.override(DOCUMENT_LANGUAGE):
        title = context.title
    return RenderedDocument(pdf=render_pdf(context), docx=render_docx(context), title=title,
                            filename=file_stem(context))
