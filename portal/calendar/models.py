"""The calendar's own tables: each counsellor's private iCalendar feed address."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, PublicIdMixin, partial_unique_index, utcnow

if TYPE_CHECKING:
    from portal.accounts.models import User


class FeedToken(PublicIdMixin, Base):
    """A counsellor's private feed address. Only the SHA-256 of the token is kept:
    the address is shown once, and whoever reads the database cannot subscribe.

    At most one active (not revoked) token per counsellor, held by a partial unique
    index; a revoked row stays so "revoked" and "never existed" both answer 404.
    """

    __tablename__ = "calendar_feed_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When a calendar last fetched it: shows whether the address is in use.
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()

    counsellor: Mapped[User] = relationship()

    __table_args__ = (
        partial_unique_index(
            "uq_calendar_feed_tokens_counsellor_active",
            "counsellor_id",
            where="revoked_at IS NULL",
        ),
    )
