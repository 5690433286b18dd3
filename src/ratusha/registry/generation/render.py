"""Rendering: HTML templates → PDF (WeasyPrint), DOCX templates → DOCX (docxtpl).

Documents are always rendered in Ukrainian (the language of official documents, Law 2704-VIII),
whatever the language of the page that asked for them.
"""

from __future__ import annotations

import base64
import io
import math
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
    STAMP_AREA_ID,
    STAMP_AREA_PT,
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
                                    "small": SMALL_FONT_SIZE_PT,
                                    "stamp": {"width": STAMP_AREA_PT[0], "height": STAMP_AREA_PT[1]}},
                                   autoescape=False))


def render_html(context: DocumentContext) -> str:
    """The HTML that WeasyPrint turns into the PDF (also handy to look at in a browser)."""
    kind = TemplateKind(context.kind)
    with translation.override(DOCUMENT_LANGUAGE):
        values: dict[str, Any] = context.as_template_dict()
        values.update(css=_css(), arms_uri=_arms_uri())
        return _engine().get_template(f"{PDF_TEMPLATES}/{kind.value}.html").render(Context(values))


def render_pdf(context: DocumentContext) -> bytes:
    """A tagged PDF/A-2u with embedded fonts, title and language (PDF_VARIANT)."""
    return render_pdf_placed(context).pdf


@dataclass(frozen=True)
class StampPlacement:
    """Where the stamp goes: a page (0-based) and a box in PDF points, origin bottom left (x1, y1, x2, y2)."""

    page: int
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class PlacedPdf:
    pdf: bytes
    stamp: StampPlacement | None  # the area kept free for the stamp (``context.stamp_area``), else None


PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (96 per inch); PDF points are 72 per inch


def _find_box(box: Any, element_id: str) -> Any:
    element = getattr(box, "element", None)
    if element is not None and element.get("id") == element_id and getattr(box, "element_tag", "") == "div":
        return box
    for child in getattr(box, "children", ()) or ():
        found = _find_box(child, element_id)
        if found is not None:
            return found
    return None


def _stamp_placement(document: Any) -> StampPlacement | None:
    for number, page in enumerate(document.pages):
        box = _find_box(page._page_box, STAMP_AREA_ID)
        if box is None:
            continue
        page_height = page.height * PX_TO_PT
        x1 = box.border_box_x() * PX_TO_PT
        top = box.border_box_y() * PX_TO_PT
        x2 = x1 + box.border_width() * PX_TO_PT
        bottom = top + box.border_height() * PX_TO_PT
        # Rounded inwards: the stamp never reaches outside the kept area.
        return StampPlacement(page=number, box=(math.ceil(x1), math.ceil(page_height - bottom),
                                                math.floor(x2), math.floor(page_height - top)))
    return None


def render_pdf_placed(context: DocumentContext) -> PlacedPdf:
    """The PDF and, when the context keeps a stamp area, where that area is on which page."""
    from weasyprint import HTML

    html = render_html(context)
    options = {"pdf_variant": PDF_VARIANT, "pdf_tags": True}
    document = HTML(string=html, base_url=str(TEMPLATES_DIR)).render(**options)
    placement = _stamp_placement(document) if context.stamp_area else None
    return PlacedPdf(pdf=document.write_pdf(**options), stamp=placement)


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
