"""Where the visible stamp goes so that it covers no text.

1. A document rendered from a template keeps an area for it (``registry.generation``: the signature block
   has a box of the stamp's size under the signature line); the caller passes that box.
2. Otherwise (an uploaded PDF): the lowest horizontal band of the last page that holds no text and no
   earlier signature's stamp and is tall enough — usually the empty space under the signature line or
   the bottom margin area; the stamp sits at its right end, the place of the signature (DSTU 4163:2020 п. 5.23).
3. No such band and no signature in the file yet: a page is added at the end for the stamp (an added page
   would break the earlier signatures of a co-signed file, so then the signature is made without a stamp,
   still shown in the card and found by its code).

Text is located with pypdf's text visitor (every shown string's position and size); a line is treated
as filling the whole width, which keeps the search simple and on the safe side.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from .stamp import STAMP_HEIGHT, STAMP_WIDTH

MARGIN = 28  # points from the page's edges
GAP = 6  # points kept between the stamp and the nearest text
NEW_PAGE = "new-page"


@dataclass(frozen=True)
class Placement:
    """A page (0-based; -1 is the last) and a box in PDF points (x1, y1, x2, y2, origin bottom left);
    ``page == NEW_PAGE`` asks the signer to add a page at the end and put the box there."""

    page: int | str
    box: tuple[int, int, int, int]


def _page_size(page) -> tuple[float, float, float, float]:
    box = page.mediabox
    return float(box.left), float(box.bottom), float(box.right), float(box.top)


def text_bands(page) -> list[tuple[float, float]]:
    """(bottom, top) of every piece of text shown on ``page``, in PDF points."""
    bands: list[tuple[float, float]] = []

    def visit(text, cm, tm, _font, size) -> None:
        if not (text or "").strip():
            return
        c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
        f = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the baseline's height on the page
        height = abs(float(size or 12)) * (math.hypot(c, d) or 1.0)
        bands.append((f - 0.35 * height, f + 1.05 * height))

    page.extract_text(visitor_text=visit)
    return bands


def widget_boxes(page) -> list[tuple[float, float, float, float]]:
    """Rectangles of the annotations already on the page (earlier signatures' stamps among them)."""
    boxes = []
    for ref in page.get("/Annots") or []:
        try:
            rect = [float(v) for v in ref.get_object()["/Rect"]]
        except Exception:  # noqa: BLE001, S112 - an annotation without a usable /Rect takes no space
            rect = []
        if len(rect) == 4:
            boxes.append(
                (min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3]))
            )
    return boxes


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def free_box(pdf: bytes, *, has_signatures: bool) -> Placement | None:
    """The placement for an uploaded PDF's stamp (see the module's note); None: sign without a stamp."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        page = reader.pages[-1]
        left, bottom, right, top = _page_size(page)
        bands = text_bands(page)
        widgets = widget_boxes(page)
    except Exception:  # noqa: BLE001 - an unreadable page: the signer's own checks report the PDF
        return None if has_signatures else Placement(page=NEW_PAGE, box=_top_box(595, 842))
    if right - left < STAMP_WIDTH + 2 * MARGIN:
        return None if has_signatures else Placement(page=NEW_PAGE, box=_top_box(595, 842))
    for obstacles in (bands, bands + [(w[1], w[3]) for w in widgets]):
        found = _in_free_band(obstacles, widgets, left=left, bottom=bottom, right=right, top=top)
        if found is not None:
            return found
    return None if has_signatures else Placement(page=NEW_PAGE, box=_top_box(right - left, top - bottom))


def _in_free_band(
    obstacles: list[tuple[float, float]],
    widgets: list[tuple[float, float, float, float]],
    *,
    left: float,
    bottom: float,
    right: float,
    top: float,
) -> Placement | None:
    """The free bands between obstacles (text lines; then also earlier stamps), from the bottom up: the
    band above everything (the header's place) counts only on a page without any."""
    floor = bottom + MARGIN / 2
    candidates: list[tuple[float, float]] = []
    for band_bottom, band_top in sorted(obstacles):
        if band_bottom > floor:
            candidates.append((floor, band_bottom))
        floor = max(floor, band_top)
    if not obstacles:
        candidates.append((floor, top - MARGIN))
    for low, high in candidates:
        if high - low < STAMP_HEIGHT + 2 * GAP:
            continue
        # Right under the text above (the signature's place), or at the bottom of an empty page.
        y1 = math.ceil(low + GAP) if not obstacles else math.floor(high - GAP - STAMP_HEIGHT)
        for x1 in (right - MARGIN - STAMP_WIDTH, left + MARGIN):  # the right end first, then the left
            box = (math.ceil(x1), y1, math.ceil(x1) + STAMP_WIDTH, y1 + STAMP_HEIGHT)
            if not any(_overlaps(box, w) for w in widgets):
                return Placement(page=-1, box=box)
    return None


def _top_box(width: float, height: float) -> tuple[int, int, int, int]:
    """The stamp at the top of an added page, at the right margin."""
    x2 = int(width - MARGIN)
    y2 = int(height - MARGIN - 28)
    return (x2 - STAMP_WIDTH, y2 - STAMP_HEIGHT, x2, y2)
