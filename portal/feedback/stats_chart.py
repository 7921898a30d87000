"""The leader's statistics as a server-drawn SVG: one horizontal bar per shown
group with the average of the banded item ("overall", or "difference in life"),
0 to 10. It is drawn from the very rows the table and the CSV show, so the
picture cannot disagree with them or reveal a hidden group. Like the goal
charts (``portal/cases/chart.py``): no script, no ``style`` attribute, an
image named by its ``<title>``; the table beside it holds the same numbers."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

from portal.cases.chart import GRID, INK, LINE

WIDTH, ROW, TOP = 600, 28, 8
LABEL = 200  # room for the group's name, left of the bars
NUMBER = 40  # room for the average, right of the bars
BARS = WIDTH - LABEL - NUMBER


def bars(rows: Sequence[Sequence[str]], items: int) -> list[tuple[str, float]]:
    """(label, average of the last item) of each shown row: hidden rows have no
    number of answers."""
    return [(row[0], float(row[1 + items])) for row in rows if row[1].isdigit()]


def averages_chart(rows: Sequence[Sequence[str]], items: int, banded: str) -> Markup:
    shown = bars(rows, items)
    if not shown:
        return Markup("")
    height = TOP * 2 + ROW * len(shown)
    title = _(
        "Average of “%(item)s” from 0 to 10 for each group shown in the table.",
        item=banded,
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="stats-chart" focusable="false">',
        f'<title id="stats-chart">{escape(title)}</title>',
        f'<line x1="{LABEL}" y1="0" x2="{LABEL}" y2="{height}" stroke="{GRID}"/>',
    ]
    for index, (label, average) in enumerate(shown):
        y = TOP + index * ROW
        length = round(BARS * average / 10, 1)
        parts += [
            f'<text x="{LABEL - 8}" y="{y + 18}" text-anchor="end" font-size="13" '
            f'fill="{INK}">{escape(label)}</text>',
            f'<rect x="{LABEL}" y="{y + 4}" width="{length}" height="{ROW - 8}" '
            f'fill="{LINE}"><title>{escape(label)}: {average:.1f}</title></rect>',
            f'<text x="{LABEL + length + 6}" y="{y + 18}" font-size="13" '
            f'fill="{INK}">{average:.1f}</text>',
        ]
    parts.append("</svg>")
    # Every text in it went through escape(); the rest are numbers and constants.
    return Markup("".join(parts))  # noqa: S704
