"""A double-submitted confirm books once, and shows the booking code only briefly.

The confirm form carries a secret random key. It is stored (hashed) on the
session it made, and the booking code is derived from it, so a replay of the
same key finds the booking and can show its code again, but only within
``CODE_REPLAY_WINDOW``: the key is not a second booking code.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.booking import codes
from portal.booking.errors import HoldExpired
from portal.booking.models import CounsellingSession, Course
from portal.db import utcnow

#: A replayed confirm form shows the booking code again only this long after the
#: booking was made; later the key only says that the booking exists.
CODE_REPLAY_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class Booking:
    """A new course: ``code`` is the clear booking code, to show once and forget.

    ``replayed`` marks a booking an earlier submit of the same form made; its
    ``code`` is None once CODE_REPLAY_WINDOW has passed.
    """

    course: Course
    session: CounsellingSession
    code: str | None
    replayed: bool = False


def new_idempotency_key() -> str:
    """A secret random token for a confirm form (also seeds the booking code)."""
    return secrets.token_urlsafe(32)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def replayed_session(db: Session, key: str | None) -> CounsellingSession | None:
    if not key:
        return None
    return db.scalar(
        select(CounsellingSession)
        .where(CounsellingSession.idempotency_key == digest(key))
        .execution_options(populate_existing=True)
    )


def replayed_booking(
    db: Session, idempotency_key: str | None, now: datetime | None = None
) -> Booking | None:
    """The course an earlier submit with this key made, or None.

    The key is not a second booking code: the code comes back only within
    CODE_REPLAY_WINDOW of the booking (the views also check that the key is the
    one in this browser's own draft); after that ``code`` is None. Raises
    HoldExpired if the course has been deleted since.
    """
    if not idempotency_key:
        return None
    existing = replayed_session(db, idempotency_key)
    if existing is None:
        return None
    if existing.course is None:
        raise HoldExpired()
    fresh = (now or utcnow()) - existing.created_at <= CODE_REPLAY_WINDOW
    code = codes.code_from_seed(idempotency_key) if fresh else None
    return Booking(existing.course, existing, code, replayed=True)
