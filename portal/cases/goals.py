"""Goals and their progress: the rules (services flush, the view commits once).

* Counsellors assigned to the family create and change goals (the view opens the
  family ``to_change``, so a leader gets 403); a closed family is read-only.
* A goal is the family's or about one of its current children.
* A stopped goal needs a reason; the other states drop it.

Scores and the family's words: ``goals_progress``.

Staff changes are written to the audit log by the goal's public id, never with
what was typed. Loading a family's goals is a fixed number of statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import Role, User
from portal.audit import AuditAction
from portal.cases.goals_models import (
    Goal,
    GoalScore,
    GoalStatement,
    GoalStatus,
)
from portal.db import utcnow
from portal.families.models import Child, Family
from portal.families.news import tell_members_of_news
from portal.families.records import (
    RecordError,
    check_current_child,
    check_editable,
    record_change,
)


@dataclass
class GoalText:
    """What a counsellor writes about a goal."""

    title: str
    change: str
    why: str
    how_we_know: str
    target_date: date
    child: Child | None = None


def family_goals(family: Family) -> Select[Goal]:
    """The family's goals with their scores, words and authors: one statement
    per collection, however many goals and scores."""
    return (
        select(Goal)
        .where(Goal.family_id == family.id)
        .options(
            selectinload(Goal.child),
            selectinload(Goal.scores).selectinload(GoalScore.author),
            selectinload(Goal.statements).selectinload(GoalStatement.author),
        )
        .order_by(Goal.status != GoalStatus.ACTIVE, Goal.target_date, Goal.id)
    )


def audit_goal(
    db: Session,
    actor: User,
    family: Family,
    action: AuditAction,
    goal: Goal,
    what: str = "",
) -> None:
    if actor.role != Role.FAMILY:
        record_change(db, actor, action, family, "goal", goal.public_id, what)


def _apply(family: Family, goal: Goal, text: GoalText) -> None:
    if text.child is not None:
        check_current_child(family, text.child)
    goal.title, goal.change = text.title.strip(), text.change.strip()
    goal.why, goal.how_we_know = text.why.strip(), text.how_we_know.strip()
    goal.target_date, goal.child = text.target_date, text.child


def create_goal(db: Session, actor: User, family: Family, text: GoalText) -> Goal:
    check_editable(family)
    goal = Goal(family_id=family.id, created_by_id=actor.id)
    _apply(family, goal, text)
    db.add(goal)
    db.flush()
    audit_goal(db, actor, family, AuditAction.CREATE, goal)
    tell_members_of_news(db, family)
    return goal


def update_goal(
    db: Session,
    actor: User,
    family: Family,
    goal: Goal,
    text: GoalText,
    *,
    status: GoalStatus,
    reason: str = "",
) -> None:
    """Change the goal's text and status; ``stopped`` needs ``reason``."""
    check_editable(family)
    _apply(family, goal, text)
    if status == GoalStatus.STOPPED and not reason.strip():
        raise RecordError("reason_required", field="status_reason")
    goal.status = status
    goal.status_reason = reason.strip() if status == GoalStatus.STOPPED else None
    goal.updated_at = utcnow()
    db.flush()
    audit_goal(db, actor, family, AuditAction.UPDATE, goal, f"status: {status}")
