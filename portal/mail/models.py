"""The outbox table: one e-mail waiting to be sent, or sent, with its claim and
attempts (see ``portal.mail``); the recipient and body are encrypted at rest.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.crypto import EncryptedText
from portal.db import Base, PublicIdMixin, utcnow

#: A claimed message not marked sent within this time is tried again.
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_ATTEMPTS = 5


class MessageKind(enum.StrEnum):
    REMINDER = "reminder"
    MOVED = "moved"
    CANCELLED = "cancelled"
    INVITATION = "invitation"
    NEWS = "news"
    FEEDBACK = "feedback"


class OutboxMessage(PublicIdMixin, Base):
    """One e-mail waiting to be sent, or sent. The recipient is encrypted at rest."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[MessageKind] = mapped_column(String(20))
    # Unique per real-world event (e.g. "reminder:<session>:<start>"): enqueuing the
    # same reminder twice keeps one message.
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    recipient: Mapped[str | None] = mapped_column(EncryptedText())
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(EncryptedText())
    send_after: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column()
    claim_token: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
