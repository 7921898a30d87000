"""A counsellor's private, revocable iCalendar feed: the rules behind its address.

The address carries a random token (256 bits from ``secrets``); the database keeps
only its SHA-256, so the address is shown once, when it is made. A plain hash is
enough because the token is random, not chosen by a person, and it keeps the feeds
working when SECRET_KEY is rotated. Making a new address revokes the old one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User
from portal.calendar.models import FeedToken
from portal.db import utcnow


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
    _record(db_session, counsellor, audit.AuditAction.FEED_CREATED, feed)
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
    _record(db_session, counsellor, audit.AuditAction.FEED_REVOKED, feed)
    return feed


def _record(
    db_session: Session, counsellor: User, action: audit.AuditAction, feed: FeedToken
) -> None:
    audit.record(
        db_session,
        actor=counsellor,
        action=action,
        object_type="calendar_feed",
        object_id=feed.public_id,
    )
