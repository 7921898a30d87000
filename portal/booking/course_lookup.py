"""A course after it is made: found by its booking code (malformed and unknown
codes alike), its sessions as Min booking shows them, and closing Min booking.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.booking import codes
from portal.booking.models import CounsellingSession, Course, SessionStatus
from portal.db import utcnow


def find_course_by_code(
    db: Session, code: str, now: datetime | None = None
) -> Course | None:
    """The course with this booking code, or None.

    Malformed and unknown codes get the same answer (None) after the same work,
    so the answer does not tell whether a code ever existed. A look-up counts as
    activity for the retention period.
    """
    try:
        digest = codes.code_hash(code)
    except codes.MalformedCode:
        codes.code_hash("0" * codes.CODE_LENGTH)
        return None
    course = db.scalar(select(Course).where(Course.code_hash == digest))
    if course is not None:
        course.last_activity_at = now or utcnow()
        db.flush()
    return course


def upcoming_sessions(
    course: Course, now: datetime | None = None
) -> list[CounsellingSession]:
    """Booked sessions that have not ended, soonest first."""
    now = now or utcnow()
    return [
        s
        for s in course.sessions
        if s.status == SessionStatus.BOOKED and s.ends_at > now
    ]


def past_sessions(
    course: Course, now: datetime | None = None
) -> list[CounsellingSession]:
    """Everything else (held, no-show, cancelled, or ended), oldest first."""
    upcoming = set(upcoming_sessions(course, now))
    return [s for s in course.sessions if s not in upcoming]


def close_access(db: Session, course: Course) -> None:
    """ "Luk Min booking": bump the access version, so every copy of the browser
    session that opened this course stops working, not only this one."""
    course.access_version += 1
    db.flush()
