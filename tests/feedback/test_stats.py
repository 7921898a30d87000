"""The leader's statistics: never a group under five answers, also not by
subtracting the shown groups from the total; the CSV equals the page; no free
text; a constant number of queries."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest

from portal.feedback.stats import rating_table
from tests.families.test_query_counts import statements

pytestmark = pytest.mark.usefixtures("clock")


def shown(table):
    return {g.key: g.answers for g in table.groups if not g.hidden}


def test_four_answers_are_hidden_and_five_shown(db_session, add_ratings):
    add_ratings(5, mode="centre")
    add_ratings(4, mode="phone")
    add_ratings(4, mode="home")
    table = rating_table(db_session, "mode")
    assert shown(table) == {"centre": 5}
    assert table.total.answers == 13


def test_a_lone_small_group_cannot_be_found_by_subtracting_from_the_total(
    db_session, add_ratings
):
    """Total 15 minus the shown 11 would give the 4 phone answers' scores: the
    next smallest group is hidden with it, so the hidden answers are 9."""
    add_ratings(5, mode="centre")
    add_ratings(4, mode="phone", overall=1)
    add_ratings(6, mode="video")
    table = rating_table(db_session, "mode")
    hidden = sum(g.answers for g in table.groups if g.hidden)
    assert hidden == 0 or hidden >= 5
    shown_sum = sum(g.answers for g in table.groups if not g.hidden)
    assert table.total.answers - shown_sum >= 5


def test_hidden_groups_together_under_five_hide_more(db_session, add_ratings):
    add_ratings(1, mode="phone")
    add_ratings(2, mode="home")
    add_ratings(5, mode="centre")
    add_ratings(7, mode="video")
    table = rating_table(db_session, "mode")
    assert shown(table) == {"video": 7}


def test_under_five_answers_in_all_shows_nothing(db_session, add_ratings):
    add_ratings(4)
    table = rating_table(db_session, "month")
    assert table.total is None and shown(table) == {}


def test_every_dimension_keeps_the_rule(db_session, add_ratings):
    add_ratings(5, month="2026-02", mode="phone")
    add_ratings(3, month="2026-03", mode="video")
    for dimension in ("month", "mode", "topic", "counsellor", "intervention"):
        table = rating_table(db_session, dimension)
        for group in table.groups:
            assert group.hidden or group.answers >= 5, (dimension, group)
        hidden = sum(g.answers for g in table.groups if g.hidden)
        assert hidden == 0 or hidden >= 5, dimension


def page_cells(html: str) -> list[list[str]]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.parametrize("dimension", ["month", "mode", "counsellor"])
def test_the_csv_equals_the_page(leader_client, add_ratings, dimension):
    add_ratings(5, mode="centre", month="2026-02")
    add_ratings(4, mode="phone")
    add_ratings(6, mode="video")
    page = leader_client.get(f"/leder/vurderinger?efter={dimension}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Hemmelig" not in html
    exported = leader_client.get(f"/leder/vurderinger.csv?efter={dimension}")
    text = exported.get_data(as_text=True)
    assert "Hemmelig" not in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1:] == page_cells(html)
    if dimension == "mode":
        assert ["I telefonen", "Skjult: færre end 5 svar", *[""] * 8] in rows


def test_only_leaders_open_the_statistics(client, auth, counsellor):
    auth.login(counsellor)
    assert client.get("/leder/vurderinger").status_code == 403
    assert client.get("/leder/vurderinger.csv").status_code == 403


def test_statements_do_not_grow_with_ratings(
    app, db_session, leader_client, add_ratings
):
    add_ratings(5)
    few = statements(app, db_session, leader_client, "/leder/vurderinger?efter=mode")
    add_ratings(20, mode="phone", month="2026-04")
    assert (
        statements(app, db_session, leader_client, "/leder/vurderinger?efter=mode")
        == few
    )


def test_the_csv_opens_safely_in_danish_excel(
    leader_client, add_ratings, counsellor, db_session
):
    """A counsellor's name is a cell a spreadsheet could read as a formula: it
    gets a leading apostrophe, as in the family's access-log CSV."""
    counsellor.name = '=HYPERLINK("http://x")'
    db_session.commit()
    add_ratings(5)
    body = leader_client.get("/leder/vurderinger.csv?efter=counsellor").get_data()
    text = body.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte order mark"
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    for cell in (cell for row in rows for cell in row):
        assert not cell.startswith(("=", "+", "@")), cell
