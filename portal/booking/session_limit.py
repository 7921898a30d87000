"""The law's five sessions: which count, the counter that keeps the limit, and
whether a course has room for one more; and spreading them: at most
BOOKING_MAX_UPCOMING booked talks ahead at a time (``count_one_more_ahead``).

Booked, held and unwaived no-show sessions count; cancelled ones do not
(``counted``, one SQL expression for the services and the leader's statistics).
``anonymous_courses.sessions_counted`` changes only through ``count_one_more``
and ``count_one_less``: single conditional UPDATEs in the transaction that
changes the session, so two concurrent bookings never both see "4" (see
``portal.booking.models``; a CHECK constraint refuses a sixth).
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from portal.booking.errors import CourseFull, TooManyUpcoming
from portal.booking.models import (
    MAX_SESSIONS,
    CounsellingSession,
    Course,
    SessionStatus,
)
from portal.db import rows_changed


def counted() -> ColumnElement[bool]:
    """Sessions that count towards the five: booked, held, or an unwaived no-show."""
    return or_(
        CounsellingSession.status.in_([SessionStatus.BOOKED, SessionStatus.HELD]),
        and_(
            CounsellingSession.status == SessionStatus.NO_SHOW,
            CounsellingSession.no_show_waived.is_(False),
        ),
    )


def counts(db: Session, session: CounsellingSession) -> bool:
    """Whether ``session`` counts as stored now (flush changes first)."""
    return bool(db.scalar(select(counted()).where(CounsellingSession.id == session.id)))


def sessions_used(course: Course) -> int:
    """Sessions that count towards the five ("2 af 5 samtaler brugt")."""
    return course.sessions_counted


def can_book_more(course: Course) -> bool:
    return course.sessions_counted < MAX_SESSIONS


def count_one_more(db: Session, course: Course, now: datetime) -> None:
    """Add one counted session; the single UPDATE is what keeps the limit."""
    result = db.execute(
        update(Course)
        .where(Course.id == course.id, Course.sessions_counted < MAX_SESSIONS)
        .values(sessions_counted=Course.sessions_counted + 1, last_activity_at=now)
        .execution_options(synchronize_session=False)
    )
    db.expire(course, ["sessions_counted", "last_activity_at"])
    if rows_changed(result) != 1:
        raise CourseFull()


def count_one_less(db: Session, course_id: int, now: datetime) -> None:
    db.execute(
        update(Course)
        .where(Course.id == course_id)
        .values(sessions_counted=Course.sessions_counted - 1, last_activity_at=now)
        .execution_options(synchronize_session=False)
    )
    course = db.get(Course, course_id)
    if course is not None:
        db.expire(course, ["sessions_counted", "last_activity_at"])


def upcoming_limit() -> int:
    """How many booked talks of one course may lie ahead at a time."""
    limit: int = current_app.config["BOOKING_MAX_UPCOMING"]
    return limit


def upcoming(db: Session, course_id: int, now: datetime) -> int:
    """The course's booked talks that have not started."""
    return int(
        db.scalar(
            select(func.count(CounsellingSession.id)).where(
                CounsellingSession.course_id == course_id,
                CounsellingSession.status == SessionStatus.BOOKED,
                CounsellingSession.starts_at > now,
            )
        )
        or 0
    )


def has_room_ahead(db: Session, course: Course, now: datetime) -> bool:
    return upcoming(db, course.id, now) < upcoming_limit()


def count_one_more_ahead(db: Session, course: Course, now: datetime) -> None:
    """Add one counted talk that lies ahead: CourseFull past five, TooManyUpcoming
    past BOOKING_MAX_UPCOMING. The counter's UPDATE locks the course row first, so
    the count that follows sees every booking committed for the course before
    (PostgreSQL re-reads after the lock; SQLite has one writer): two tabs never
    both see room for the last talk ahead. The caller rolls back on either error.
    """
    count_one_more(db, course, now)
    if upcoming(db, course.id, now) >= upcoming_limit():
        raise TooManyUpcoming()
