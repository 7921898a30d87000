"""Turning a hold into a session: claim the hold, place the session at its time.

Creating a course, booking the next session and moving one all claim a hold
(``claim_hold``) under the counsellor's booking lock, then place the session
(``place``) and flush (``flush_placed``). The two that take a new booking do it
through ``claim_unless_replayed``, which keeps the order that makes a double
click book once. Services flush; after any BookingError or IntegrityError the
caller rolls back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.availability.models import CounsellorSettings, Mode
from portal.booking.contact_checks import check_address
from portal.booking.errors import HoldExpired, SlotTaken
from portal.booking.holds import lock_or_taken
from portal.booking.models import CounsellingSession, SlotHold
from portal.booking.slots import free_slots

Made = TypeVar("Made")


class Claimed(NamedTuple):
    hold: SlotHold
    address: str | None


def claim_unless_replayed(
    db: Session,
    hold_token: str,
    address: str | None,
    now: datetime,
    replay: Callable[[], Made | None],
    count: Callable[[], None] = lambda: None,
) -> Made | Claimed:
    """Claim the hold for a new booking, or return what ``replay`` finds.

    The order keeps a double click to one booking: a hold that is gone is
    reported only after looking for the booking once more (the other click may
    have used it and committed meanwhile), and under the counsellor's lock the
    booking is looked for again before ``count`` (the five-session counter) and
    the claim. The caller has looked once before calling. Raises InvalidBooking
    (a home visit without an address), HoldExpired or SlotTaken.
    """
    hold = db.scalar(select(SlotHold).where(SlotHold.token == hold_token))
    if hold is None:
        if (done := replay()) is not None:
            return done
        raise HoldExpired()
    address = check_address(hold.mode, address)
    lock_or_taken(db, hold.counsellor_id)
    if (done := replay()) is not None:
        return done
    count()
    return Claimed(claim_hold(db, hold_token, now), address)


def claim_hold(
    db: Session, token: str, now: datetime, *, ignore_session_id: int | None = None
) -> SlotHold:
    """Lock the hold's counsellor, re-check it and consume it.

    A hold that expired is still honoured if nobody took the time meanwhile.
    """
    hold = db.scalar(select(SlotHold).where(SlotHold.token == token))
    if hold is None:
        raise HoldExpired()
    lock_or_taken(db, hold.counsellor_id)
    hold = db.scalar(
        select(SlotHold)
        .where(SlotHold.token == token)
        .execution_options(populate_existing=True)
    )
    if hold is None:
        raise HoldExpired()
    if hold.expires_at <= now:
        still_free = [
            slot
            for slot in free_slots(
                db,
                hold.starts_at,
                hold.starts_at + timedelta(seconds=1),
                mode=hold.mode,
                now=now,
                counsellor_ids=[hold.counsellor_id],
                ignore_hold_token=token,
                ignore_session_id=ignore_session_id,
            )
            if slot.starts_at == hold.starts_at
        ]
        if not still_free:
            db.delete(hold)
            raise SlotTaken()
    db.delete(hold)
    db.flush()
    return hold


def place(db: Session, session: CounsellingSession, hold: SlotHold) -> None:
    """Put ``session`` at the held time. Its busy range (``busy_until``, kept apart
    by the database on PostgreSQL) includes a home visit's travel buffer, as
    ``free_slots`` counts it."""
    buffer: int | None = 0
    if hold.mode == Mode.HOME:
        buffer = db.scalar(
            select(CounsellorSettings.home_visit_buffer_minutes).where(
                CounsellorSettings.counsellor_id == hold.counsellor_id
            )
        )
    session.counsellor_id = hold.counsellor_id
    session.starts_at = hold.starts_at
    session.ends_at = hold.ends_at
    session.busy_until = hold.ends_at + timedelta(minutes=buffer or 0)
    session.mode = hold.mode


def flush_placed(db: Session) -> None:
    try:
        db.flush()
    except IntegrityError as error:
        raise SlotTaken() from error
