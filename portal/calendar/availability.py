"""Availability rules: weekly spans, absences and settings, without losing bookings.

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

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.booking import services as booking
from portal.booking.models import (
    LANGUAGES,
    Absence,
    AvailabilitySpan,
    CancelledBy,
    CounsellingSession,
    CounsellorSettings,
    Mode,
)
from portal.calendar.changes import (  # noqa: F401 - part of this module's API
    Change,
    NewAbsence,
    SpanChange,
    absence_from_local,
    blocker,
    change_from_dict,
    change_to_dict,
    conflicts,
)
from portal.calendar.notify import notify_cancelled
from portal.db import utcnow

MAX_LOCATION = 200
MAX_REASON = 200
MAX_ABSENCE = timedelta(days=366)
#: Limits of the settings form, as (lowest, highest).
LIMITS = {
    "session_minutes": (15, 240),
    "home_visit_buffer_minutes": (0, 240),
    "horizon_weeks": (1, 52),
    "minimum_notice_hours": (0, 336),
}


class AvailabilityError(Exception):
    """Bad availability input; ``code`` says what (the view words it).

    Codes: ``span_order``, ``span_overlap``, ``no_modes``, ``unknown_mode``,
    ``location_too_long``, ``absence_order``, ``absence_too_long``,
    ``reason_too_long``, ``no_languages``, ``unknown_language``, ``out_of_range``,
    ``not_found``.
    """

    def __init__(self, code: str, *, field: str | None = None):
        super().__init__(code)
        self.code = code
        self.field = field


class Conflicts(Exception):
    """Booked sessions stand in the way of the change; nothing was changed."""

    def __init__(self, sessions: list[CounsellingSession]):
        super().__init__(f"{len(sessions)} booked session(s) in the way")
        self.sessions = sessions


# --- reading --------------------------------------------------------------------------


def settings_for(db: Session, counsellor_id: int) -> CounsellorSettings:
    """The counsellor's settings; a new counsellor gets the defaults (flushed)."""
    found = db.scalar(
        select(CounsellorSettings).where(
            CounsellorSettings.counsellor_id == counsellor_id
        )
    )
    if found is None:
        found = CounsellorSettings(
            counsellor_id=counsellor_id,
            session_minutes=60,
            home_visit_buffer_minutes=30,
            horizon_weeks=6,
            minimum_notice_hours=24,
            languages="da",
        )
        db.add(found)
        db.flush()
    return found


def spans_of(db: Session, counsellor_id: int) -> list[AvailabilitySpan]:
    return list(
        db.scalars(
            select(AvailabilitySpan)
            .where(AvailabilitySpan.counsellor_id == counsellor_id)
            .order_by(AvailabilitySpan.weekday, AvailabilitySpan.start_time)
        )
    )


def span_of(db: Session, counsellor_id: int, span_id: int) -> AvailabilitySpan:
    """The counsellor's own span; AvailabilityError("not_found") otherwise."""
    span = db.get(AvailabilitySpan, span_id)
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


def lock_counsellor(db: Session, counsellor_id: int) -> CounsellorSettings:
    """Take the counsellor's booking lock (the same UPDATE the booking services
    use), so no booking lands between our check and our change."""
    settings = settings_for(db, counsellor_id)
    db.execute(
        update(CounsellorSettings)
        .where(CounsellorSettings.counsellor_id == counsellor_id)
        .values(lock_version=CounsellorSettings.lock_version + 1)
        .execution_options(synchronize_session=False)
    )
    return settings


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
    lock_counsellor(db, counsellor_id)
    in_the_way = conflicts(db, counsellor_id, change, now)
    if in_the_way and cancel_reason is None:
        raise Conflicts(in_the_way)
    for session in in_the_way:
        booking.cancel_session(
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


def save_settings(
    db: Session,
    counsellor_id: int,
    *,
    session_minutes: int,
    home_visit_buffer_minutes: int,
    horizon_weeks: int,
    minimum_notice_hours: int,
    languages: list[str],
) -> CounsellorSettings:
    """Session length, home-visit buffer, horizon, notice and languages.

    Booked sessions keep their times whatever changes here; new limits apply to
    new bookings. Raises AvailabilityError (out_of_range, no_languages,
    unknown_language).
    """
    values = {
        "session_minutes": session_minutes,
        "home_visit_buffer_minutes": home_visit_buffer_minutes,
        "horizon_weeks": horizon_weeks,
        "minimum_notice_hours": minimum_notice_hours,
    }
    for name, value in values.items():
        low, high = LIMITS[name]
        if value is None or not low <= value <= high:
            raise AvailabilityError("out_of_range", field=name)
    if not languages:
        raise AvailabilityError("no_languages", field="languages")
    if any(code not in LANGUAGES for code in languages):
        raise AvailabilityError("unknown_language", field="languages")
    settings = settings_for(db, counsellor_id)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.languages = ",".join(code for code in LANGUAGES if code in languages)
    _shrink_travel_buffers(db, counsellor_id, home_visit_buffer_minutes)
    db.flush()
    return settings


def _shrink_travel_buffers(db: Session, counsellor_id: int, minutes: int) -> None:
    """A shorter buffer frees time after booked home visits at once: their stored
    busy range (the database's no-overlap rule) shrinks with it. A longer one
    only applies to new bookings, so no booked session comes into conflict."""
    buffer = timedelta(minutes=minutes)
    for session in db.scalars(
        select(CounsellingSession).where(
            CounsellingSession.counsellor_id == counsellor_id,
            CounsellingSession.mode == Mode.HOME,
            CounsellingSession.busy_until > utcnow(),
        )
    ):
        session.busy_until = min(session.busy_until, session.ends_at + buffer)
