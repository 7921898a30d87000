"""A goal's progress and the family's view of it: the rules (services flush,
the view commits once).

* A score is 1 to 10, on a day not after today in Copenhagen, with a note of at
  most ``MAX_NOTE`` characters; staff and family members both add scores.
* The family's words are kept as a history: a new row each time, by a member
  of the goal's family only.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.audit import AuditAction
from portal.cases.goals import audit_goal
from portal.cases.goals_models import Agreement, Goal, GoalScore, GoalStatement
from portal.families.models import Family
from portal.families.news import tell_members_of_news
from portal.families.records import RecordError, check_editable
from portal.timeutil import local_today

MAX_NOTE = 500
MAX_WORDS = 2000
LOWEST, HIGHEST = 1, 10
#: Earlier than this, a score's date is a typing error.
EARLIEST_SCORE_DATE = date(2000, 1, 1)


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
    audit_goal(db, author, family, AuditAction.UPDATE, goal, "score")
    if author.role != Role.FAMILY:
        tell_members_of_news(db, family)
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
