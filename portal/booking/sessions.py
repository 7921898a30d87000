"""A course's sessions after the first: book the next, move, cancel, mark the outcome.

The five-session rule is kept by ``portal.booking.session_limit``. Services flush;
after any BookingError or IntegrityError the caller rolls back.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.booking.claims import (
    Claimed,
    claim_hold,
    claim_unless_replayed,
    flush_placed,
    place,
)
from portal.booking.contact_checks import check_address
from portal.booking.errors import (
    CourseFull,
    HoldExpired,
    NotChangeable,
    TooLateToCancel,
)
from portal.booking.meeting import check_call_phone
from portal.booking.models import (
    CancelledBy,
    CounsellingSession,
    Course,
    SessionStatus,
    SlotHold,
)
from portal.booking.replay import digest, replayed_session
from portal.booking.session_limit import (
    can_book_more,
    count_one_less,
    count_one_more,
    count_one_more_ahead,
    counts,
)
from portal.db import utcnow


def book_next_session(
    db: Session,
    course: Course,
    *,
    hold_token: str,
    idempotency_key: str | None = None,
    address: str | None = None,
    call_phone: str | None = None,
    now: datetime | None = None,
) -> CounsellingSession:
    """Book another session for ``course`` from a hold.

    Five-session rule: booked + held + unwaived no-show sessions count, cancelled
    ones do not; the sixth raises CourseFull, also under concurrent requests (the
    counter UPDATE with ``sessions_counted < 5`` and the CHECK constraint). More
    than BOOKING_MAX_UPCOMING talks ahead raises TooManyUpcoming. The same
    ``idempotency_key`` books once. Raises HoldExpired, SlotTaken, InvalidBooking.
    """
    now = now or utcnow()

    def replay() -> CounsellingSession | None:
        existing = replayed_session(db, idempotency_key)
        if existing is not None and existing.course_id == course.id:
            return existing
        return None

    if (done := replay()) is not None:
        return done
    if not can_book_more(course):
        raise CourseFull()
    claimed = claim_unless_replayed(
        db,
        hold_token,
        address,
        now,
        replay,
        lambda: count_one_more_ahead(db, course, now),
    )
    if not isinstance(claimed, Claimed):
        return claimed
    hold, address = claimed
    session = CounsellingSession(
        course_id=course.id,
        address=address,
        call_phone=check_call_phone(hold.mode, call_phone),
        idempotency_key=digest(idempotency_key) if idempotency_key else None,
        created_at=now,
    )
    place(db, session, hold)
    db.add(session)
    flush_placed(db)
    db.expire(course, ["sessions"])
    return session


def _check_parent_cutoff(session: CounsellingSession, now: datetime) -> None:
    hours = current_app.config["BOOKING_CANCEL_CUTOFF_HOURS"]
    if session.starts_at - timedelta(hours=hours) < now:
        raise TooLateToCancel()


def cancel_session(
    db: Session,
    session: CounsellingSession,
    *,
    by: CancelledBy = CancelledBy.PARENT,
    reason: str = "",
    now: datetime | None = None,
) -> None:
    """Cancel a booked session; it then no longer counts towards the five.

    A parent may cancel until BOOKING_CANCEL_CUTOFF_HOURS before the start
    (TooLateToCancel after that); a counsellor at any time. Only booked sessions
    can be cancelled (NotChangeable). The home-visit address is erased at once.
    """
    now = now or utcnow()
    if session.status != SessionStatus.BOOKED:
        raise NotChangeable()
    if by == CancelledBy.PARENT:
        _check_parent_cutoff(session, now)
    session.status = SessionStatus.CANCELLED
    session.cancelled_by = str(by)
    session.cancel_reason = reason[:200]
    session.cancelled_at = now
    session.address = None
    session.call_phone = None
    session.revise(now)
    db.flush()
    if session.course_id is not None:
        count_one_less(db, session.course_id, now)


def move_session(
    db: Session,
    session: CounsellingSession,
    *,
    hold_token: str,
    address: str | None = None,
    call_phone: str | None = None,
    by: CancelledBy = CancelledBy.PARENT,
    now: datetime | None = None,
) -> CounsellingSession:
    """Move a booked session to the held time (a free slot, possibly in another mode).

    Same cut-off as cancelling for parents (TooLateToCancel); a counsellor may
    move a session at any time. A home visit keeps its address unless a new one
    is given; other modes drop it. A phone talk where we call keeps its number
    unless a new one is given, and a move into one needs a number
    (``meeting.check_call_phone``); other modes drop it. The count of sessions
    does not change. A hold on the talk's own time, counsellor and mode changes
    nothing (no new revision for calendar feeds). Raises HoldExpired, SlotTaken,
    InvalidBooking.
    """
    now = now or utcnow()
    if session.status != SessionStatus.BOOKED:
        raise NotChangeable()
    if by == CancelledBy.PARENT:
        _check_parent_cutoff(session, now)
    hold = db.scalar(select(SlotHold).where(SlotHold.token == hold_token))
    if hold is None:
        raise HoldExpired()
    unchanged = address in (None, session.address) and call_phone in (
        None,
        session.call_phone,
    )
    if _same_place(session, hold) and unchanged:
        db.delete(hold)  # the talk already has this time: nothing changes
        db.flush()
        return session
    address = check_address(hold.mode, address or session.address)
    number = check_call_phone(hold.mode, call_phone or session.call_phone)
    hold = claim_hold(db, hold_token, now, ignore_session_id=session.id)
    place(db, session, hold)
    session.address = address
    session.call_phone = number
    session.revise(now)
    if session.course is not None:
        session.course.last_activity_at = now
    flush_placed(db)
    return session


def _same_place(session: CounsellingSession, hold: SlotHold) -> bool:
    return (session.starts_at, session.counsellor_id, session.mode) == (
        hold.starts_at,
        hold.counsellor_id,
        hold.mode,
    )


def record_outcome(
    db: Session,
    session: CounsellingSession,
    status: SessionStatus,
    *,
    waived: bool = False,
    now: datetime | None = None,
) -> None:
    """The counsellor marks a session held or no-show (optionally waived), or back
    to booked; the course's count follows (a waived no-show does not count).
    Raises NotChangeable for cancelled sessions, CourseFull if un-waiving would
    make a sixth.
    """
    now = now or utcnow()
    if session.status == SessionStatus.CANCELLED or status == SessionStatus.CANCELLED:
        raise NotChangeable()
    counted_before = counts(db, session)
    session.status = SessionStatus(status)
    session.no_show_waived = waived and session.status == SessionStatus.NO_SHOW
    db.flush()
    course = session.course
    if course is not None:
        counted_now = counts(db, session)
        if counted_now and not counted_before:
            count_one_more(db, course, now)
        elif counted_before and not counted_now:
            count_one_less(db, course.id, now)
