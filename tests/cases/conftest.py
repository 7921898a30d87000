"""The cases tests share the families fixtures (the known family, its
counsellor) and add a goal factory."""

from __future__ import annotations

from datetime import date

import pytest

from portal.cases import goals, goals_progress
from portal.cases.interventions_types import ensure_types
from tests.families.conftest import FAMILY, counsellor, family, oidc_issuer  # noqa: F401


@pytest.fixture
def make_goal(db_session):
    """A goal of the family ``of`` by ``by`` with (day, score) ``scores``; committed."""

    def make(of, by, title="Mindre råben", scores=(), child=None, **text):
        goal = goals.create_goal(
            db_session,
            by,
            of,
            goals.GoalText(
                title=title,
                change=text.get("change", "Vi taler roligt sammen."),
                why=text.get("why", "Der er mange skænderier."),
                how_we_know=text.get("how_we_know", "Færre skænderier om ugen."),
                target_date=text.get("target_date", date(2026, 6, 30)),
                child=child,
            ),
        )
        for day, score in scores:
            goals_progress.add_score(
                db_session, by, of, goal, score=score, scored_on=day
            )
        db_session.commit()
        return goal

    return make


@pytest.fixture
def types(db_session):
    """The seeded intervention types (the tests' database has no migrations)."""
    ensure_types(db_session)
    db_session.commit()
