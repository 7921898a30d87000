"""Interventions (indsatser): the help a family receives, of a type from the
list the leader keeps, linked to the family's goals.

Invariants the database keeps: an intervention ends on or after the day it
starts (``ck_interventions_end_after_start``); a type's name is unique; a type
is never deleted, only retired (``retired_at``), so old interventions keep it.
That linked goals are the same family's is the service's check
(``interventions.check_goals``)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.cases.goals_models import Goal
from portal.crypto import EncryptedText
from portal.db import Base, PublicIdMixin, utcnow


class InterventionStatus(enum.StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    ENDED = "ended"


class InterventionType(PublicIdMixin, Base):
    """A kind of help, e.g. familiebehandling; the leader keeps the list."""

    __tablename__ = "intervention_types"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    retired_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


intervention_goals = Table(
    "intervention_goals",
    Base.metadata,
    Column(
        "intervention_id",
        ForeignKey("interventions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("goal_id", ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True),
)


class Intervention(PublicIdMixin, Base):
    __tablename__ = "interventions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True
    )
    type_id: Mapped[int] = mapped_column(ForeignKey("intervention_types.id"))
    provider: Mapped[str] = mapped_column(EncryptedText())
    description: Mapped[str] = mapped_column(EncryptedText())
    starts_on: Mapped[date] = mapped_column()
    ends_on: Mapped[date | None] = mapped_column()
    status: Mapped[InterventionStatus] = mapped_column(
        String(10), default=InterventionStatus.PLANNED
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    type: Mapped[InterventionType] = relationship()
    goals: Mapped[list[Goal]] = relationship(
        secondary=intervention_goals, order_by=Goal.id
    )

    __table_args__ = (
        CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on", name="end_after_start"
        ),
    )
