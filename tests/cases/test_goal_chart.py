"""The goal's chart: well-formed, self-contained SVG without styles, whose points
are the scores, with a text alternative giving the first and latest score; no
chart (a sentence instead) before the first score."""

from __future__ import annotations

import re
from datetime import date

from portal.cases.chart import HIGHEST, LOWEST, score_chart, x_of, y_of
from tests.svg import DRAWING_ELEMENTS, self_contained, title_of

#: A chart draws lines, circles and labels besides the QR codes' shapes.
CHART_ELEMENTS = DRAWING_ELEMENTS | {"line", "polyline", "circle", "text"}
POINTS = [(date(2026, 3, 1), 3), (date(2026, 3, 8), 5), (date(2026, 3, 22), 8)]


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _chart(points=POINTS):
    return score_chart(
        points,
        chart_id="chart-x",
        title="First 3, latest 8",
        first_label="1. mar.",
        last_label="22. mar.",
    )


def test_the_chart_is_well_formed_self_contained_and_unstyled():
    svg = str(_chart())
    root = self_contained(svg, CHART_ELEMENTS)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-x"
    assert "style" not in svg and "<script" not in svg
    assert all("style" not in element.attrib for element in root.iter())


def test_the_points_are_the_scores_in_time():
    root = self_contained(str(_chart()), CHART_ELEMENTS)
    circles = [e for e in root.iter() if _local(e.tag) == "circle"]
    scores = [
        next(s for s in range(LOWEST, HIGHEST + 1) if y_of(s) == float(c.get("cy")))
        for c in circles
    ]
    assert scores == [score for _day, score in POINTS]
    first, last = POINTS[0][0], POINTS[-1][0]
    assert [float(c.get("cx")) for c in circles] == [
        x_of(day, first, last) for day, _score in POINTS
    ]
    # A week apart, then two: the second gap is twice the first.
    xs = [float(c.get("cx")) for c in circles]
    assert abs((xs[2] - xs[1]) - 2 * (xs[1] - xs[0])) < 0.2
    [line] = [e for e in root.iter() if _local(e.tag) == "polyline"]
    assert line.get("points") == " ".join(
        f"{c.get('cx')},{c.get('cy')}" for c in circles
    )


def test_the_title_is_the_text_alternative():
    root = self_contained(str(_chart()), CHART_ELEMENTS)
    assert title_of(root) == "First 3, latest 8"
    [title] = [e for e in root.iter() if _local(e.tag) == "title"]
    assert title.get("id") == root.get("aria-labelledby")


def test_what_the_text_shows_is_escaped():
    svg = str(
        score_chart(
            POINTS,
            chart_id="c",
            title="<script>x</script> & co",
            first_label="<b>",
            last_label="'\"",
        )
    )
    root = self_contained(svg, CHART_ELEMENTS)
    assert title_of(root) == "<script>x</script> & co"


def test_one_score_is_a_point_without_a_line():
    root = self_contained(str(_chart(POINTS[:1])), CHART_ELEMENTS)
    assert not [e for e in root.iter() if _local(e.tag) == "polyline"]
    assert len([e for e in root.iter() if _local(e.tag) == "circle"]) == 1


def test_no_scores_no_chart():
    assert str(_chart([])) == ""


def test_the_goals_page_shows_chart_table_and_text_alternative(
    client, auth, family, counsellor, make_goal
):
    make_goal(family, counsellor, scores=[(d, s) for d, s in POINTS])
    make_goal(family, counsellor, title="Gode morgener")
    auth.login(family.members[0])
    html = client.get("/familie/maal").get_data(as_text=True)
    [svg] = re.findall(r'<svg [^>]*class="goal-chart".*?</svg>', html, re.S)
    title = title_of(self_contained(svg, CHART_ELEMENTS))
    assert "Første tal: 3 af 10" in title and "Seneste tal: 8 af 10" in title
    assert "søndag den 22. marts 2026" in title
    # The same numbers as a table beside it.
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td><td>Anna Andersen", html)
    assert [int(score) for _day, score in rows] == [3, 5, 8]
    # The goal without scores says so instead of drawing.
    assert "Der er ingen tal endnu." in html
