"""Availability changes that would drop booked talks.

A change that would take away time under a booked session (a new absence, or a
span removed, shrunk or without the session's mode) is not applied while such a
session exists: ``apply_change`` raises ``Conflicts`` with the sessions, and the
counsellor moves or cancels each, or cancels all of them with one reason (then
each family that left an e-mail is told). The check runs again under the
counsellor's booking lock, so a parent booking at the same moment cannot slip a
session under the change. It lives here, above booking, because it cancels
booked talks; availability itself only checks and stores the change.
Services only flush; the view commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.availability.changes import Change, NewAbsence, blocker
from portal.availability.services import MAX_REASON, check_change, write_change
from portal.availability.settings import lock_counsellor, settings_for
from portal.booking import sessions as booking_sessions
from portal.booking.models import CancelledBy, CounsellingSession, SessionStatus
from portal.booking.notify import notify_cancelled
from portal.db import utcnow


class Conflicts(Exception):
    """Booked sessions stand in the way of the change; nothing was changed."""

    def __init__(self, sessions: list[CounsellingSession]):
        super().__init__(f"{len(sessions)} booked session(s) in the way")
        self.sessions = sessions


def conflicts(
    db: Session, counsellor_id: int, change: Change, now: datetime | None = None
) -> list[CounsellingSession]:
    """Booked sessions, not yet over, whose time the change would take away."""
    now = now or utcnow()
    query = (
        select(CounsellingSession)
        .options(joinedload(CounsellingSession.course))
        .where(
            CounsellingSession.counsellor_id == counsellor_id,
            CounsellingSession.status == SessionStatus.BOOKED,
            CounsellingSession.ends_at > now,
        )
        .order_by(CounsellingSession.starts_at)
        .execution_options(populate_existing=True)
    )
    if isinstance(change, NewAbsence):
        query = query.where(
            CounsellingSession.starts_at < change.ends_at,
            CounsellingSession.ends_at > change.starts_at,
        )
    blocks = blocker(db, counsellor_id, change)
    return [
        session
        for session in db.scalars(query).unique()
        if blocks(session.starts_at, session.ends_at, str(session.mode))
    ]


def apply_change(
    db: Session,
    counsellor_id: int,
    change: Change,
    *,
    cancel_reason: str | None = None,
    now: datetime | None = None,
) -> list[CounsellingSession]:
    """Apply an availability change unless it would drop a booked session.

    Rules: the input is checked (AvailabilityError); under the counsellor's lock
    the booked sessions in the way are found again; if there are any and no
    ``cancel_reason`` is given, Conflicts is raised and nothing changes. With a
    ``cancel_reason`` each is cancelled by the counsellor and the family is told
    (if they left an e-mail). Returns the sessions cancelled.
    """
    now = now or utcnow()
    check_change(db, counsellor_id, change)
    settings_for(db, counsellor_id)
    lock_counsellor(db, counsellor_id)
    in_the_way = conflicts(db, counsellor_id, change, now)
    if in_the_way and cancel_reason is None:
        raise Conflicts(in_the_way)
    for session in in_the_way:
        booking_sessions.cancel_session(
            db,
            session,
            by=CancelledBy.COUNSELLOR,
            reason=(cancel_reason or "").strip()[:MAX_REASON],
            now=now,
        )
        notify_cancelled(db, session)
    write_change(db, counsellor_id, change)
    db.flush()
    return in_the_way
