"""Each template renders to a PDF (WeasyPrint) and a DOCX (docxtpl) with the DSTU 4163:2020 requisites,
checked with poppler's own tools (pdftotext, pdffonts, pdfinfo) and python-docx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ratusha.registry.generation import RenderedDocument, TemplateKind, document_render
from tests.registry.generation.conftest import docx_text, flat, pdftotext, run, sample_context, shot

KINDS = [k.value for k in TemplateKind]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[RenderedDocument, Path]]:
    """Every template once (registered, two paragraphs), a long letter and an unregistered memo."""
    out = tmp_path_factory.mktemp("generated")
    cases = {kind: sample_context(kind) for kind in KINDS}
    cases["letter_long"] = sample_context("letter", paragraphs=14)
    cases["memo_draft"] = sample_context("memo", registered=False)
    result = {}
    for name, context in cases.items():
        doc = document_render(kind=context.kind, context=context)
        path = out / f"{name}.pdf"
        path.write_bytes(doc.pdf)
        shot(path, name)
        result[name] = (doc, path)
    return result


def in_order(text: str, parts: list[str]) -> None:
    """Every part occurs in ``text``, each after the previous one."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"«{part}» missing after position {position} in: {text[position:position + 300]!r}"
        position = found + len(part)


def expected_requisites(kind: str) -> list[str]:
    org = ["ЛУЦЬКА МІСЬКА РАДА"]
    if kind == "executive_decision":
        org.append("ВИКОНАВЧИЙ КОМІТЕТ")
    if kind == "letter":
        org += ["м. Луцьк", "Код ЄДРПОУ 26654297"]
    title = {"order": ["РОЗПОРЯДЖЕННЯ"], "executive_decision": ["РІШЕННЯ"], "council_decision": ["РІШЕННЯ"],
             "memo": ["СЛУЖБОВА ЗАПИСКА"], "letter": []}[kind]
    reg = ["12.03.2026", "№ 01-11/25"]
    addressee = ["Директору ТОВ «Шляхбуд»", "Петру ШЕВЧУКУ"] if kind in ("letter", "memo") else []
    if kind == "memo":  # the unit and addressee come first, the name of the form after them
        head = ["Директору ТОВ «Шляхбуд»", "Петру ШЕВЧУКУ", *title, *reg]
    elif kind == "letter":
        head = [*org, *reg, *addressee]
    else:
        head = [*org, *title, *reg]
    return [*head, "Про ремонт тротуару на вулиці Лесі Українки", "1. Відповідно до статті 42",
            "2. Відповідно до статті 42", "Міський голова", "Ігор ПОЛІЩУК", "Олена КОВАЛЕНКО", "(0332) 777-889"]


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_has_the_requisites_in_order(rendered, kind):
    _doc, path = rendered[kind]
    text = flat(pdftotext(path, layout=True))  # as printed: line by line, top to bottom
    in_order(text, expected_requisites(kind))
    if kind in ("order", "executive_decision", "council_decision"):
        assert "м. Луцьк" in text  # the place of issue on the registration line


@pytest.mark.parametrize("kind", KINDS)
def test_docx_opens_and_has_the_same_requisites(rendered, kind):
    doc, _path = rendered[kind]
    text = flat(docx_text(doc.docx))
    in_order(text, expected_requisites(kind))
    assert "{{" not in text and "{%" not in text


def test_executor_line_is_at_the_bottom_of_the_last_page(rendered):
    _doc, path = rendered["letter_long"]
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(path))).group(1))
    assert pages >= 2
    last = pdftotext(path, first=pages, last=pages, layout=True).rstrip().splitlines()
    assert "Олена КОВАЛЕНКО" in last[-2] and "(0332) 777-889" in last[-1]
    signature = next(i for i, line in enumerate(last) if "Ігор ПОЛІЩУК" in line)
    assert signature < len(last) - 3  # a gap: the executor sits at the foot of the page, not under the text
    for page in range(1, pages):
        assert "КОВАЛЕНКО" not in pdftotext(path, first=page, last=page)


def test_page_numbers_from_the_second_page_top_centre(rendered):
    _doc, path = rendered["letter_long"]
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(path))).group(1))
    first = pdftotext(path, first=1, last=1, layout=True).strip().splitlines()
    assert first[0].strip() != "1"  # no number on page 1: it starts with the blank
    for page in range(2, pages + 1):
        lines = [line for line in pdftotext(path, first=page, last=page, layout=True).splitlines() if line.strip()]
        assert lines[0].strip() == str(page)
        width = max(len(line) for line in lines)
        column = lines[0].index(str(page))
        assert width * 0.3 < column < width * 0.7  # centred over the text


def test_fonts_are_embedded_serif_with_unicode(rendered):
    for name, (_doc, path) in rendered.items():
        rows = run("pdffonts", str(path)).splitlines()[2:]
        assert rows, name
        for row in rows:
            cols = row.split()
            assert re.search(r"Times|Liberation-?Serif|DejaVu-?Serif", cols[0]), row
            emb, sub, uni = cols[-5:-2]
            assert (emb, uni) == ("yes", "yes"), row


def test_pdf_is_tagged_titled_archival(rendered):
    doc, path = rendered["letter"]
    info = run("pdfinfo", str(path))
    assert "Tagged:          yes" in info
    assert "Title:           Лист № 01-11/25 від 12.03.2026: Про ремонт тротуару" in info
    meta = run("pdfinfo", "-meta", str(path))
    assert 'pdfaid:part="2"' in meta and 'pdfaid:conformance="U"' in meta  # PDF/A-2u
    import io

    import pypdf

    catalog = pypdf.PdfReader(io.BytesIO(doc.pdf)).trailer["/Root"]
    assert catalog["/Lang"] == "uk"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])


def test_page_size_and_margins(rendered):
    _doc, path = rendered["order"]
    assert "x 841.89 pts (A4)" in run("pdfinfo", str(path))
    # pdftotext -bbox: the text starts 30 mm from the left edge and ends within 10 mm of the right one.
    bbox = run("pdftotext", "-f", "1", "-l", "1", "-bbox", str(path), "-")
    xs = [(float(a), float(b)) for a, b in re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', bbox)]
    mm = 72 / 25.4
    assert min(x for x, _ in xs) == pytest.approx(30 * mm, abs=1.5)
    assert max(x for _, x in xs) <= 595.28 - 10 * mm + 0.5
    ys = [float(y) for y in re.findall(r'yMin="([\d.]+)"', bbox)]
    assert min(ys) >= 20 * mm - 0.5


def test_unregistered_draft_has_blank_date_and_index(rendered):
    doc, path = rendered["memo_draft"]
    text = flat(pdftotext(path))
    assert "____________ № ____________" in text
    assert "12.03.2026" not in text
    assert doc.filename == "Службова_записка_проєкт_Про_ремонт_тротуару_на_вулиці_Лесі_Українки"
    assert "____________ № ____________" in flat(docx_text(doc.docx))


def test_docx_layout_follows_dstu(rendered):
    import io

    import docx
    from docx.shared import Pt

    doc, _path = rendered["letter_long"]
    document = docx.Document(io.BytesIO(doc.docx))
    section = document.sections[0]
    margins = (section.left_margin.mm, section.right_margin.mm, section.top_margin.mm, section.bottom_margin.mm)
    assert margins == pytest.approx((30, 10, 20, 20), abs=0.1)
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    assert document.core_properties.title.startswith("Лист № 01-11/25 від 12.03.2026")
    assert len(document.inline_shapes) == 1  # the coat-of-arms placeholder
