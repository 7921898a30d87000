"""Development only: ``/dev/mail`` lists the e-mails written to the mail folder.

With no MAIL_SERVER the outbox writes each message as an ``.eml`` file (see
``portal.mail.transports.FolderTransport``); this page shows them, newest first, so a
developer can see what a parent would get. The blueprint is registered only when
PORTAL_ENV is "development", and the view checks again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, render_template

from portal.mail.transports import mail_folder
from portal.security import mark_no_store

bp = Blueprint("devmail", __name__)

#: Enough to find what one just did; the folder itself keeps everything.
SHOWN = 100


@dataclass(frozen=True)
class DevMail:
    name: str
    sender: str
    recipient: str
    subject: str
    sent_at: datetime | None
    paragraphs: list[list[str]]


def _paragraphs(text: str) -> list[list[str]]:
    """Blank-line separated paragraphs of lines, so the page needs no inline style."""
    return [block.splitlines() for block in text.strip().split("\n\n") if block]


def read_mail(path: Path) -> DevMail:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    body = message.get_body(preferencelist=("plain",))
    try:
        sent_at = parsedate_to_datetime(message["Date"]) if message["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    return DevMail(
        name=path.name,
        sender=str(message["From"] or ""),
        recipient=str(message["To"] or ""),
        subject=str(message["Subject"] or ""),
        sent_at=sent_at,
        paragraphs=_paragraphs(body.get_content() if body is not None else ""),
    )


def folder_mail(folder: Path, limit: int = SHOWN) -> list[DevMail]:
    """The newest ``limit`` messages in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    paths = sorted(
        folder.glob("*.eml"),
        key=lambda path: (path.stat().st_mtime_ns, path.name),
        reverse=True,
    )
    return [read_mail(path) for path in paths[:limit]]


@bp.get("/dev/mail")
def index() -> str:
    if current_app.config["PORTAL_ENV"] != "development":
        abort(404)
    mark_no_store()
    folder = mail_folder(current_app)
    return render_template(
        "devmail/index.html", messages=folder_mail(folder), folder=folder
    )


def init_app(app: Flask) -> None:
    if app.config["PORTAL_ENV"] == "development":
        app.register_blueprint(bp)
