"""Where a built e-mail goes: an SMTP server, or a folder in development."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol, Self

from flask import Flask

from portal.db import utcnow


class Transport(Protocol):
    """Opened with ``with``, then sends one built message per call."""

    def __enter__(self) -> Self: ...
    def send(self, email: EmailMessage) -> None: ...
    def __exit__(self, *_exc: object) -> None: ...


class SmtpTransport:
    """Sends through the SMTP server in ``MAIL_*``, with STARTTLS unless disabled."""

    def __init__(self, config: Mapping[str, Any]):
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

    def __exit__(self, *_exc: object) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except smtplib.SMTPException:
                self.connection.close()


class FolderTransport:
    """Development: writes each message as an ``.eml`` file instead of sending it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> FolderTransport:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def send(self, email: EmailMessage) -> None:
        name = email["Message-ID"].strip("<>").partition("@")[0]
        stamp = utcnow().strftime("%Y%m%dT%H%M%S")
        (self.folder / f"{stamp}-{name}.eml").write_bytes(bytes(email))

    def __exit__(self, *_exc: object) -> None:
        return None


def mail_folder(app: Flask) -> Path:
    return Path(app.config.get("MAIL_FOLDER") or Path(app.instance_path) / "mail")


class MailNotConfigured(RuntimeError):
    """Production has no MAIL_SERVER: nothing may be sent, or marked as sent."""


def transport_for(app: Flask) -> Transport:
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
