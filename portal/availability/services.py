"""Availability rules: weekly spans and absences, read, checked and written.

Whether a change may drop booked sessions is decided above booking, in
``portal.calendar.availability_changes``, which calls ``check_change`` and
``write_change`` around that. Services only flush; the view commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.availability.changes import Change, NewAbsence, SpanChange
from portal.availability.errors import AvailabilityError
from portal.availability.models import (
    Absence,
    AvailabilitySpan,
    Mode,
)
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


def check_change(db: Session, counsellor_id: int, change: Change) -> None:
    """The change's own input, before any booked session is looked at; raises
    AvailabilityError."""
    if isinstance(change, NewAbsence):
        check_absence(change)
        same = select(Absence.id).where(
            Absence.counsellor_id == counsellor_id,
            Absence.starts_at == change.starts_at,
            Absence.ends_at == change.ends_at,
        )
        if db.scalar(same) is not None:
            raise AvailabilityError("absence_repeated", field="start_date")
    else:
        check_span(db, counsellor_id, change)


def write_change(db: Session, counsellor_id: int, change: Change) -> None:
    """Store a checked change. The caller has made sure no booked session is in
    its way (``portal.calendar.availability_changes``) and flushes."""
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


def delete_absence(db: Session, counsellor_id: int, absence_id: int) -> None:
    """Remove the counsellor's own absence: it only gives time back."""
    absence = db.get(Absence, absence_id)
    if absence is None or absence.counsellor_id != counsellor_id:
        raise AvailabilityError("not_found")
    db.delete(absence)
    db.flush()
