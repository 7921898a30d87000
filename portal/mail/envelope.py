"""The e-mail as the mail server sees it: only "Familieportalen" as sender, the
same Message-ID on every attempt, and marked as automatic (RFC 3834).
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from flask import Flask

from portal.mail.models import OutboxMessage


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
