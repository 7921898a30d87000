"""The goal pages over HTTP: who may do what (an assigned counsellor writes
goals, a leader reads, a member scores and writes their words but never the
goal's text), another family's goal is 404, and the forms' validation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts.models import Role
from portal.audit import AuditEvent
from portal.cases.goals_models import Goal, GoalScore, GoalStatement
from tests.conftest import Browserless

pytestmark = pytest.mark.usefixtures("clock")

GOAL_FORM = {
    "child": "",
    "title": "Ro ved sengetid",
    "change": "Børnene sover kl. 20.",
    "why": "Emma er træt i skolen.",
    "how_we_know": "Emma sover 10 timer.",
    "target_date": "2026-06-01",
}


@pytest.fixture
def staff(app, db_session):
    def log_in(user):
        browser = Browserless(app.test_client(), db_session)
        browser.login(user)
        return browser

    return log_in


def test_a_counsellor_writes_a_goal_for_a_child_and_it_is_audited(
    db_session, staff, family, counsellor
):
    browser = staff(counsellor)
    base = f"/familier/{family.public_id}/maal"
    emma = family.children[0]
    response = browser.post_form(f"{base}/ny", {**GOAL_FORM, "child": emma.public_id})
    assert response.status_code == 302, response.get_data(as_text=True)
    goal = db_session.scalar(select(Goal))
    assert goal.child_id == emma.id and goal.why == "Emma er træt i skolen."
    assert db_session.scalar(
        select(AuditEvent).where(AuditEvent.object_id == goal.public_id)
    )
    assert "Ro ved sengetid" in browser.client.get(base).get_data(as_text=True)


def test_stopping_a_goal_without_a_reason_is_refused(
    db_session, staff, family, counsellor, make_goal
):
    goal = make_goal(family, counsellor)
    url = f"/familier/{family.public_id}/maal/{goal.public_id}"
    browser = staff(counsellor)
    response = browser.post_form(url, {**GOAL_FORM, "status": "stopped"})
    assert response.status_code == 400
    assert "Skriv hvorfor" in response.get_data(as_text=True)
    response = browser.post_form(
        url, {**GOAL_FORM, "status": "stopped", "status_reason": "Flyttet"}
    )
    assert response.status_code == 302
    db_session.refresh(goal)
    assert goal.status == "stopped" and goal.title == "Ro ved sengetid"


def test_a_leader_reads_but_may_not_change(
    app, db_session, staff, make_user, family, counsellor, make_goal
):
    goal = make_goal(family, counsellor)
    browser = staff(make_user(Role.LEADER, name="Lone Leder"))
    base = f"/familier/{family.public_id}/maal"
    reason = f"/familier/{family.public_id}/begrundelse"
    assert browser.post_form(reason, {"reason": "Tilsyn"}).status_code == 302
    assert browser.client.get(base).status_code == 200
    token_page = f"/familier/{family.public_id}"
    for url in (
        f"{base}/ny",
        f"{base}/{goal.public_id}",
        f"{base}/{goal.public_id}/score",
    ):
        assert browser.client.get(url).status_code == 403
        response = browser.post_form(url, {**GOAL_FORM, "score": "5"}, page=token_page)
        assert response.status_code == 403
    assert db_session.scalar(select(GoalScore)) is None


def test_another_familys_goal_is_not_found(
    db_session, staff, auth, client, family, counsellor, make_goal, make_known_family
):
    other = make_known_family("Familien Bech", counsellor=counsellor)
    goal = make_goal(other, counsellor, title="Bechs mål")
    browser = staff(counsellor)
    for url in (
        f"/familier/{family.public_id}/maal/{goal.public_id}",
        f"/familier/{family.public_id}/maal/{goal.public_id}/score",
    ):
        response = browser.client.get(url)
        assert response.status_code == 404
        assert "Bechs mål" not in response.get_data(as_text=True)
    auth.login(family.members[0])
    for url in (
        f"/familie/maal/{goal.public_id}/score",
        f"/familie/maal/{goal.public_id}/ord",
    ):
        assert client.get(url).status_code == 404
    assert "Bechs mål" not in client.get("/familie/maal").get_data(as_text=True)


def test_a_member_cannot_change_the_counsellors_goal(
    db_session, auth, client, family, counsellor, make_goal
):
    goal = make_goal(family, counsellor)
    auth.login(family.members[0])
    url = f"/familier/{family.public_id}/maal/{goal.public_id}"
    response = auth.post_form(
        url, {**GOAL_FORM, "status": "active"}, page="/familie/maal"
    )
    assert response.status_code == 403
    db_session.refresh(goal)
    assert goal.title == "Mindre råben"


def test_a_member_scores_and_the_form_checks_range_and_date(
    db_session, auth, family, counsellor, make_goal
):
    goal = make_goal(family, counsellor)
    member = family.members[0]
    auth.login(member)
    url = f"/familie/maal/{goal.public_id}/score"
    for score, day in [("11", "2026-03-20"), ("0", "2026-03-20"), ("5", "2026-03-24")]:
        response = auth.post_form(url, {"score": score, "scored_on": day})
        assert response.status_code == 400, (score, day)
    assert "Datoen kan ikke være efter i dag." in response.get_data(as_text=True)
    response = auth.post_form(
        url, {"score": "6", "scored_on": "2026-03-23", "note": "Bedre uge"}
    )
    assert response.status_code == 302
    [score] = db_session.scalars(select(GoalScore)).all()
    assert (score.score, score.author_id, score.note) == (6, member.id, "Bedre uge")


def test_the_familys_disagreement_reaches_the_counsellor(
    db_session, auth, staff, family, counsellor, make_goal
):
    goal = make_goal(family, counsellor)
    auth.login(family.members[0])
    url = f"/familie/maal/{goal.public_id}/ord"
    assert auth.post_form(url, {"words": "Vi råber ikke."}).status_code == 400
    for agreement, words in [("agree", "Fint"), ("disagree", "Vi råber ikke.")]:
        response = auth.post_form(url, {"agreement": agreement, "words": words})
        assert response.status_code == 302
    assert len(db_session.scalars(select(GoalStatement)).all()) == 2
    page = auth.client.get("/familie/maal").get_data(as_text=True)
    assert "Vi råber ikke." in page and "Ikke enig" in page
    html = staff(counsellor).client.get(f"/familier/{family.public_id}/maal")
    html = html.get_data(as_text=True)
    assert "Familien er ikke enig i dette mål." in html and "Tidligere ord" in html
    assert "Fint" in html  # the history stays
