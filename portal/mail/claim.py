"""Claiming an outbox message for one run, and recording its outcome.

The claim is committed before the mail server sees the message, and the outcome
straight after, so two runs never send one message twice (see ``portal.mail``).
This is the one place outside views and CLI commands that commits.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from portal.db import rows_changed
from portal.mail.models import OutboxMessage
from portal.mail.outbox import unsent_and_free


def claim(db_session: Session, message_id: int, now: datetime) -> str | None:
    """Take one message for this run and commit the claim before anything is sent.

    Returns the claim token, or None if another run has it or it was sent."""
    token = secrets.token_hex(16)
    result = db_session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, unsent_and_free(now))
        .values(claimed_at=now, claim_token=token, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db_session.commit()
    return token if rows_changed(result) == 1 else None


def finish(db_session: Session, message_id: int, token: str, **values: object) -> None:
    """Record the outcome of our claim (and only ours), then commit."""
    db_session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
        .values(**values)
    )
    db_session.commit()


def release(db_session: Session, message_id: int, token: str, error: Exception) -> None:
    """Give a failed message back to the next run, naming only the error's type."""
    finish(
        db_session, message_id, token, claimed_at=None, last_error=type(error).__name__
    )
