"""The outbox: messages are written to a table in the same transaction as the change
that causes them, and sent later by ``flask --app portal send-reminders``.

Sending claims one message at a time (committed before the mail server sees it) and
marks it sent straight after the server accepted it, so running the command twice,
or two runs at once, do not send a message twice. A run that crashes leaves its
message claimed: it goes again only after CLAIM_TIMEOUT, because nobody can know
whether the server had already accepted it. That is the only window for a duplicate
(a crash between the server's "250 OK" and our commit), and the copy then carries
the same Message-ID, which mail servers and clients use to drop duplicates.
"""

from __future__ import annotations

import enum
import secrets
import smtplib
import ssl
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path

from flask import Flask
from sqlalchemy import Integer, String, Text, delete, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.crypto import EncryptedText
from portal.db import Base, PublicIdMixin, utcnow

#: A claimed message not marked sent within this time is tried again.
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_ATTEMPTS = 5


class MessageKind(enum.StrEnum):
    REMINDER = "reminder"
    MOVED = "moved"
    CANCELLED = "cancelled"


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


def _not_in_flight(now: datetime):
    """Not claimed by a run that may be talking to the mail server right now."""
    return or_(
        OutboxMessage.claimed_at.is_(None),
        OutboxMessage.claimed_at < now - CLAIM_TIMEOUT,
    )


def withdraw(db_session: Session, dedupe_key: str, now: datetime | None = None) -> bool:
    """Drop an unsent message, e.g. the reminder of a session that was cancelled.

    A message another run is sending right now cannot be called back; it stays (and
    False is returned). Flushes, never commits."""
    now = now or utcnow()
    result = db_session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.dedupe_key == dedupe_key,
            OutboxMessage.sent_at.is_(None),
            _not_in_flight(now),
        )
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount == 1


def erase_undeliverable(db_session: Session, now: datetime | None = None) -> int:
    """Delete messages that failed MAX_ATTEMPTS times: they will never be sent,
    and their (encrypted) recipient and text should not stay. Returns how many;
    flushes, never commits."""
    now = now or utcnow()
    return db_session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts >= MAX_ATTEMPTS,
            _not_in_flight(now),
        )
        .execution_options(synchronize_session="fetch")
    ).rowcount


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


class SmtpTransport:
    """Sends through the SMTP server in ``MAIL_*``, with STARTTLS unless disabled."""

    def __init__(self, config: dict):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        config = self.config
        self.connection = smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30
        )
        if config["MAIL_USE_TLS"]:
            self.connection.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            self.connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        return self

    def send(self, email: EmailMessage) -> None:
        if self.connection is None:
            raise smtplib.SMTPServerDisconnected("use SmtpTransport in a with block")
        self.connection.send_message(email)

    def __exit__(self, *_exc) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except smtplib.SMTPException:
                self.connection.close()


class FolderTransport:
    """Development: writes each message as an ``.eml`` file instead of sending it."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self) -> FolderTransport:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def send(self, email: EmailMessage) -> None:
        name = email["Message-ID"].strip("<>").partition("@")[0]
        stamp = utcnow().strftime("%Y%m%dT%H%M%S")
        (self.folder / f"{stamp}-{name}.eml").write_bytes(bytes(email))

    def __exit__(self, *_exc) -> None:
        return None


def mail_folder(app: Flask) -> Path:
    return Path(app.config.get("MAIL_FOLDER") or Path(app.instance_path) / "mail")


class MailNotConfigured(RuntimeError):
    """Production has no MAIL_SERVER: nothing may be sent, or marked as sent."""


def transport_for(app: Flask):
    """SMTP when MAIL_SERVER is set; the mail folder in development and tests.

    In production the folder would be a quiet failure: messages marked sent that no
    one receives, and recipients and texts left in plain files on the server."""
    if app.config["MAIL_SERVER"]:
        return SmtpTransport(app.config)
    if app.config["PORTAL_ENV"] == "production":
        raise MailNotConfigured(
            "MAIL_SERVER is not set, so no mail can be sent in production; "
            "the messages wait in the outbox. Set MAIL_SERVER (and MAIL_PORT, "
            "MAIL_USERNAME, MAIL_PASSWORD, MAIL_SENDER)."
        )
    return FolderTransport(mail_folder(app))


def _claim(db_session: Session, message_id: int, now: datetime) -> str | None:
    """Take one message for this run and commit the claim before anything is sent.

    Returns the claim token, or None if another run has it or it was sent."""
    token = secrets.token_hex(16)
    result = db_session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            _not_in_flight(now),
        )
        .values(claimed_at=now, claim_token=token, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db_session.commit()
    return token if result.rowcount == 1 else None


def _finish(db_session: Session, message_id: int, token: str, **values) -> None:
    """Record the outcome of our claim (and only ours), then commit."""
    db_session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
        .values(**values)
    )
    db_session.commit()


def _connection_lost(error: OSError) -> bool:
    """A refused recipient concerns one message; a dropped connection all the rest."""
    return isinstance(error, smtplib.SMTPServerDisconnected) or not isinstance(
        error, smtplib.SMTPException
    )


def send_pending(
    db_session: Session,
    transport,
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
            # Fresh from the database: the identity map may hold an older copy.
            message = db_session.get(OutboxMessage, message_id, populate_existing=True)
            # A message that cannot even be built must not block the ones behind it.
            try:
                email = build_email(message, sender, now())
            except Exception as error:  # noqa: BLE001
                _finish(
                    db_session,
                    message_id,
                    token,
                    claimed_at=None,
                    last_error=type(error).__name__,
                )
                failed += 1
                continue
            try:
                transport.send(email)
            except (smtplib.SMTPException, OSError) as error:
                _finish(
                    db_session,
                    message_id,
                    token,
                    claimed_at=None,
                    last_error=type(error).__name__,
                )
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


def neutral_sender(app: Flask) -> str:
    """Only "Familieportalen" as sender: whoever sees the phone learns little."""
    address = parseaddr(app.config["MAIL_SENDER"])[1] or "no-reply@example.invalid"
    return formataddr(("Familieportalen", address))
