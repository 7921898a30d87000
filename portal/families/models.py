"""Known families: who belongs to a family, who holds custody of each child, which
counsellors serve it, and the invitations that let a member log in.

A family member is a ``User`` with the family role (it is what logs in); the
columns that only families use are described there. Removing a person from a
family keeps the row with the date and the reason, so the history stays true.
Contact details and free text are encrypted at rest; a family's display name is
not, because counsellors search their list by it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.crypto import EncryptedText
from portal.db import Base, PublicIdMixin, partial_unique_index, utcnow

if TYPE_CHECKING:
    from portal.accounts.models import User


class FamilyStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Family(PublicIdMixin, Base):
    """A family with a case: its members log in and see their own data.

    When the purge erases a closed family, the row stays without a name
    (``erased_at`` set), because the append-only audit log refers to it.
    """

    __tablename__ = "families"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120))
    # The name case-folded in Python: SQL's lower() leaves Æ, Ø and Å alone on
    # SQLite (and under a C locale on PostgreSQL), so searching it would miss them.
    search_name: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[FamilyStatus] = mapped_column(String(10), default=FamilyStatus.OPEN)
    closed_at: Mapped[datetime | None] = mapped_column()
    erased_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[User]] = relationship(
        back_populates="family", foreign_keys="User.family_id"
    )
    children: Mapped[list[Child]] = relationship(
        back_populates="family", order_by="Child.birth_date"
    )
    assignments: Mapped[list[FamilyAssignment]] = relationship(
        back_populates="family", cascade="all, delete-orphan"
    )

    @validates("display_name")
    def _fold_for_search(self, _key: str, name: str) -> str:
        self.search_name = name.casefold()
        return name

    @property
    def is_closed(self) -> bool:
        return self.status == FamilyStatus.CLOSED


class Child(PublicIdMixin, Base):
    """A child in the family. Not a log-in: a young person aged 15 or more can also
    become a member (a ``User`` whose ``child_id`` points here)."""

    __tablename__ = "children"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True
    )
    first_name: Mapped[str] = mapped_column(EncryptedText())
    birth_date: Mapped[date] = mapped_column()
    removed_at: Mapped[datetime | None] = mapped_column()
    removed_reason: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    family: Mapped[Family] = relationship(back_populates="children")
    custody_holders: Mapped[list[User]] = relationship(secondary="custody")

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


def _member_links(name: str, column: str, target: str) -> Table:
    """A link table between rows of ``target`` and family members; a link goes
    when either side is deleted."""
    return Table(
        name,
        Base.metadata,
        Column(column, ForeignKey(target, ondelete="CASCADE"), primary_key=True),
        Column(
            "member_id",
            ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        ),
    )


#: Which adult members hold custody (forældremyndighed) of which child.
custody = _member_links("custody", "child_id", "children.id")
#: Which family members take part in a family session.
session_participants = _member_links(
    "session_participants", "session_id", "counselling_sessions.id"
)


class FamilyAssignment(Base):
    """A counsellor who serves a family; exactly one of them may be the primary
    contact the family sees (a partial unique index keeps it to one)."""

    __tablename__ = "family_assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE")
    )
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    is_primary: Mapped[bool] = mapped_column(default=False)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    family: Mapped[Family] = relationship(back_populates="assignments")
    counsellor: Mapped[User] = relationship(foreign_keys=[counsellor_id])

    __table_args__ = (
        Index(
            "uq_family_assignments_family_counsellor",
            "family_id",
            "counsellor_id",
            unique=True,
        ),
        partial_unique_index(
            "uq_family_assignments_one_primary",
            "family_id",
            where="is_primary",
        ),
    )


class Invitation(PublicIdMixin, Base):
    """A single-use link that lets a member log in for the first time, with MitID
    or a password. Only the SHA-256 of its token is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    member: Mapped[User] = relationship(foreign_keys=[member_id])
