"""The purge that erases a closed family erases its case too: goals with scores
and words, interventions, notes with versions, responses and correction
requests. Another family's case stays."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.accounts.models import Role
from portal.cases import goals_progress
from portal.cases.corrections_models import CorrectionRequest
from portal.cases.goals_models import Agreement, Goal, GoalScore, GoalStatement
from portal.cases.interventions_models import Intervention, intervention_goals
from portal.cases.interventions_types import add_type
from portal.cases.notes_models import Note, NoteResponse, NoteVersion
from portal.families import erasure
from tests.cases.test_export import write_case
from tests.families.test_purge import CLOSED, close

CASE_TABLES = {
    "goals": Goal.__table__,
    "scores": GoalScore.__table__,
    "words": GoalStatement.__table__,
    "interventions": Intervention.__table__,
    "intervention goals": intervention_goals,
    "notes": Note.__table__,
    "versions": NoteVersion.__table__,
    "responses": NoteResponse.__table__,
    "correction requests": CorrectionRequest.__table__,
}


def rows(db_session) -> dict[str, int]:
    return {
        name: db_session.scalar(select(func.count()).select_from(table))
        for name, table in CASE_TABLES.items()
    }


def test_erasing_a_family_erases_its_case_and_no_other(
    db_session, clock, make_user, make_known_family, make_goal, write_note
):
    kind = add_type(db_session, "Familiebehandling")
    families = []
    for name in ("Familien Jensen", "Familien Bech"):
        counsellor = make_user(Role.COUNSELLOR)
        family = make_known_family(name, counsellor=counsellor)
        write_case(db_session, family, counsellor, kind, make_goal, write_note, name)
        [goal] = db_session.scalars(select(Goal).where(Goal.family_id == family.id))
        goals_progress.add_statement(
            db_session,
            family.members[0],
            family,
            goal,
            words="Vi er enige.",
            agreement=Agreement.AGREE,
        )
        families.append(family)
    db_session.commit()
    jensen, bech = families
    before = rows(db_session)
    assert all(count >= 2 for count in before.values()), before
    close(db_session, jensen, CLOSED)
    clock.shift(timedelta(seconds=1))

    assert erasure.erase_closed_families(db_session) == 1
    db_session.commit()

    assert rows(db_session) == {name: count // 2 for name, count in before.items()}
    assert set(db_session.scalars(select(Note.family_id))) == {bech.id}
    assert set(db_session.scalars(select(Goal.family_id))) == {bech.id}
