"""A goal's progress drawn on the server as inline SVG: no JavaScript, nothing
fetched, and no ``style`` attribute (the CSP's ``style-src`` covers those in
inline SVG too), only presentation attributes such as ``stroke``.

The drawing is an image with a text alternative (``role="img"`` named by its
``<title>``); the page shows the same numbers as a table beside it. Days run
left to right in proportion to the time between them; scores 1 to 10 run up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 600, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 20, 16, 40
LOWEST, HIGHEST = 1, 10
#: Colours of the DKFDS palette: the line, the grid, the text.
LINE, GRID, INK = "#0059b3", "#bfbfbf", "#1a1a1a"
GRID_SCORES = (1, 5, 10)


def y_of(score: int, lowest: int = LOWEST) -> float:
    """The vertical position of ``score`` (10 at the top, ``lowest`` at the
    bottom)."""
    step = (HEIGHT - TOP - BOTTOM) / (HIGHEST - lowest)
    return round(TOP + (HIGHEST - score) * step, 1)


def x_of(day: date, first: date, last: date) -> float:
    """The horizontal position of ``day`` between the first and the last day;
    a single day is drawn in the middle."""
    span = (last - first).days
    width = WIDTH - LEFT - RIGHT
    if span == 0:
        return round(LEFT + width / 2, 1)
    return round(LEFT + width * (day - first).days / span, 1)


def _text(x: float, y: float, anchor: str, content: str) -> str:
    return (
        f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="13" '
        f'fill="{INK}">{escape(content)}</text>'
    )


def _grid(lowest: int) -> list[str]:
    parts = []
    for score in (lowest, *GRID_SCORES[1:]):
        y = y_of(score, lowest)
        parts.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(LEFT - 8, y + 4, "end", str(score)))
    return parts


def score_chart(
    points: Sequence[tuple[date, int]],
    *,
    chart_id: str,
    title: str,
    first_label: str,
    last_label: str,
    lowest: int = LOWEST,
) -> Markup:
    """The chart of ``points`` (day, score) in order; ``title`` is its text
    alternative, ``first_label`` and ``last_label`` the formatted first and
    last days written under it. Empty ``points``: no chart (the caller says so
    in a sentence). Scores from 0 need ``lowest=0``."""
    if not points:
        return Markup("")
    first, last = points[0][0], points[-1][0]
    xy = [(x_of(day, first, last), y_of(score, lowest)) for day, score in points]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="{escape(chart_id)}" '
        f'focusable="false" class="goal-chart">',
        f'<title id="{escape(chart_id)}">{escape(title)}</title>',
        *_grid(lowest),
    ]
    if len(xy) > 1:
        line = " ".join(f"{x},{y}" for x, y in xy)
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{LINE}" stroke-width="3"/>'
        )
    parts += [
        f'<circle cx="{x}" cy="{y}" r="5" fill="{LINE}" stroke="#ffffff"/>'
        for x, y in xy
    ]
    baseline = HEIGHT - BOTTOM + 24
    if last == first:
        parts.append(_text(xy[0][0], baseline, "middle", first_label))
    else:
        parts.append(_text(LEFT, baseline, "start", first_label))
        parts.append(_text(WIDTH - RIGHT, baseline, "end", last_label))
    parts.append("</svg>")
    # Every text in it went through escape(); the rest are numbers and constants.
    return Markup("".join(parts))  # noqa: S704
