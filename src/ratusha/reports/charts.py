"""Geometry of the server-rendered SVG chart: one stacked horizontal bar per unit.

No JavaScript and no inline styles (CSP): the template draws ``<rect>``/``<text>`` with these numbers as
presentation attributes and colours from CSS classes in ``reports/static/reports/reports.css``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ratusha.reports.constants import Figure
from ratusha.reports.selectors import Counts, ExecutionReport

WIDTH = 760
LABEL_RIGHT = 246  # labels end here (text-anchor="end")
BAR_LEFT = 256
BAR_WIDTH = 430
ROW_HEIGHT = 32
BAR_HEIGHT = 20
TOP = 6
LABEL_CHARS = 34
MIN_LABELLED_WIDTH = 26  # a segment this wide shows its number inside


@dataclass
class Segment:
    figure: str
    label: str
    value: int
    x: float
    width: float
    show_value: bool

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass
class Bar:
    label: str
    full_label: str
    y: float
    total: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2

    @property
    def total_x(self) -> float:
        return BAR_LEFT + sum(s.width for s in self.segments) + 6


@dataclass
class Chart:
    bars: list[Bar]
    width: int = WIDTH
    height: int = 0
    bar_height: int = BAR_HEIGHT
    label_right: int = LABEL_RIGHT
    bar_left: int = BAR_LEFT
    # The SVG's <title>/<desc>; empty: the execution report's (the template's default).
    title: str = ""
    description: str = ""


def _shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _segments(counts: Counts, scale: float) -> list[Segment]:
    out: list[Segment] = []
    x = float(BAR_LEFT)
    for figure in Figure:
        value = getattr(counts, figure.value)
        if not value:
            continue
        width = round(value * scale, 1)
        out.append(Segment(figure.value, str(figure.label), value, round(x, 1), width,
                           width >= MIN_LABELLED_WIDTH))
        x += width
    return out


def execution_chart(report: ExecutionReport) -> Chart:
    """Bars for the report's unit groups (their subtotals, incl. sub-units), in the table's order."""
    groups = [g for g in report.groups if g.subtotal.total]
    peak = max((g.subtotal.total for g in groups), default=0)
    scale = BAR_WIDTH / peak if peak else 0.0
    bars = []
    for index, group in enumerate(groups):
        name = group.unit.name if group.unit is not None else _("Без підрозділу")
        label = "— " * group.depth + name
        bars.append(Bar(label=_shorten(label), full_label=name, y=TOP + index * ROW_HEIGHT,
                        total=group.subtotal.total, segments=_segments(group.subtotal, scale)))
    return Chart(bars=bars, height=TOP * 2 + len(bars) * ROW_HEIGHT)
