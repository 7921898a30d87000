"""Goals (mål for ønskede forandringer), their progress scores and the family's
own words about each goal.

Invariants the database keeps:

* a goal belongs to one family and, when it is about one child, to that child
  (the service checks the child is the family's and current);
* a stopped goal has a reason (``ck_goals_stopped_has_reason``);
* a score is 1 to 10 (``ck_goal_scores_score_range``);
* the family's words are never changed: each statement is a new row, and the
  newest one per goal is the family's current view (history stays).

The free text (title, what should change, why, how we will know, the reason,
notes and the family's words) is encrypted at rest.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import EncryptedText
from portal.db import Base, PublicIdMixin, utcnow

if TYPE_CHECKING:
    from portal.accounts.models import User
    from portal.families.models import Child


class GoalStatus(enum.StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    STOPPED = "stopped"


class Agreement(enum.StrEnum):
    AGREE = "agree"
    PARTLY = "partly"
    DISAGREE = "disagree"


class Goal(PublicIdMixin, Base):
    """What the family and the counsellor want to change, for the family or one
    of its children."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True
    )
    child_id: Mapped[int | None] = mapped_column(
        ForeignKey("children.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(EncryptedText())
    change: Mapped[str] = mapped_column(EncryptedText())
    why: Mapped[str] = mapped_column(EncryptedText())
    how_we_know: Mapped[str] = mapped_column(EncryptedText())
    target_date: Mapped[date] = mapped_column()
    status: Mapped[GoalStatus] = mapped_column(String(10), default=GoalStatus.ACTIVE)
    status_reason: Mapped[str | None] = mapped_column(EncryptedText())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    child: Mapped[Child | None] = relationship()
    scores: Mapped[list[GoalScore]] = relationship(
        back_populates="goal",
        order_by="(GoalScore.scored_on, GoalScore.id)",
        cascade="all, delete-orphan",
    )
    statements: Mapped[list[GoalStatement]] = relationship(
        back_populates="goal",
        order_by="GoalStatement.id.desc()",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        CheckConstraint(
            "status <> 'stopped' OR status_reason IS NOT NULL",
            name="stopped_has_reason",
        ),
    )

    @property
    def latest_statement(self) -> GoalStatement | None:
        return self.statements[0] if self.statements else None


class GoalScore(Base):
    """One progress update: a score from 1 to 10 on a day, by a staff member or
    a family member, with a short note."""

    __tablename__ = "goal_scores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[int] = mapped_column(
        ForeignKey("goals.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int] = mapped_column()
    scored_on: Mapped[date] = mapped_column()
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="scores")
    author: Mapped[User | None] = relationship()

    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 10", name="score_range"),)


class GoalStatement(Base):
    """The family's own words about a goal and whether they agree with it."""

    __tablename__ = "goal_statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[int] = mapped_column(
        ForeignKey("goals.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    words: Mapped[str] = mapped_column(EncryptedText())
    agreement: Mapped[Agreement] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="statements")
    author: Mapped[User | None] = relationship()
