"""Availability rules: weekly spans and absences, changed without losing bookings.

A change that would take away time under a booked session (a new absence, or a
span removed, shrunk or without the session's mode) is not applied while such a
session exists: ``apply_change`` raises ``Conflicts`` with the sessions, and the
counsellor moves or cancels each, or cancels all of them with one reason (then
each family that left an e-mail is told). The check runs again under the
counsellor's booking lock, so a parent booking at the same moment cannot slip a
session under the change. Services only flush; the view commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.availability.changes import Change, NewAbsence, SpanChange, conflicts
from portal.availability.errors import AvailabilityError, Conflicts
from portal.availability.models import (
    Absence,
    AvailabilitySpan,
    Mode,
)
from portal.availability.settings import lock_counsellor, settings_for
from portal.booking import sessions as booking_sessions
from portal.booking.models import CancelledBy, CounsellingSession
from portal.booking.notify import notify_cancelled
from portal.db import utcnow

MAX_LOCATION = 200
MAX_REASON = 200
MAX_ABSENCE = timedelta(days=366)


# --- reading --------------------------------------------------------------------------


def spans_of(db: Session, counsellor_id: int) -> list[AvailabilitySpan]:
    return list(
        db.scalars(
            select(AvailabilitySpan)
            .where(AvailabilitySpan.counsellor_id == counsellor_id)
            .order_by(AvailabilitySpan.weekday, AvailabilitySpan.start_time)
        )
    )


def span_of(db: Session, counsellor_id: int, span_id: int | None) -> AvailabilitySpan:
    """The counsellor's own span; AvailabilityError("not_found") otherwise (also
    for a change that names no span)."""
    span = None if span_id is None else db.get(AvailabilitySpan, span_id)
    if span is None or span.counsellor_id != counsellor_id:
        raise AvailabilityError("not_found")
    return span


def absences_of(
    db: Session, counsellor_id: int, now: datetime | None = None
) -> list[Absence]:
    """Absences that have not ended, soonest first."""
    return list(
        db.scalars(
            select(Absence)
            .where(
                Absence.counsellor_id == counsellor_id,
                Absence.ends_at > (now or utcnow()),
            )
            .order_by(Absence.starts_at)
        )
    )


# --- checking -------------------------------------------------------------------------


def check_span(db: Session, counsellor_id: int, change: SpanChange) -> None:
    """A span starts before it ends, offers a known mode and overlaps no other
    span of the same weekday; raises AvailabilityError."""
    if change.delete:
        span_of(db, counsellor_id, change.span_id)
        return
    if change.span_id is not None:
        span_of(db, counsellor_id, change.span_id)
    if not 0 <= change.weekday <= 6:
        raise AvailabilityError("out_of_range", field="weekday")
    if change.start_time >= change.end_time:
        raise AvailabilityError("span_order", field="end_time")
    if not change.modes:
        raise AvailabilityError("no_modes", field="modes")
    if any(mode not in set(Mode) for mode in change.modes):
        raise AvailabilityError("unknown_mode", field="modes")
    if len(change.location) > MAX_LOCATION:
        raise AvailabilityError("location_too_long", field="location")
    for other in spans_of(db, counsellor_id):
        if other.id == change.span_id or other.weekday != change.weekday:
            continue
        if other.start_time < change.end_time and change.start_time < other.end_time:
            raise AvailabilityError("span_overlap", field="start_time")


def check_absence(change: NewAbsence) -> None:
    if change.starts_at >= change.ends_at:
        raise AvailabilityError("absence_order", field="end_date")
    if change.ends_at - change.starts_at > MAX_ABSENCE:
        raise AvailabilityError("absence_too_long", field="end_date")
    if len(change.reason) > MAX_REASON:
        raise AvailabilityError("reason_too_long", field="reason")


# --- changing -------------------------------------------------------------------------


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
    if isinstance(change, NewAbsence):
        check_absence(change)
    else:
        check_span(db, counsellor_id, change)
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
    if isinstance(change, NewAbsence):
        db.add(
            Absence(
                counsellor_id=counsellor_id,
                starts_at=change.starts_at,
                ends_at=change.ends_at,
                reason=change.reason,
            )
        )
    elif change.delete:
        db.delete(span_of(db, counsellor_id, change.span_id))
    else:
        span = (
            span_of(db, counsellor_id, change.span_id)
            if change.span_id is not None
            else AvailabilitySpan(counsellor_id=counsellor_id)
        )
        span.weekday = change.weekday
        span.start_time = change.start_time
        span.end_time = change.end_time
        span.modes = ",".join(m for m in Mode if m in change.modes)
        span.location = change.location.strip()
        db.add(span)
    db.flush()
    return in_the_way


def delete_absence(db: Session, counsellor_id: int, absence_id: int) -> None:
    """Remove the counsellor's own absence: it only gives time back."""
    absence = db.get(Absence, absence_id)
    if absence is None or absence.counsellor_id != counsellor_id:
        raise AvailabilityError("not_found")
    db.delete(absence)
    db.flush()
