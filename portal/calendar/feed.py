"""A counsellor's private, revocable iCalendar feed: the settings page and the feed.

The address carries a random token (256 bits from ``secrets``); the database keeps
only its SHA-256, so the address is shown once, when it is made. A plain hash is
enough because the token is random, not chosen by a person, and it keeps the feeds
working when SECRET_KEY is rotated. Making a new address revokes the old one; a
revoked or unknown token answers 404, and the token never reaches a log line.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from portal import audit, db
from portal.accounts.models import Role, User
from portal.booking.models import CounsellingSession
from portal.calendar import bp, ical, web
from portal.calendar.forms import EmptyForm
from portal.calendar.models import FeedToken
from portal.db import utcnow
from portal.security import limiter, public_url, roles_required

NEW_ADDRESS = "calendar_feed_new"
#: The new address is shown on the next page only, and not after this long.
NEW_ADDRESS_LIFETIME = timedelta(minutes=10)
#: Calendar clients poll every few minutes to hours; far more is an attack.
FEED_LIMIT = "60 per minute;600 per hour"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
_FEED_PATH = re.compile(r"/kalender/feed/[^/\s\"?]+\.ics")


# --- rules ----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(db_session: Session, counsellor: User) -> FeedToken | None:
    return db_session.scalar(
        select(FeedToken).where(
            FeedToken.counsellor_id == counsellor.id, FeedToken.revoked_at.is_(None)
        )
    )


def create_feed(
    db_session: Session, counsellor: User, now: datetime | None = None
) -> tuple[FeedToken, str]:
    """Make a new feed address for ``counsellor``, revoking the one they had.

    Returns the row and the clear token, to show once and forget. Flushes; two
    concurrent calls meet the unique index (IntegrityError: roll back)."""
    now = now or utcnow()
    db_session.execute(
        update(FeedToken)
        .where(FeedToken.counsellor_id == counsellor.id, FeedToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    )
    token = secrets.token_urlsafe(32)
    feed = FeedToken(
        counsellor_id=counsellor.id, token_hash=token_hash(token), created_at=now
    )
    db_session.add(feed)
    db_session.flush()
    audit.record(
        db_session,
        actor=counsellor,
        action=audit.AuditAction.FEED_CREATED,
        object_type="calendar_feed",
        object_id=feed.public_id,
    )
    return feed, token


def revoke_feed(
    db_session: Session, counsellor: User, public_id: str, now: datetime | None = None
) -> FeedToken:
    """Revoke one of ``counsellor``'s own active feeds; LookupError for anything
    else (another counsellor's, unknown, already revoked). Flushes."""
    feed = db_session.scalar(
        select(FeedToken).where(
            FeedToken.public_id == public_id,
            FeedToken.counsellor_id == counsellor.id,
            FeedToken.revoked_at.is_(None),
        )
    )
    if feed is None:
        raise LookupError(public_id)
    feed.revoked_at = now or utcnow()
    db_session.flush()
    audit.record(
        db_session,
        actor=counsellor,
        action=audit.AuditAction.FEED_REVOKED,
        object_type="calendar_feed",
        object_id=feed.public_id,
    )
    return feed


def feed_for_token(db_session: Session, token: str) -> FeedToken | None:
    """The active feed the token opens; None if malformed, unknown or revoked."""
    if not _TOKEN.match(token):
        return None
    return db_session.scalar(
        select(FeedToken)
        .where(
            FeedToken.token_hash == token_hash(token), FeedToken.revoked_at.is_(None)
        )
        .options(selectinload(FeedToken.counsellor))
    )


def feed_sessions(
    db_session: Session, counsellor_id: int, now: datetime
) -> list[CounsellingSession]:
    """The counsellor's sessions in the feed's window, cancelled ones included."""
    first, last = ical.window(now)
    return list(
        db_session.scalars(
            select(CounsellingSession)
            .where(
                CounsellingSession.counsellor_id == counsellor_id,
                CounsellingSession.starts_at >= first,
                CounsellingSession.starts_at < last,
            )
            .options(selectinload(CounsellingSession.course))
            .order_by(CounsellingSession.starts_at, CounsellingSession.id)
        )
    )


# --- pages ----------------------------------------------------------------------------

counsellor_only = roles_required(Role.COUNSELLOR)


@bp.get("/kalender/feed")
@counsellor_only
def feed_settings():
    feed = active_feed(db.session(), current_user)
    new = web.load_state(NEW_ADDRESS, NEW_ADDRESS_LIFETIME)
    web.clear_state(NEW_ADDRESS)
    address = None
    if new and feed is not None and new.get("feed") == feed.public_id:
        address = public_url("calendar.feed_ics", token=new["token"])
    return render_template(
        "calendar/feed.html", feed=feed, address=address, form=EmptyForm()
    )


@bp.post("/kalender/feed/ny")
@counsellor_only
def feed_create():
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        feed, token = create_feed(db.session(), current_user)
        db.session().commit()
    except IntegrityError:
        db.session().rollback()
        flash(_("The address was just made in another window. Try again."), "error")
        return redirect(url_for("calendar.feed_settings"))
    # Kept encrypted in the session until the next page shows it, then forgotten.
    web.save_state(NEW_ADDRESS, {"feed": feed.public_id, "token": token})
    return redirect(url_for("calendar.feed_settings"))


@bp.post("/kalender/feed/<public_id>/tilbagekald")
@counsellor_only
def feed_revoke(public_id: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        revoke_feed(db.session(), current_user, public_id)
    except LookupError:
        db.session().rollback()
        abort(404)
    db.session().commit()
    web.clear_state(NEW_ADDRESS)
    flash(
        _("The address is closed. Calendars that use it get nothing more."), "success"
    )
    return redirect(url_for("calendar.feed_settings"))


@bp.get("/kalender/feed/<token>.ics")
@limiter.limit(FEED_LIMIT)
def feed_ics(token: str):
    feed = feed_for_token(db.session(), token)
    if feed is None:
        abort(404)
    now = utcnow()
    sessions = feed_sessions(db.session(), feed.counsellor_id, now)
    host = urlsplit(current_app.config["PORTAL_BASE_URL"]).hostname or "familieportalen"
    # Staff words in Danish: a calendar client says nothing useful about language.
    with force_locale("da"):
        body = ical.build_feed(
            sessions,
            name=_("Familieportalen: talks"),
            uid=f"feed-{feed.public_id}@{host}",
            host=host,
            now=now,
        )
    feed.last_used_at = now
    db.session().commit()
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = 'inline; filename="familieportalen.ics"'
    return response


# --- logs -----------------------------------------------------------------------------


class RedactFeedTokens(logging.Filter):
    """Replace the token in a feed path with "…" in every record of a logger: the
    development server's and gunicorn's request lines, and Flask's error log."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redact(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redact(value) for value in record.args)
        return True


def _redact(value):
    if isinstance(value, str) and "/kalender/feed/" in value:
        return _FEED_PATH.sub("/kalender/feed/….ics", value)
    return value


@bp.record_once
def _keep_tokens_out_of_logs(state) -> None:
    for logger in (
        logging.getLogger("werkzeug"),
        logging.getLogger("gunicorn.access"),
        logging.getLogger("gunicorn.error"),
        state.app.logger,
    ):
        if not any(isinstance(known, RedactFeedTokens) for known in logger.filters):
            logger.addFilter(RedactFeedTokens())
