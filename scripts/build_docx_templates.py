#!/usr/bin/env python
"""Build the DOCX templates of ``ratusha.registry.generation`` (docxtpl/Jinja tags inside) with python-docx.

    .venv/bin/python scripts/build_docx_templates.py

Writes ``src/ratusha/registry/generation/docx_templates/<kind>.docx`` — commit the result. The layout
follows DSTU 4163:2020 like the HTML (PDF) templates: A4, margins 30/10/20/20 mm, Times New Roman 14,
page numbers from the 2nd page at the top centre, the blank with a coat-of-arms placeholder, the
registration line, addressee, heading, text, signature block and the executor at the bottom of the
last page (a text frame anchored to the bottom margin).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "ratusha" / "registry" / "generation" / "docx_templates"
FONT = "Times New Roman"
SIZE = Pt(14)
SMALL = Pt(12)
TINY = Pt(10)
KINDS = ("letter", "order", "executive_decision", "council_decision", "memo")
TEXT_WIDTH_MM = 210 - 30 - 10


def arms_png() -> bytes:
    """A coat-of-arms placeholder (shield) as PNG; replace the picture in Word with the real arms."""
    from PIL import Image, ImageDraw

    scale = 4
    w, h = 120 * scale, 170 * scale
    img = Image.new("RGBA", (w, h), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)

    def shield(inset: int) -> list[tuple[float, float]]:
        left, right, top = (6 + inset) * scale, (114 - inset) * scale, (6 + inset) * scale
        points = [(left, top), (right, top), (right, (112 - inset / 2) * scale)]
        bottom = (166 - inset * 1.2) * scale
        steps = 24
        for i in range(1, steps + 1):  # the rounded point of the shield
            t = i / steps
            x = right + (w / 2 - right) * t
            y = (112 - inset / 2) * scale + (bottom - (112 - inset / 2) * scale) * (t ** 0.6)
            points.append((x, y))
        for i in range(steps - 1, -1, -1):
            t = i / steps
            x = left + (w / 2 - left) * t
            y = (112 - inset / 2) * scale + (bottom - (112 - inset / 2) * scale) * (t ** 0.6)
            points.append((x, y))
        return points

    draw.polygon(shield(0), fill=(184, 134, 11, 255))
    draw.polygon(shield(4), fill=(0, 87, 183, 255))
    gold = (255, 215, 0, 255)
    s = scale
    draw.polygon([(60 * s, 34 * s), (68 * s, 58 * s), (68 * s, 112 * s), (60 * s, 124 * s), (52 * s, 112 * s),
                  (52 * s, 58 * s)], fill=gold)
    draw.polygon([(30 * s, 50 * s), (38 * s, 50 * s), (40 * s, 104 * s), (52 * s, 112 * s), (48 * s, 120 * s),
                  (34 * s, 110 * s)], fill=gold)
    draw.polygon([(90 * s, 50 * s), (82 * s, 50 * s), (80 * s, 104 * s), (68 * s, 112 * s), (72 * s, 120 * s),
                  (86 * s, 110 * s)], fill=gold)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def set_font(style_or_run, size=SIZE, bold: bool | None = None) -> None:
    font = style_or_run.font
    font.name = FONT
    font.size = size
    if bold is not None:
        font.bold = bold
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def paragraph(container, text: str = "", *, align=None, bold: bool = False, size=SIZE, space_after=0,
              first_indent=None, right_indent=None, caps: bool = False, spacing: float | None = None):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    if align is not None:
        p.alignment = align
    if first_indent is not None:
        fmt.first_line_indent = first_indent
    if right_indent is not None:
        fmt.right_indent = right_indent
    if text:
        run = p.add_run(text)
        set_font(run, size=size, bold=bold)
        if caps:
            run.font.all_caps = True
        if spacing is not None:
            rpr = run._element.get_or_add_rPr()
            el = OxmlElement("w:spacing")
            el.set(qn("w:val"), str(int(spacing)))
            rpr.append(el)
    return p


def tag(container, text: str) -> None:
    """A paragraph holding only a docxtpl ``{%p … %}`` tag (removed when rendered)."""
    p = container.add_paragraph()
    p.add_run(text)


def first_cell_paragraph(cell):
    """Cells start with one empty paragraph; remove it so ``paragraph(cell, …)`` is the first."""
    for p in list(cell.paragraphs):
        p._element.getparent().remove(p._element)
    return cell


def bottom_rule(p) -> None:
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "thinThickSmallGap"), ("w:sz", "12"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def page_number_header(section) -> None:
    """PAGE field, top centre, on every page but the first (DSTU 4163:2020 п. 6.9)."""
    section.different_first_page_header_footer = True
    header = section.header
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    set_font(run, size=SMALL)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def table(doc, cols: int, widths_mm: list[float]):
    t = doc.add_table(rows=1, cols=cols)
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    t.autofit = False
    for cell, width in zip(t.rows[0].cells, widths_mm, strict=True):
        cell.width = Mm(width)
        first_cell_paragraph(cell)
    return t


def blank(doc, *, details: bool) -> None:
    p = paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=3)
    p.add_run().add_picture(io.BytesIO(arms_png()), width=Mm(12), height=Mm(17))
    tag(doc, "{%p if subordinate_to %}")
    paragraph(doc, "{{ subordinate_to }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=SMALL)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for line in blank_lines %}")
    paragraph(doc, "{{ line }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    tag(doc, "{%p endfor %}")
    if details:
        paragraph(doc, "{{ org_details }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=TINY)
        rule = paragraph(doc, "{{ org_edrpou }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=TINY, space_after=12)
        bottom_rule(rule)
    tag(doc, "{%p if kind_title %}")
    paragraph(doc, "{{ kind_title }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=Pt(16), space_after=12)
    tag(doc, "{%p endif %}")


def addressee_cell(cell) -> None:
    tag(cell, "{%p for line in addressee %}")
    paragraph(cell, "{{ line }}")
    tag(cell, "{%p endfor %}")


def regline(doc, *, place: bool) -> None:
    if place:
        t = table(doc, 3, [TEXT_WIDTH_MM / 3] * 3)
        cells = t.rows[0].cells
        paragraph(cells[0], "{{ date_text }}")
        paragraph(cells[1], "{{ place }}", align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph(cells[2], "№ {{ index_text }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    else:
        t = table(doc, 2, [TEXT_WIDTH_MM / 2] * 2)
        cells = t.rows[0].cells
        paragraph(cells[0], "{{ date_text }}")
        paragraph(cells[1], "№ {{ index_text }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(doc, space_after=6)


def body(doc) -> None:
    """Heading, text, signature block, executor (shared by all kinds)."""
    tag(doc, "{%p if heading %}")
    paragraph(doc, "{{ heading }}", bold=True, right_indent=Mm(TEXT_WIDTH_MM - 100), space_after=12)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for p in paragraphs %}")
    p = paragraph(doc, "{{ p }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_indent=Mm(10), space_after=2)
    p.paragraph_format.line_spacing = 1.15
    tag(doc, "{%p endfor %}")
    paragraph(doc, space_after=24)
    t = table(doc, 3, [95, 35, TEXT_WIDTH_MM - 130])
    cells = t.rows[0].cells
    paragraph(cells[0], "{{ signer_position }}")
    paragraph(cells[1], "")
    paragraph(cells[2], "{{ signer_name or '____________________' }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    tag(doc, "{%p if executor_name or executor_phone %}")
    p = paragraph(doc, "{{ executor_name }}", size=SMALL)
    run = p.add_run()
    run.add_break()
    phone = p.add_run("{{ executor_phone }}")
    set_font(phone, size=SMALL)
    frame = OxmlElement("w:framePr")  # a frame at the bottom of the page where the text ends (the last)
    for key, value in (("w:wrap", "around"), ("w:vAnchor", "margin"), ("w:hAnchor", "margin"),
                       ("w:yAlign", "bottom"), ("w:xAlign", "left"), ("w:w", str(int(TEXT_WIDTH_MM / 25.4 * 1440)))):
        frame.set(qn(key), value)
    p._p.get_or_add_pPr().insert(0, frame)
    tag(doc, "{%p endif %}")


def build(kind: str) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance = Mm(8)
    normal = doc.styles["Normal"]
    set_font(normal)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "uk-UA")
    normal.element.get_or_add_rPr().append(lang)
    page_number_header(section)

    if kind == "letter":
        blank(doc, details=True)
        t = table(doc, 2, [TEXT_WIDTH_MM / 2] * 2)
        refs, addressee = t.rows[0].cells
        paragraph(refs, "{{ date_text }} № {{ index_text }}", space_after=6)
        paragraph(refs, "На № {{ answer_index_text }} від {{ answer_date_text }}")
        addressee_cell(addressee)
        paragraph(doc, space_after=12)
    elif kind == "memo":
        t = table(doc, 2, [TEXT_WIDTH_MM / 2] * 2)
        unit, addressee = t.rows[0].cells
        paragraph(unit, "{{ unit }}", bold=True, caps=True)
        addressee_cell(addressee)
        paragraph(doc, space_after=12)
        paragraph(doc, "{{ kind_title }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=Pt(16), space_after=12)
        regline(doc, place=False)
    else:
        blank(doc, details=False)
        regline(doc, place=True)
    body(doc)
    doc.core_properties.title = "{{ title }}"
    doc.core_properties.language = "uk-UA"
    doc.core_properties.author = "Ratusha"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        path = OUT / f"{kind}.docx"
        path.write_bytes(build(kind))
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
