"""The outbox table and what services do with it: enqueue and withdraw.

Services write a message in the same transaction as the change that causes it;
``portal.mail.sending`` sends it later. Nothing here commits.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, Text, and_, delete, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from portal.crypto import EncryptedText
from portal.db import Base, PublicIdMixin, rows_changed, utcnow

#: A claimed message not marked sent within this time is tried again.
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_ATTEMPTS = 5


class MessageKind(enum.StrEnum):
    REMINDER = "reminder"
    MOVED = "moved"
    CANCELLED = "cancelled"
    INVITATION = "invitation"
    NEWS = "news"


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


def key_time(moment: datetime) -> str:
    """A time as it stands in a dedupe key, so a moved session gets a new message."""
    return moment.strftime("%Y%m%dT%H%MZ")


def enqueue(
    db_session: Session,
    *,
    kind: MessageKind,
    dedupe_key: str,
    recipient: str,
    subject: str,
    body: str,
    send_after: datetime | None = None,
) -> OutboxMessage:
    """Queue a message unless one with ``dedupe_key`` exists; flushes, never commits."""
    existing = db_session.scalar(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    )
    if existing is not None:
        return existing
    message = OutboxMessage(
        kind=kind,
        dedupe_key=dedupe_key,
        recipient=recipient,
        subject=subject,
        body=body,
        send_after=send_after or utcnow(),
    )
    db_session.add(message)
    db_session.flush()
    return message


def unsent_and_free(now: datetime) -> ColumnElement[bool]:
    """Not sent, and not claimed by a run that may be talking to the mail server."""
    return and_(
        OutboxMessage.sent_at.is_(None),
        or_(
            OutboxMessage.claimed_at.is_(None),
            OutboxMessage.claimed_at < now - CLAIM_TIMEOUT,
        ),
    )


def withdraw(db_session: Session, dedupe_key: str, now: datetime | None = None) -> bool:
    """Drop an unsent message, e.g. the reminder of a session that was cancelled.

    A message another run is sending right now cannot be called back; it stays (and
    False is returned). Flushes, never commits."""
    now = now or utcnow()
    result = db_session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.dedupe_key == dedupe_key, unsent_and_free(now))
        .execution_options(synchronize_session="fetch")
    )
    return rows_changed(result) == 1


def erase_undeliverable(db_session: Session, now: datetime | None = None) -> int:
    """Delete messages that failed MAX_ATTEMPTS times: they will never be sent,
    and their (encrypted) recipient and text should not stay. Returns how many;
    flushes, never commits."""
    now = now or utcnow()
    return rows_changed(
        db_session.execute(
            delete(OutboxMessage)
            .where(OutboxMessage.attempts >= MAX_ATTEMPTS, unsent_and_free(now))
            .execution_options(synchronize_session="fetch")
        )
    )
