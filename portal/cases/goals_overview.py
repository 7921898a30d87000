"""The goals a family disagrees with, for the counsellor's overview: one
statement for any number of families."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.cases.goals_models import Agreement, Goal, GoalStatement, GoalStatus


def goals_family_disagrees_with(
    db: Session, family_ids: Collection[int]
) -> dict[int, list[Goal]]:
    """For each family (by internal id) the active goals whose newest statement
    from the family says they disagree. Families without any are left out."""
    if not family_ids:
        return {}
    latest = (
        select(GoalStatement.goal_id, func.max(GoalStatement.id).label("statement_id"))
        .join(Goal, Goal.id == GoalStatement.goal_id)
        .where(Goal.family_id.in_(family_ids))
        .group_by(GoalStatement.goal_id)
        .subquery()
    )
    goals = db.scalars(
        select(Goal)
        .join(latest, latest.c.goal_id == Goal.id)
        .join(GoalStatement, GoalStatement.id == latest.c.statement_id)
        .where(
            GoalStatement.agreement == Agreement.DISAGREE,
            Goal.status == GoalStatus.ACTIVE,
        )
        .order_by(Goal.family_id, Goal.target_date, Goal.id)
    )
    found: dict[int, list[Goal]] = {}
    for goal in goals:
        found.setdefault(goal.family_id, []).append(goal)
    return found
