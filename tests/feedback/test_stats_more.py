"""The statistics' distributions and the intervention-type dimension: answers
per score band beside the averages, the same k-anonymity (4 hidden, 5 shown,
no subtraction), and a chart drawn from exactly the rows the table shows."""

from __future__ import annotations

import csv
import io
import re

import pytest

from portal.feedback.family_models import InterventionReview
from portal.feedback.stats import rating_table
from tests.feedback.test_stats import page_cells

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def add_reviews(db_session, family, make_intervention):
    """``n`` answers about ended interventions of type ``kind``."""

    def add(n, *, kind="Familiebehandling", difference=7, helped="Hemmelig"):
        for _ in range(n):
            row = make_intervention(kind=kind)
            db_session.add(
                InterventionReview(
                    intervention_id=row.id,
                    family_id=row.family_id,
                    type_id=row.type_id,
                    difference=difference,
                    helped=helped,
                )
            )
        db_session.commit()

    return add


def shown(table):
    return {g.key: g for g in table.groups if not g.hidden}


def test_answers_are_counted_per_band_of_the_overall_score(db_session, add_ratings):
    add_ratings(2, overall=2)
    add_ratings(1, overall=5)
    add_ratings(3, overall=10)
    [group] = shown(rating_table(db_session, "month")).values()
    assert group.bands == (2, 1, 0, 3)
    assert rating_table(db_session, "month").total.bands == (2, 1, 0, 3)


def test_intervention_types_four_answers_hidden_five_shown(db_session, add_reviews):
    add_reviews(5, kind="Familiebehandling", difference=8)
    add_reviews(4, kind="Skolestøtte", difference=1)
    add_reviews(6, kind="Forældrekursus", difference=3)
    table = rating_table(db_session, "intervention")
    visible = {g.answers for g in shown(table).values()}
    # 4 alone would be found as total - shown: the next smallest (5) hides too.
    assert visible == {6}
    hidden = sum(g.answers for g in table.groups if g.hidden)
    assert hidden >= 5 and table.total.answers == 15


def test_five_answers_of_a_type_are_shown(db_session, add_reviews):
    add_reviews(5, kind="Familiebehandling", difference=9)
    table = rating_table(db_session, "intervention")
    [group] = shown(table).values()
    assert (group.answers, group.averages(), group.bands) == (5, (9.0,), (0, 0, 0, 5))


def test_the_page_and_csv_hide_small_types_and_never_show_words(
    leader_client, add_reviews
):
    add_reviews(4, kind="Skolestøtte")
    add_reviews(1, kind="Forældrekursus")
    add_reviews(5, kind="Familiebehandling")
    html = leader_client.get("/leder/vurderinger?efter=intervention").get_data(
        as_text=True
    )
    cells = page_cells(html)
    assert ["Familiebehandling", "5", "7.0", "0", "0", "5", "0"] in cells
    assert ["Skolestøtte", "Skjult: færre end 5 svar", "", "", "", "", ""] in cells
    assert "Hemmelig" not in html
    exported = leader_client.get("/leder/vurderinger.csv?efter=intervention")
    text = exported.get_data(as_text=True)
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[1:] == cells


def test_the_chart_draws_exactly_the_shown_rows(leader_client, add_ratings):
    add_ratings(5, mode="centre", overall=8)
    add_ratings(6, mode="video", overall=3)
    add_ratings(4, mode="phone", overall=1)
    html = leader_client.get("/leder/vurderinger?efter=mode").get_data(as_text=True)
    chart = re.search(r'<svg[^>]*role="img".*?</svg>', html, re.S).group(0)
    drawn = re.findall(r"<rect[^>]*><title>(.*?): ([\d.]+)</title>", chart)
    table = [(row[0], row[5]) for row in page_cells(html) if row[1].isdigit()]
    assert drawn == table
    assert all("Skjult" not in label for label, _ in drawn)


def test_an_unchanged_table_is_reused_and_a_new_answer_shows_at_once(
    app, db_session, leader_client, add_ratings
):
    from tests.families.test_query_counts import statements

    add_ratings(5, mode="centre")
    path = "/leder/vurderinger?efter=mode"
    first = statements(app, db_session, leader_client, path)
    assert statements(app, db_session, leader_client, path) == first - 1
    add_ratings(5, mode="phone")
    cells = page_cells(leader_client.get(path).get_data(as_text=True))
    assert ["I telefonen", "5"] in [row[:2] for row in cells]
