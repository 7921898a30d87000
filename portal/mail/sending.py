"""Sending the outbox: claim, send and mark sent, one message at a time.

The claim is committed before the mail server sees the message, and the outcome
straight after, so two runs never send one message twice (see ``portal.mail``).
This is the one place outside views and CLI commands that commits.
"""

from __future__ import annotations

import secrets
import smtplib
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.db import rows_changed, utcnow
from portal.mail.outbox import MAX_ATTEMPTS, OutboxMessage, unsent_and_free
from portal.mail.transports import Transport


def build_email(message: OutboxMessage, sender: str, now: datetime) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now)
    domain = parseaddr(sender)[1].partition("@")[2] or "familieportalen.local"
    # The same id on every attempt, so a repeated delivery is recognisably the same.
    email["Message-ID"] = f"<{message.public_id}@{domain}>"
    # RFC 3834: an automatic message; well-behaved systems send no auto-replies.
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    return email


def neutral_sender(app: Flask) -> str:
    """Only "Familieportalen" as sender: whoever sees the phone learns little."""
    address = parseaddr(app.config["MAIL_SENDER"])[1] or "no-reply@example.invalid"
    return formataddr(("Familieportalen", address))


def _claim(db_session: Session, message_id: int, now: datetime) -> str | None:
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


def _finish(db_session: Session, message_id: int, token: str, **values: object) -> None:
    """Record the outcome of our claim (and only ours), then commit."""
    db_session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
        .values(**values)
    )
    db_session.commit()


def _release(
    db_session: Session, message_id: int, token: str, error: Exception
) -> None:
    """Give a failed message back to the next run, naming only the error's type."""
    _finish(
        db_session, message_id, token, claimed_at=None, last_error=type(error).__name__
    )


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
            token = _claim(db_session, message_id, now())
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
                _release(db_session, message_id, token, error)
                failed += 1
                continue
            try:
                transport.send(email)
            except (smtplib.SMTPException, OSError) as error:
                _release(db_session, message_id, token, error)
                failed += 1
                if _connection_lost(error):
                    break
                continue
            # Nothing personal stays behind once it has gone.
            _finish(
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
