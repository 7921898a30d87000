"""Opening a feed by its address: the token must look like one and match the hash
of an active feed; then the counsellor's sessions in the feed's window.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.booking.models import CounsellingSession
from portal.calendar import ical
from portal.calendar.feed import token_hash
from portal.calendar.models import FeedToken

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


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
