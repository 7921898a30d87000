"""The goal and intervention pages run as many SQL statements with 10 goals of
many scores and words as with one goal of one score (no N+1)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.cases import goals_progress, interventions
from portal.cases.goals_models import Agreement
from portal.cases.interventions_models import InterventionStatus, InterventionType
from tests.conftest import Browserless, count_queries

pytestmark = pytest.mark.usefixtures("clock", "types")


def _grow(db_session, family, counsellor, make_goal, count, scores):
    member = family.members[0]
    kind = db_session.query(InterventionType).first()
    for n in range(count):
        start = date(2025, 1, 1)
        goal = make_goal(
            family,
            counsellor,
            title=f"Mål {n}",
            scores=[(start + timedelta(days=7 * k), 1 + k % 10) for k in range(scores)],
            child=family.children[0] if n % 2 else None,
        )
        for agreement in (Agreement.AGREE, Agreement.DISAGREE):
            goals_progress.add_statement(
                db_session, member, family, goal, words="Ord", agreement=agreement
            )
        interventions.create_intervention(
            db_session,
            counsellor,
            family,
            interventions.InterventionText(
                type=kind,
                provider="Lise",
                description="Hjælp",
                starts_on=start,
                ends_on=None,
                status=InterventionStatus.ACTIVE,
                goals=[goal],
            ),
        )
    db_session.commit()


def test_goal_pages_do_not_grow_with_goals_and_scores(
    app, client, db_session, family, counsellor, make_goal
):
    staff = Browserless(app.test_client(), db_session)
    staff.login(counsellor)
    Browserless(client, db_session).login(family.members[0])
    pages = {
        "/familie/maal": client,
        "/familie/indsatser": client,
        f"/familier/{family.public_id}/maal": staff.client,
        f"/familier/{family.public_id}/indsatser": staff.client,
    }

    def counted():
        result = {}
        for path, who in pages.items():
            db_session.close()
            result[path] = count_queries(app, who, path)
        return result

    _grow(db_session, family, counsellor, make_goal, 2, 1)  # one about a child
    small = counted()
    _grow(
        db_session,
        db_session.merge(family),
        db_session.merge(counsellor),
        make_goal,
        8,
        40,
    )
    assert counted() == small
    html = client.get("/familie/maal").get_data(as_text=True)
    assert html.count('class="goal-chart"') == 10
