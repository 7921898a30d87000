"""Sending the outbox one message at a time: claimed (``claim``), sent, marked."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.mail.claim import claim, finish, release
from portal.mail.envelope import build_email
from portal.mail.models import MAX_ATTEMPTS, OutboxMessage
from portal.mail.transports import Transport


def _connection_lost(error: OSError) -> bool:
    """A refused recipient concerns one message; a dropped connection all the rest."""
    return isinstance(error, smtplib.SMTPServerDisconnected) or not isinstance(
        error, smtplib.SMTPException
    )


def send_pending(
    db_session: Session,
    transport: Transport,
    *,
    sender: str,
    now: Callable[[], datetime] = utcnow,
) -> tuple[int, int]:
    """Send every due message once; returns (sent, failed). Commits per message.

    A message the transport refuses (SMTP or network error) is released for the
    next run, and a lost connection ends this run without burning the attempts of
    the messages behind it. Any other exception from the transport propagates and
    leaves its message claimed: it may have gone, so it waits for CLAIM_TIMEOUT.
    Opening the transport may raise OSError (mail server unreachable); nothing has
    been claimed then."""
    due = db_session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.send_after <= now(),
            OutboxMessage.attempts < MAX_ATTEMPTS,
        )
        .order_by(OutboxMessage.send_after, OutboxMessage.id)
    ).all()
    sent = failed = 0
    if not due:
        return sent, failed
    with transport:
        for message_id in due:
            token = claim(db_session, message_id, now())
            if token is None:
                continue
            # A message that cannot even be built must not block the ones behind it.
            try:
                # Fresh from the database: the identity map may hold an older copy.
                message = db_session.get_one(
                    OutboxMessage, message_id, populate_existing=True
                )
                email = build_email(message, sender, now())
            except Exception as error:  # noqa: BLE001
                release(db_session, message_id, token, error)
                failed += 1
                continue
            try:
                transport.send(email)
            except (smtplib.SMTPException, OSError) as error:
                release(db_session, message_id, token, error)
                failed += 1
                if _connection_lost(error):
                    break
                continue
            # Nothing personal stays behind once it has gone.
            finish(
                db_session,
                message_id,
                token,
                sent_at=now(),
                recipient=None,
                body=None,
                last_error="",
            )
            sent += 1
    return sent, failed
