"""The purge's part in a family's case: when ``families.erasure`` erases a family,
its goals, interventions and notes go too, with every score, version, response
and correction request. Registered on the families' ``ERASERS`` list, since the
purge lives below this package."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.cases.corrections_models import CorrectionRequest
from portal.cases.goals_models import Goal, GoalScore, GoalStatement
from portal.cases.interventions_models import Intervention, intervention_goals
from portal.cases.notes_models import Note, NoteResponse, NoteVersion
from portal.families.models import Family


def erase_case(db_session: Session, family: Family) -> None:
    """Delete the case's rows, the dependent ones first (SQLite may run without
    foreign keys, so no cascade is relied on)."""
    note_ids = select(Note.id).where(Note.family_id == family.id)
    goal_ids = select(Goal.id).where(Goal.family_id == family.id)
    intervention_ids = select(Intervention.id).where(
        Intervention.family_id == family.id
    )
    for statement in (
        delete(CorrectionRequest).where(CorrectionRequest.note_id.in_(note_ids)),
        delete(NoteResponse).where(NoteResponse.note_id.in_(note_ids)),
        delete(NoteVersion).where(NoteVersion.note_id.in_(note_ids)),
        delete(Note).where(Note.family_id == family.id),
        delete(intervention_goals).where(
            intervention_goals.c.intervention_id.in_(intervention_ids)
        ),
        delete(Intervention).where(Intervention.family_id == family.id),
        delete(GoalScore).where(GoalScore.goal_id.in_(goal_ids)),
        delete(GoalStatement).where(GoalStatement.goal_id.in_(goal_ids)),
        delete(Goal).where(Goal.family_id == family.id),
    ):
        db_session.execute(statement.execution_options(synchronize_session=False))
