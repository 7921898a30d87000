"""Accounts: one user model for families and staff, and the family they belong to."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import EncryptedText
from portal.db import Base, PublicIdMixin, utcnow


class Role(enum.StrEnum):
    FAMILY = "family"
    COUNSELLOR = "counsellor"
    LEADER = "leader"


STAFF_ROLES = (Role.COUNSELLOR, Role.LEADER)


class Family(PublicIdMixin, Base):
    """A known family with a case: its members log in and see their own data."""

    __tablename__ = "families"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="family")


class User(PublicIdMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped at log-out and password change: every older session stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText())
    # The last accepted TOTP time step, so a code cannot be used twice.
    totp_last_step: Mapped[int | None] = mapped_column()
    # Wrong TOTP codes since the password step: kept here, not in the cookie, so
    # a replayed cookie or a new address does not start the count again.
    totp_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set while the password is a temporary one a leader issued: it stops working
    # then, and until it is changed the user can do nothing else.
    password_expires_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    family: Mapped[Family | None] = relationship(back_populates="members")

    # Flask-Login protocol.
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def has_totp(self) -> bool:
        return self.totp_secret is not None

    def get_id(self) -> str:
        """The id kept in the session: public id plus session version."""
        return f"{self.public_id}:{self.session_version}"
