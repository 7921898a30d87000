"""What services do with the outbox (``models``): enqueue and withdraw.

Services write a message in the same transaction as the change that causes it;
``portal.mail.sending`` sends it later. Nothing here commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from portal.db import rows_changed, utcnow
from portal.mail.models import CLAIM_TIMEOUT, MAX_ATTEMPTS, MessageKind, OutboxMessage


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
