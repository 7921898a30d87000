"""Forgetting an anonymous course: "delete everything now", and the deletion the
scheduled purge (``retention``) uses too.

What stays is only what the counsellor's calendar needs to make sense: a session
row with no course, no address, no note and no idempotency key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.booking.models import (
    COURSE_DELETED,
    CancelledBy,
    CounsellingSession,
    Course,
    SessionStatus,
)
from portal.booking.notify import withdraw_course_mail
from portal.db import utcnow


def delete_course(db: Session, course: Course, now: datetime | None = None) -> None:
    """Delete the course with its contact details, addresses and notes, irreversibly.

    Future booked sessions become cancelled sessions without a course ("aflyst –
    forløb slettet", ``cancel_reason == COURSE_DELETED``) so the counsellor's
    calendar still shows the freed time, with no stamp that the course's
    sessions share (no time of cancelling or change); the purge removes them
    once their time has passed. Past sessions keep only their time, mode and
    outcome, for the leader's anonymous statistics.
    """
    now = now or utcnow()
    for session in db.scalars(
        select(CounsellingSession).where(CounsellingSession.course_id == course.id)
    ):
        if session.status == SessionStatus.BOOKED and session.starts_at > now:
            # No time of cancelling: one shared stamp would tie the course's
            # sessions together again. The revision still tells calendar feeds.
            session.status = SessionStatus.CANCELLED
            session.cancelled_by = str(CancelledBy.PARENT)
            session.cancel_reason = COURSE_DELETED
            session.cancelled_at = None
            session.revision += 1
            session.changed_at = None
        session.course_id = None
        session.address = None
        session.call_phone = None
        session.working_note = ""
        session.idempotency_key = None
    db.flush()
    db.expire(course, ["sessions"])
    db.delete(course)
    db.flush()


def erase_course(db: Session, course: Course, now: datetime | None = None) -> None:
    """A parent's "delete everything": queued reminders and notices hold the
    e-mail address, so they are withdrawn at once, then the course is deleted."""
    withdraw_course_mail(db, course, now)
    delete_course(db, course, now)
