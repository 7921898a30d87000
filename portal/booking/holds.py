"""Holds: a time kept for a parent while they finish.

All booking goes through a *hold*: the parent picks a time, ``hold_slot`` keeps it
for BOOKING_HOLD_MINUTES, and creating a course, booking the next session or
moving one claims the hold (``portal.booking.claims``). Every service that can
put a session in a counsellor's calendar first takes that counsellor's booking
lock (``lock_or_taken``) and then re-checks the time against fresh data; see
``portal.booking.models`` for why this holds under concurrent requests on
PostgreSQL and SQLite. Services flush; after any BookingError or IntegrityError
the caller rolls back.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.availability.models import LANGUAGES, CounsellorSettings, Mode
from portal.availability.settings import lock_counsellor
from portal.booking.errors import InvalidBooking, SlotTaken
from portal.booking.models import SlotHold
from portal.booking.slots import Slot, free_slots
from portal.db import rows_changed, utcnow


def lock_or_taken(db: Session, counsellor_id: int) -> None:
    """Take the counsellor's booking lock; SlotTaken if they cannot be booked."""
    if not lock_counsellor(db, counsellor_id):
        raise SlotTaken()


def _check_mode(mode: Mode | str) -> Mode:
    try:
        return Mode(mode)
    except ValueError:
        raise InvalidBooking("unknown_mode", field="mode") from None


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise InvalidBooking("unknown_language", field="language")
    return language


def _latest_horizon(db: Session, now: datetime) -> datetime:
    weeks = db.scalar(
        select(CounsellorSettings.horizon_weeks)
        .order_by(CounsellorSettings.horizon_weeks.desc())
        .limit(1)
    )
    return now + timedelta(weeks=weeks or 0)


def hold_slot(
    db: Session,
    *,
    starts_at: datetime,
    mode: Mode | str,
    language: str,
    now: datetime | None = None,
    prefer_counsellor_id: int | None = None,
    replace_token: str | None = None,
    ignore_session_id: int | None = None,
    client_key: str | None = None,
) -> SlotHold:
    """Keep the time ``starts_at`` in ``mode`` for BOOKING_HOLD_MINUTES.

    Any counsellor who speaks ``language`` and is free may take it; the preferred
    one (the course's own counsellor) first. ``replace_token`` releases the
    parent's previous hold; ``ignore_session_id`` treats the session being moved
    as free. A parent's hold carries their ``client_key``, so that
    ``portal.booking.anti_automation`` can count it. Raises InvalidBooking (time_past,
    time_out_of_range, unknown_mode, unknown_language) or SlotTaken.
    """
    now = now or utcnow()
    mode = _check_mode(mode)
    check_language(language)
    if starts_at.tzinfo is None:
        raise InvalidBooking("time_out_of_range", field="time")
    if starts_at <= now:
        raise InvalidBooking("time_past", field="time")
    if starts_at >= _latest_horizon(db, now):
        raise InvalidBooking("time_out_of_range", field="time")

    def candidates(counsellor_ids: Iterable[int] | None = None) -> list[Slot]:
        return [
            slot
            for slot in free_slots(
                db,
                starts_at,
                starts_at + timedelta(seconds=1),
                mode=mode,
                language=language,
                now=now,
                counsellor_ids=counsellor_ids,
                ignore_hold_token=replace_token,
                ignore_session_id=ignore_session_id,
            )
            if slot.starts_at == starts_at
        ]

    found = candidates()
    if not found:
        raise SlotTaken()
    preferred = [s for s in found if s.counsellor_id == prefer_counsellor_id]
    slot = preferred[0] if preferred else secrets.choice(found)

    lock_or_taken(db, slot.counsellor_id)
    if replace_token:
        release_hold(db, replace_token)
    db.execute(
        delete(SlotHold).where(
            SlotHold.counsellor_id == slot.counsellor_id, SlotHold.expires_at <= now
        )
    )
    if slot not in candidates([slot.counsellor_id]):
        raise SlotTaken()
    hold = SlotHold(
        token=secrets.token_urlsafe(32),
        counsellor_id=slot.counsellor_id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        mode=slot.mode,
        expires_at=now + timedelta(minutes=current_app.config["BOOKING_HOLD_MINUTES"]),
        created_at=now,
        client_key=client_key,
    )
    db.add(hold)
    try:
        db.flush()
    except IntegrityError as error:
        raise SlotTaken() from error
    return hold


def find_hold(
    db: Session, token: str | None, now: datetime | None = None
) -> SlotHold | None:
    """The unexpired hold with ``token``, or None."""
    if not token:
        return None
    hold = db.scalar(select(SlotHold).where(SlotHold.token == token))
    if hold is None or hold.expires_at <= (now or utcnow()):
        return None
    return hold


def release_hold(db: Session, token: str) -> None:
    """Give a held time back (the parent chose another time or left)."""
    db.execute(delete(SlotHold).where(SlotHold.token == token))


def release_expired_holds(db: Session, now: datetime | None = None) -> int:
    """Delete holds whose time ran out; they already stopped blocking slots."""
    now = now or utcnow()
    result = db.execute(delete(SlotHold).where(SlotHold.expires_at <= now))
    return rows_changed(result)
