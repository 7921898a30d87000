"""What anonymous booking keeps only while needed: the daily retention purge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from portal.booking.holds import release_expired_holds
from portal.booking.models import (
    COURSE_DELETED,
    CounsellingSession,
    Course,
    SessionStatus,
)
from portal.booking.privacy import delete_course
from portal.db import rows_changed, utcnow


@dataclass(frozen=True)
class PurgeResult:
    addresses: int
    contacts: int
    courses: int
    holds: int
    deleted_slots: int = 0


def purge(db: Session, now: datetime | None = None) -> PurgeResult:
    """The retention rules, run daily by ``flask --app portal purge``.

    * home-visit addresses and the numbers we call for phone talks, of sessions
      that have ended or were cancelled;
    * contact details of courses with no booked future session;
    * courses with no activity (look-up, booking, change, or a session) for
      BOOKING_RETENTION_DAYS, deleted as by ``delete_course``;
    * expired slot holds;
    * the cancelled slots a deleted course left ("aflyst – forløb slettet")
      once their time has passed.
    """
    now = now or utcnow()
    addresses = rows_changed(
        db.execute(
            update(CounsellingSession)
            .where(
                or_(
                    CounsellingSession.address.is_not(None),
                    CounsellingSession.call_phone.is_not(None),
                ),
                or_(
                    CounsellingSession.ends_at <= now,
                    CounsellingSession.status != SessionStatus.BOOKED,
                ),
            )
            .values(address=None, call_phone=None)
            .execution_options(synchronize_session=False)
        )
    )

    future_session = exists().where(
        CounsellingSession.course_id == Course.id,
        CounsellingSession.status == SessionStatus.BOOKED,
        CounsellingSession.starts_at > now,
    )
    contacts = rows_changed(
        db.execute(
            update(Course)
            .where(
                or_(
                    Course.contact_email.is_not(None), Course.contact_phone.is_not(None)
                ),
                ~future_session,
            )
            .values(contact_email=None, contact_phone=None, wants_reminders=False)
            .execution_options(synchronize_session=False)
        )
    )

    cutoff = now - timedelta(days=current_app.config["BOOKING_RETENTION_DAYS"])
    recent_session = exists().where(
        and_(
            CounsellingSession.course_id == Course.id,
            CounsellingSession.ends_at > cutoff,
        )
    )
    stale = list(
        db.scalars(
            select(Course).where(Course.last_activity_at < cutoff, ~recent_session)
        )
    )
    for course in stale:
        delete_course(db, course, now)
    holds = release_expired_holds(db, now)
    deleted_slots = rows_changed(
        db.execute(
            delete(CounsellingSession)
            .where(
                CounsellingSession.course_id.is_(None),
                CounsellingSession.family_id.is_(None),
                CounsellingSession.cancel_reason == COURSE_DELETED,
                CounsellingSession.ends_at <= now,
            )
            .execution_options(synchronize_session=False)
        )
    )
    db.expire_all()
    return PurgeResult(addresses, contacts, len(stale), holds, deleted_slots)
