"""Checks of a signed final PDF shared by the service and browser tests: its text (pdftotext), the stamp's
rectangle (the signature field's widget /Rect) against every word's box (pdftotext -bbox)."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

from tests.factories import JournalFactory

DRAFT_MARKERS = ("ПРОЄКТ", "Проєкт", "проєкт", "(підпис після погодження)", "____")


def decision_journal(org):
    return JournalFactory(organisation=org, kind="executive_decisions", name="Рішення виконавчого комітету",
                          index_template="{seq}")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout


def word_boxes(path: Path) -> list[tuple[int, str, tuple[float, float, float, float]]]:
    """(page 0-based, word, (x1, y1, x2, y2) in PDF points, origin bottom left) of every word."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    words = []
    pages = re.split(r"<page ", html)[1:]
    for number, chunk in enumerate(pages):
        height = float(re.search(r'height="([\d.]+)"', chunk).group(1))
        for x1, y1, x2, y2, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', chunk):
            words.append((number, word, (float(x1), height - float(y2), float(x2), height - float(y1))))
    return words


def stamp_rects(data: bytes) -> list[tuple[int, tuple[float, float, float, float]]]:
    """(page 0-based, /Rect) of every signature field's widget that has a visible size."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    found = []
    for number, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/FT") != "/Sig" and annot.get("/Parent", {}).get("/FT") != "/Sig":
                continue
            x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
            if abs(x2 - x1) > 1 and abs(y2 - y1) > 1:
                found.append((number, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))))
    return found


def without_annotations(path: Path, data: bytes) -> Path:
    """A copy of the pages' own content (pdftotext also reads the stamp's text from its annotation)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page)
    writer.remove_annotations(subtypes=None)
    out = path.with_name(path.stem + "-content.pdf")
    with out.open("wb") as handle:
        writer.write(handle)
    return out


def has_number(text: str, index: str) -> bool:
    return re.search(r"№\s*" + re.escape(index) + r"(\s|$)", text) is not None


def covered_words(path: Path, data: bytes) -> list[str]:
    """Words of the pages' content under any stamp (empty: the stamps cover no text); fails when there
    is no visible stamp."""
    rects = stamp_rects(data)
    assert rects, "the signed PDF has no visible stamp"
    words = word_boxes(without_annotations(path, data))
    assert words, "no text found on the pages"
    covered = []
    for page, (x1, y1, x2, y2) in rects:
        for number, word, (a, b, c, d) in words:
            if number == page and a < x2 and x1 < c and b < y2 and y1 < d:
                covered.append(word)
    return covered
