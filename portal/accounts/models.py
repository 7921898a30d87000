"""Accounts: one user model for staff and family members (what logs in)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import EncryptedText
from portal.db import Base, PublicIdMixin, utcnow

if TYPE_CHECKING:
    from portal.families.models import Child, Family


class Role(enum.StrEnum):
    FAMILY = "family"
    COUNSELLOR = "counsellor"
    LEADER = "leader"


STAFF_ROLES = (Role.COUNSELLOR, Role.LEADER)


class User(PublicIdMixin, Base):
    """Staff log in with ``email`` (their work address) and a password plus TOTP.

    Family members have no ``email`` here: their contact details are encrypted
    (``contact_email``, ``phone``), and they log in with MitID (``mitid_subject``,
    a keyed hash of the provider's ``sub``) or, without MitID, with a password
    and the keyed hash of their e-mail address (``login_key``).
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id"), index=True)
    contact_email: Mapped[str | None] = mapped_column(EncryptedText())
    phone: Mapped[str | None] = mapped_column(EncryptedText())
    login_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    mitid_subject: Mapped[str | None] = mapped_column(String(64), unique=True)
    # A young person (15+) who is a member is also one of the family's children.
    child_id: Mapped[int | None] = mapped_column(
        ForeignKey("children.id", ondelete="SET NULL")
    )
    wants_reminders: Mapped[bool] = mapped_column(default=False)
    # A member's choice of one neutral e-mail when there is news on their page.
    wants_news: Mapped[bool] = mapped_column(default=False, server_default=false())
    removed_at: Mapped[datetime | None] = mapped_column()
    removed_reason: Mapped[str | None] = mapped_column(EncryptedText())
    # The log-in before this one: a family's page shows what is new since then.
    last_login_at: Mapped[datetime | None] = mapped_column()
    previous_login_at: Mapped[datetime | None] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped at log-out and password change: every older session stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    # Deferred: read at the TOTP step only, not decrypted on every staff request.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText(), deferred=True)
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

    family: Mapped[Family | None] = relationship(
        back_populates="members", foreign_keys=[family_id]
    )
    child: Mapped[Child | None] = relationship()

    __table_args__ = (
        CheckConstraint("role = 'family' OR email IS NOT NULL", name="staff_email"),
    )

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
