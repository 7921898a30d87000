"""What staff do to a session: outcome, cancel, move, note. Services flush; the
view commits. Who may open a session at all is ``portal.calendar.access``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.availability.changes import Blocker
from portal.availability.models import CounsellorSettings, Mode, split_codes
from portal.booking import holds
from portal.booking import sessions as booking_sessions
from portal.booking.errors import BookingError, NotChangeable, SlotTaken
from portal.booking.models import (
    CancelledBy,
    CounsellingSession,
    SessionStatus,
    SlotHold,
)
from portal.booking.notify import notify_cancelled, notify_moved
from portal.booking.slots import Slot, free_slots
from portal.calendar.session_log import log_session_action
from portal.db import utcnow
from portal.feedback.invite import invite_after_session

MAX_NOTE = 2000
MAX_CANCEL_REASON = 200


class CalendarError(BookingError):
    """A calendar rule said no. Codes: ``not_started`` (an outcome before the
    session began), ``note_too_long``, ``reason_required``, ``no_course``."""


OUTCOMES = {
    "held": (SessionStatus.HELD, False),
    "no_show": (SessionStatus.NO_SHOW, False),
    "no_show_waived": (SessionStatus.NO_SHOW, True),
    "booked": (SessionStatus.BOOKED, False),
}


def mark_outcome(
    db: Session,
    session: CounsellingSession,
    outcome: str,
    *,
    actor: User | None = None,
    now: datetime | None = None,
) -> None:
    """Held, no-show, no-show waived (does not count towards five), or back to
    booked. Only once the session has begun (``not_started``); never a cancelled
    session (NotChangeable); un-waiving a sixth raises CourseFull."""
    now = now or utcnow()
    status, waived = OUTCOMES[outcome]
    if session.starts_at > now:
        raise CalendarError("not_started")
    booking_sessions.record_outcome(db, session, status, waived=waived, now=now)
    invite_after_session(db, session)  # held: "tell us how it went", if wanted
    log_session_action(db, actor, session, f"outcome {outcome}")


def cancel_by_counsellor(
    db: Session,
    session: CounsellingSession,
    reason: str | None,
    *,
    actor: User | None = None,
    now: datetime | None = None,
) -> None:
    """Cancel with a reason (kept for staff, never sent); the family is told if
    they left an e-mail. The session no longer counts towards five."""
    reason = (reason or "").strip()
    if not reason:
        raise CalendarError("reason_required", field="reason")
    booking_sessions.cancel_session(
        db,
        session,
        by=CancelledBy.COUNSELLOR,
        reason=reason[:MAX_CANCEL_REASON],
        now=now,
    )
    notify_cancelled(db, session)
    log_session_action(db, actor, session, "cancelled")


def has_owner(session: CounsellingSession) -> bool:
    """Whether the session still belongs to someone: an anonymous course (not
    deleted) or a known family."""
    return session.course_id is not None or session.family_id is not None


def talk_language(
    db: Session, counsellor_id: int, session: CounsellingSession | None = None
) -> str:
    """The language whose free times fit: an anonymous course's own; a family
    session is not chosen by language, so the counsellor's first (free times are
    filtered by language)."""
    if session is not None and session.course is not None:
        return session.course.language
    spoken = db.scalar(
        select(CounsellorSettings.languages).where(
            CounsellorSettings.counsellor_id == counsellor_id
        )
    )
    return next(iter(split_codes(spoken or "")), "da")


def own_free_slots(
    db: Session,
    counsellor_id: int,
    start: datetime,
    end: datetime,
    *,
    mode: Mode | str,
    language: str,
    ignore_session_id: int | None = None,
    blocks: Blocker | None = None,
    now: datetime | None = None,
) -> list[Slot]:
    """The counsellor's own free slots (same rules as a parent's), minus any time
    a pending availability change (``blocks``) would take away."""
    found = free_slots(
        db,
        start,
        end,
        mode=mode,
        language=language,
        now=now,
        counsellor_ids=[counsellor_id],
        ignore_session_id=ignore_session_id,
    )
    if blocks is not None:
        found = [s for s in found if not blocks(s.starts_at, s.ends_at, s.mode)]
    return found


def hold_own_time(
    db: Session,
    counsellor_id: int,
    starts_at: datetime,
    mode: Mode | str,
    language: str,
    *,
    ignore_session_id: int | None = None,
    now: datetime | None = None,
) -> SlotHold:
    """Hold a time in this counsellor's own calendar (never a colleague's)."""
    hold = holds.hold_slot(
        db,
        starts_at=starts_at,
        mode=mode,
        language=language,
        prefer_counsellor_id=counsellor_id,
        ignore_session_id=ignore_session_id,
        now=now,
    )
    if hold.counsellor_id != counsellor_id:
        holds.release_hold(db, hold.token)
        raise SlotTaken()
    return hold


def move_by_counsellor(
    db: Session,
    session: CounsellingSession,
    starts_at: datetime,
    *,
    mode: Mode | str | None = None,
    address: str | None = None,
    call_phone: str | None = None,
    blocks: Blocker | None = None,
    actor: User | None = None,
    now: datetime | None = None,
) -> datetime:
    """Move a booked session to a free time of the same counsellor; returns the old
    start. Only free times (hold + move, as a parent would); not into time a
    pending change takes away (SlotTaken); the family is told if they left an
    e-mail. Raises the booking errors (SlotTaken, TooLateToCancel, ...)."""
    now = now or utcnow()
    if session.status != SessionStatus.BOOKED or not has_owner(session):
        raise NotChangeable()
    mode = Mode(mode or session.mode)
    length = session.ends_at - session.starts_at
    if blocks is not None and blocks(starts_at, starts_at + length, mode):
        raise SlotTaken()
    old_start = session.starts_at
    hold = hold_own_time(
        db,
        session.counsellor_id,
        starts_at,
        mode,
        talk_language(db, session.counsellor_id, session),
        ignore_session_id=session.id,
        now=now,
    )
    booking_sessions.move_session(
        db,
        session,
        hold_token=hold.token,
        address=address,
        call_phone=call_phone,
        by=CancelledBy.COUNSELLOR,
        now=now,
    )
    if session.mode == Mode.HOME:
        session.location = None  # a home visit's place is its (encrypted) address
    notify_moved(db, session, old_start)
    log_session_action(db, actor, session, "moved")
    return old_start


def save_note(
    db: Session,
    session: CounsellingSession,
    note: str | None,
    *,
    actor: User | None = None,
) -> None:
    """The counsellor's short working note on a session; it is erased with the
    anonymous course (see ``portal.booking.privacy``) or the family."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise CalendarError("note_too_long", field="note")
    if not has_owner(session):
        raise CalendarError("no_course")
    session.working_note = note
    db.flush()
    log_session_action(db, actor, session, "working note")
