"""Booking on behalf of a parent who phones: the public flow's rules, in the
counsellor's own calendar. The new course's code is returned once and never
stored; the next session of a course is booked from the code the parent reads.
Services flush; the view commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User
from portal.availability.models import Mode
from portal.booking import courses, replay, session_limit
from portal.booking import sessions as booking_sessions
from portal.booking.errors import BookingError, CourseFull
from portal.booking.models import CounsellingSession, Course
from portal.calendar import services, session_log


def book_new_course(
    db: Session,
    counsellor_id: int,
    *,
    starts_at: datetime,
    mode: Mode | str,
    language: str,
    idempotency_key: str,
    actor: User | None = None,
    now: datetime | None = None,
    address: str | None = None,
    contact_email: str | None = None,
    contact_phone: str | None = None,
    call_phone: str | None = None,
    wants_reminders: bool = False,
) -> replay.Booking:
    """A new anonymous course in this counsellor's calendar for a parent on the
    phone: the public flow's rules (free time, notice, horizon, address for a home
    visit, contact optional, reminders only with an e-mail). The same
    ``idempotency_key`` books once; the code is returned here, never stored, and
    a replay gives it again only within the public flow's CODE_REPLAY_WINDOW.
    The address, contact e-mail and phone, the number we call for a phone talk
    and reminders go to the course as ``booking.create_course`` takes them."""
    replayed = replay_new_course(db, idempotency_key, now)
    if replayed is not None:
        return replayed
    hold = services.hold_own_time(db, counsellor_id, starts_at, mode, language, now=now)
    made = courses.create_course(
        db,
        hold_token=hold.token,
        language=language,
        idempotency_key=idempotency_key,
        contact_email=contact_email,
        contact_phone=contact_phone,
        wants_reminders=wants_reminders,
        address=address,
        call_phone=call_phone,
        now=now,
    )
    _log_created(db, actor, made.session, "booked on behalf of a caller")
    return made


def _log_created(
    db: Session, actor: User | None, session: CounsellingSession, note: str
) -> None:
    session_log.log_session_action(
        db, actor, session, note, action=audit.AuditAction.CREATE
    )


def replay_new_course(
    db: Session, idempotency_key: str, now: datetime | None = None
) -> replay.Booking | None:
    """The booking this key already made (a double-submitted form), or None;
    its code only within CODE_REPLAY_WINDOW (``replay.replayed_booking``)."""
    try:
        return replay.replayed_booking(db, idempotency_key, now)
    except BookingError:
        return None


def book_next_for_course(
    db: Session,
    counsellor_id: int,
    course: Course,
    *,
    starts_at: datetime,
    mode: Mode | str,
    idempotency_key: str,
    address: str | None = None,
    call_phone: str | None = None,
    actor: User | None = None,
    now: datetime | None = None,
) -> CounsellingSession:
    """The next session of a course whose code the parent read aloud. Five at
    most (CourseFull, also under concurrent requests); a phone talk where we call
    needs ``call_phone``."""
    if not session_limit.can_book_more(course):
        raise CourseFull()
    hold = services.hold_own_time(
        db, counsellor_id, starts_at, mode, course.language, now=now
    )
    session = booking_sessions.book_next_session(
        db,
        course,
        hold_token=hold.token,
        idempotency_key=idempotency_key,
        address=address,
        call_phone=call_phone,
        now=now,
    )
    _log_created(db, actor, session, "next session booked on behalf of a caller")
    return session
