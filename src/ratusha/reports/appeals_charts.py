"""The appeals statistics' chart: one stacked bar per classifier section — considered, in work, overdue.

Drawn by the shared ``reports/includes/chart.svg`` with the geometry of ``reports.charts``; the segments
reuse its colour classes (green = done, grey = in progress, red = overdue), so no style is added.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusha.reports.appeals_selectors import NOT_GIVEN, AppealsReport
from ratusha.reports.charts import (
    BAR_LEFT,
    BAR_WIDTH,
    MIN_LABELLED_WIDTH,
    ROW_HEIGHT,
    TOP,
    Bar,
    Chart,
    Segment,
)
from ratusha.reports.charts import _shorten as shorten

# (state, colour class of chart.svg / reports.css, legend label)
STATES = (("considered", "on_time", gettext_lazy("Розглянуто")),
          ("in_work", "in_progress", gettext_lazy("На розгляді")),
          ("overdue", "overdue", gettext_lazy("Прострочено")))


def legend() -> list[tuple[str, str]]:
    return [(css, str(label)) for _state, css, label in STATES]


def topics_chart(report: AppealsReport) -> Chart:
    rows = [r for r in report.dimension("topic").rows if r.depth == 0 and r.count]
    peak = max((r.count for r in rows), default=0)
    scale = BAR_WIDTH / peak if peak else 0.0
    bars = []
    for index, row in enumerate(rows):
        label = row.label if row.key != NOT_GIVEN else _("Не визначено")
        segments, x = [], float(BAR_LEFT)
        for state, css, state_label in STATES:
            value = row.states.get(state, 0)
            if not value:
                continue
            width = round(value * scale, 1)
            segments.append(Segment(css, str(state_label), value, round(x, 1), width, width >= MIN_LABELLED_WIDTH))
            x += width
        bars.append(Bar(label=shorten(label), full_label=label, y=TOP + index * ROW_HEIGHT, total=row.count,
                        segments=segments))
    return Chart(bars=bars, height=TOP * 2 + len(bars) * ROW_HEIGHT,
                 title=_("Звернення за тематикою"),
                 description=_("Горизонтальні стовпчики для кожного розділу класифікатора складаються з частин: "
                               "розглянуто, на розгляді, прострочено. Точні числа наведено в таблиці «Тематика»."))
