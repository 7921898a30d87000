"""The family's goal and intervention pages read easily in Danish (LIX at most
35, measured on the rendered page): full and empty, and the two forms."""

from __future__ import annotations

from datetime import date

import pytest

from portal.cases import goals_progress, interventions
from portal.cases.goals_models import Agreement
from portal.cases.interventions_models import InterventionStatus, InterventionType
from tests.families.test_plain_language import assert_easy

pytestmark = pytest.mark.usefixtures("clock", "types")


@pytest.fixture
def full(db_session, family, counsellor, make_goal):
    goal = make_goal(
        family,
        counsellor,
        title="Rolige morgener",
        scores=[(date(2026, 3, 2), 3), (date(2026, 3, 16), 6)],
    )
    goals_progress.add_statement(
        db_session,
        family.members[0],
        family,
        goal,
        words="Vi prøver.",
        agreement=Agreement.PARTLY,
    )
    interventions.create_intervention(
        db_session,
        counsellor,
        family,
        interventions.InterventionText(
            type=db_session.query(InterventionType).first(),
            provider="Lise",
            description="Vi mødes hver uge.",
            starts_on=date(2026, 3, 1),
            ends_on=None,
            status=InterventionStatus.ACTIVE,
            goals=[goal],
        ),
    )
    db_session.commit()
    return goal


@pytest.mark.parametrize("path", ["/familie/maal", "/familie/indsatser"])
def test_empty_pages(client, auth, family, path):
    auth.login(family.members[0])
    assert_easy(client.get(path).get_data(as_text=True))


@pytest.mark.parametrize(
    "path", ["/familie/maal", "/familie/indsatser", "score", "ord"]
)
def test_full_pages_and_forms(client, auth, family, full, path):
    auth.login(family.members[0])
    if not path.startswith("/"):
        path = f"/familie/maal/{full.public_id}/{path}"
    response = client.get(path)
    assert response.status_code == 200
    assert_easy(response.get_data(as_text=True))


def test_a_refused_score_reads_easily(client, auth, family, full):
    auth.login(family.members[0])
    response = auth.post_form(
        f"/familie/maal/{full.public_id}/score",
        {"score": "12", "scored_on": "2026-04-01"},
    )
    assert response.status_code == 400
    assert_easy(response.get_data(as_text=True))
