"""Goals and their progress: the rules (services flush, the view commits once).

* Counsellors assigned to the family create and change goals (the view opens the
  family ``to_change``, so a leader gets 403); a closed family is read-only.
* A goal is the family's or about one of its current children.
* A stopped goal needs a reason; the other states drop it.
* A score is 1 to 10, on a day not after today in Copenhagen, with a note of at
  most ``MAX_NOTE`` characters; staff and family members both add scores.
* The family's words are kept as a history: a new row each time.

Staff changes are written to the audit log by the goal's public id, never with
what was typed. Loading a family's goals is a fixed number of statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import Role, User
from portal.audit import AuditAction
from portal.cases.goals_models import (
    Agreement,
    Goal,
    GoalScore,
    GoalStatement,
    GoalStatus,
)
from portal.db import utcnow
from portal.families.models import Child, Family
from portal.families.records import (
    RecordError,
    check_current_child,
    check_editable,
    local_today,
    record_change,
)

MAX_NOTE = 500
MAX_WORDS = 2000
LOWEST, HIGHEST = 1, 10
#: Earlier than this, a score's date is a typing error.
EARLIEST_SCORE_DATE = date(2000, 1, 1)


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


def _audit(
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
    _audit(db, actor, family, AuditAction.CREATE, goal)
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
    _audit(db, actor, family, AuditAction.UPDATE, goal, f"status: {status}")


def add_score(
    db: Session,
    author: User,
    family: Family,
    goal: Goal,
    *,
    score: int,
    scored_on: date,
    note: str = "",
    now: datetime | None = None,
) -> GoalScore:
    """A progress update by a counsellor or a family member."""
    check_editable(family)
    if not LOWEST <= score <= HIGHEST:
        raise RecordError("score_range", field="score")
    if scored_on > local_today(now):
        raise RecordError("score_date_future", field="scored_on")
    if scored_on < EARLIEST_SCORE_DATE:
        raise RecordError("score_date_too_early", field="scored_on")
    if len(note.strip()) > MAX_NOTE:
        raise RecordError("note_too_long", field="note")
    row = GoalScore(
        goal=goal,
        score=score,
        scored_on=scored_on,
        author=author,
        note=note.strip() or None,
    )
    db.add(row)
    db.flush()
    _audit(db, author, family, AuditAction.UPDATE, goal, "score")
    return row


def add_statement(
    db: Session,
    member: User,
    family: Family,
    goal: Goal,
    *,
    words: str,
    agreement: Agreement,
) -> GoalStatement:
    """The family's own words about ``goal`` and whether they agree; the earlier
    statements stay."""
    check_editable(family)
    if member.role != Role.FAMILY or member.family_id != family.id:
        raise RecordError("member_not_in_family")
    if not words.strip():
        raise RecordError("words_required", field="words")
    if len(words.strip()) > MAX_WORDS:
        raise RecordError("words_too_long", field="words")
    statement = GoalStatement(
        goal=goal, author=member, words=words.strip(), agreement=agreement
    )
    db.add(statement)
    db.flush()
    return statement
