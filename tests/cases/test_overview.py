"""The counsellor's start page: their own families only, with open correction
requests, goals the family disagrees with, their own drafts and the next talk;
families asking for attention first; statements that do not grow with families."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from portal.cases import corrections, goals_progress
from portal.cases.goals_models import Agreement
from portal.cases.overview import counsellor_overview
from tests.calendar.conftest import t
from tests.conftest import Browserless
from tests.factories import NOW, local
from tests.families.test_query_counts import add_session, statements

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def busy_family(db_session, family, counsellor, make_goal, write_note):
    """Our family: a correction request, a goal it disagrees with, a draft, a talk."""
    member = family.members[0]
    note = write_note(counsellor, family, "Vi talte om skolen.")
    corrections.request_correction(db_session, member, note, "Forkert dato")
    goal = make_goal(family, counsellor, title="Mindre råben")
    goals_progress.add_statement(
        db_session, member, family, goal, words="Nej", agreement=Agreement.DISAGREE
    )
    write_note(counsellor, family, "Kladde", publish=False)
    add_session(db_session, family, counsellor, local(2026, 3, 30, 10))
    db_session.commit()
    return family


def test_the_overview_lists_what_asks_for_attention(
    db_session, busy_family, counsellor, make_known_family, colleague, write_note
):
    quiet = make_known_family("Familien Ro", counsellor=counsellor)
    write_note(colleague, busy_family, "Kollegaens kladde", publish=False)
    rows = counsellor_overview(db_session, counsellor, NOW)
    assert [row.family.display_name for row in rows] == [
        busy_family.display_name,
        "Familien Ro",
    ]
    busy, calm = rows
    assert [r.body for r in busy.correction_requests] == ["Forkert dato"]
    assert [g.title for g in busy.disagreed_goals] == ["Mindre råben"]
    assert [n.draft_body for n in busy.drafts] == ["Kladde"]  # not the colleague's
    assert busy.next_session is not None and busy.needs_attention
    assert calm.family == quiet and not calm.needs_attention
    assert calm.next_session is None


def test_another_counsellors_family_is_not_on_the_overview(
    db_session, busy_family, make_user
):
    stranger = make_user(Role.COUNSELLOR, name="Bo Fremmed")
    assert counsellor_overview(db_session, stranger, NOW) == []


def test_a_counsellor_lands_on_the_overview_with_the_calendar_one_click_away(
    app, client, auth, busy_family, counsellor
):
    response = auth.login(counsellor)
    assert response.headers["Location"] == "/oversigt"
    page = client.get("/oversigt").get_data(as_text=True)
    assert busy_family.display_name in page
    assert 'href="/kalender"' in page
    assert (
        t("The family does not agree with the goal “%(title)s”.", title="Mindre råben")
        in page
    )
    assert "Kladde" not in page  # the draft is named by kind and date, not its text


def test_families_and_leaders_cannot_open_it(client, auth, busy_family, make_user):
    auth.login(make_user(Role.LEADER))
    assert client.get("/oversigt").status_code == 403


def test_statements_do_not_grow_with_families(
    app, db_session, busy_family, counsellor, make_known_family, make_goal
):
    browser = Browserless(app.test_client(), db_session)
    browser.login(counsellor)
    few = statements(app, db_session, browser.client, "/oversigt")
    counsellor = db_session.merge(counsellor)  # the request closed the session
    for n in range(5):
        more = make_known_family(f"Familien {n}", counsellor=counsellor)
        make_goal(more, counsellor, title=f"Mål {n}")
        add_session(db_session, more, counsellor, local(2026, 4, 1 + n, 10))
    db_session.commit()
    assert statements(app, db_session, browser.client, "/oversigt") == few
