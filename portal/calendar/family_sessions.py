"""Sessions with a known family, booked by an assigned counsellor in their own
calendar.

A family session is a row of ``counselling_sessions`` with ``family_id`` set, so
it goes through the same placement as an anonymous one: a hold on a free time of
the counsellor, their booking lock, the re-check, the unique index and (on
PostgreSQL) the exclusion constraint. A family session and an anonymous one can
therefore never overlap; a lost race is SlotTaken. The five-session rule is for
anonymous courses only and never touches these. Services flush; the view commits.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User
from portal.availability.models import Mode
from portal.availability.services import MAX_LOCATION as MAX_SPAN_LOCATION
from portal.booking.claims import Claimed, claim_unless_replayed, flush_placed, place
from portal.booking.errors import InvalidBooking
from portal.booking.models import CounsellingSession
from portal.booking.replay import digest, replayed_session
from portal.calendar import services, session_log
from portal.db import utcnow
from portal.families import access as family_access
from portal.families.models import Family
from portal.families.sessions import active_members

MAX_LOCATION = MAX_SPAN_LOCATION


class FamilySessionError(InvalidBooking):
    """Bad input for a family session. Codes: ``no_participants``,
    ``location_too_long``, ``not_assigned``."""


def _participants(family: Family, chosen: Collection[str]) -> list[User]:
    members = [m for m in active_members(family) if m.public_id in chosen]
    if not members:
        raise FamilySessionError("no_participants", field="participants")
    return members


def _location(mode: Mode, location: str | None) -> str | None:
    location = (location or "").strip()
    if mode != Mode.CENTRE or not location:
        return None
    if len(location) > MAX_LOCATION:
        raise FamilySessionError("location_too_long", field="location")
    return location


def book_family_session(
    db: Session,
    counsellor: User,
    family: Family,
    *,
    starts_at: datetime,
    mode: Mode | str,
    participants: Collection[str],
    idempotency_key: str,
    address: str | None = None,
    location: str | None = None,
    actor: User | None = None,
    now: datetime | None = None,
) -> CounsellingSession:
    """Book a session with ``family`` at a free time of ``counsellor``, who must be
    assigned to it (``not_assigned``). ``participants`` are public ids of the
    family's active members (at least one). A home visit needs an address
    (encrypted, as for anonymous visits); one at the centre may have a place text
    (the room, the house). The
    same ``idempotency_key`` books once. Raises SlotTaken, InvalidBooking,
    FamilySessionError."""
    now = now or utcnow()

    def replay() -> CounsellingSession | None:
        existing = replayed_session(db, idempotency_key)
        return existing if existing and existing.family_id == family.id else None

    if (existing := replay()) is not None:
        return existing
    if not family_access.is_assigned(db, counsellor, family):
        raise FamilySessionError("not_assigned")
    try:
        mode = Mode(mode)
    except ValueError:
        raise InvalidBooking("unknown_mode", field="mode") from None
    members = _participants(family, participants)
    place_text = _location(mode, location)
    language = services.talk_language(db, counsellor.id)
    hold = services.hold_own_time(db, counsellor.id, starts_at, mode, language, now=now)
    claimed = claim_unless_replayed(db, hold.token, address, now, replay)
    if not isinstance(claimed, Claimed):
        return claimed
    session = CounsellingSession(
        family_id=family.id,
        address=claimed.address,
        location=place_text,
        idempotency_key=digest(idempotency_key),
        created_at=now,
    )
    session.participants = members
    place(db, session, claimed.hold)
    db.add(session)
    flush_placed(db)
    session_log.log_session_action(
        db, actor, session, "family session booked", action=audit.AuditAction.CREATE
    )
    return session
