"""Anti-automation on the public booking: a script must not be able to hold or
book a week empty.

Threat: the flow needs no log-in, so a script with fresh cookies could hold every
free time for ten minutes, again and again, and no parent could book. Three
limits stand in the way, each with a calm message and the phone number:

* per client, how often it may choose a time (BOOKING_HOLDS_PER_HOUR) and make a
  new course (BOOKING_COURSES_PER_DAY), counted here in the rate-limit storage;
* per client, how many times it holds at once (BOOKING_ACTIVE_HOLDS), counted
  from the holds themselves (each carries its client's key);
* in total, the share of a week's free times that may be held at once
  (BOOKING_MAX_HELD_SHARE).

"Client" is ``security.client_key()``: a keyed hash of the address that changes
every day. Neither the address nor anything that reverses to it is stored.
Staff booking on behalf of a caller are not limited.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from flask import current_app
from limits import RateLimitItem, parse
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from portal.availability.models import Mode
from portal.booking import holds as booking_holds
from portal.booking.errors import BookingBusy, TooManyHolds
from portal.booking.models import SlotHold
from portal.booking.slots import free_slots
from portal.db import utcnow
from portal.i18n import LOCAL
from portal.security import client_key, limiter
from portal.timeutil import local_midnight

logger = logging.getLogger(__name__)

#: What a parent's hold may run into; each error's message gives the phone number.
LimitReached = (TooManyHolds, BookingBusy)

#: What is counted, and the configuration that says how often per period.
_RATES = {
    "hold": ("BOOKING_HOLDS_PER_HOUR", "hour"),
    "course": ("BOOKING_COURSES_PER_DAY", "day"),
}


def _item(kind: str) -> RateLimitItem:
    name, period = _RATES[kind]
    return parse(f"{current_app.config[name]} per {period}")


def allowed(kind: str) -> bool:
    """Whether this client may choose a time (``"hold"``) or make a new course
    (``"course"``) now. With the limit storage away, yes: a Redis outage must
    not stop every booking (the database-side limits still hold)."""
    if not limiter.enabled:
        return True
    try:
        return limiter.limiter.test(_item(kind), "booking", kind, client_key())
    except Exception:  # noqa: BLE001 - any storage failure: let the parent book
        logger.warning("booking limits: rate-limit storage unavailable")
        return True


def count(kind: str) -> None:
    """Count one hold or new course for this client."""
    if not limiter.enabled:
        return
    try:
        limiter.limiter.hit(_item(kind), "booking", kind, client_key())
    except Exception:  # noqa: BLE001 - see ``allowed``
        logger.warning("booking limits: rate-limit storage unavailable")


def hold_for_parent(
    db: Session,
    *,
    starts_at: datetime,
    mode: Mode | str,
    language: str,
    replace_token: str | None = None,
    now: datetime | None = None,
    prefer_counsellor_id: int | None = None,
    ignore_session_id: int | None = None,
) -> SlotHold:
    """``booking_holds.hold_slot`` for a parent, within the limits above; raises
    TooManyHolds or BookingBusy (``LimitReached``) besides hold_slot's errors."""
    if not allowed("hold"):
        raise TooManyHolds()
    now = now or utcnow()
    key = client_key()
    _check_hold_limits(db, key, starts_at, now, replace_token)
    made = booking_holds.hold_slot(
        db,
        starts_at=starts_at,
        mode=mode,
        language=language,
        replace_token=replace_token,
        now=now,
        prefer_counsellor_id=prefer_counsellor_id,
        ignore_session_id=ignore_session_id,
        client_key=key,
    )
    count("hold")
    return made


def _active_holds(db: Session, now: datetime, *conditions: ColumnElement[bool]) -> int:
    return db.execute(
        select(func.count(SlotHold.id)).where(SlotHold.expires_at > now, *conditions)
    ).scalar_one()


def _check_hold_limits(
    db: Session,
    client_key: str,
    starts_at: datetime,
    now: datetime,
    replace_token: str | None,
) -> None:
    """This client's active holds (the one being replaced does not count), and
    the share of the free times held in the Copenhagen week of ``starts_at``."""
    config = current_app.config
    mine = _active_holds(
        db,
        now,
        SlotHold.client_key == client_key,
        SlotHold.token != (replace_token or ""),
    )
    if mine >= config["BOOKING_ACTIVE_HOLDS"]:
        raise TooManyHolds()
    day = starts_at.astimezone(LOCAL).date()
    monday = day - timedelta(days=day.weekday())
    start = max(now, local_midnight(monday))
    end = local_midnight(monday + timedelta(weeks=1))
    held = _active_holds(
        db,
        now,
        SlotHold.starts_at >= start,
        SlotHold.starts_at < end,
        SlotHold.token != (replace_token or ""),
    )
    free = {
        (slot.counsellor_id, slot.starts_at)
        for slot in free_slots(db, start, end, now=now, ignore_hold_token=replace_token)
    }
    share = config["BOOKING_MAX_HELD_SHARE"]
    if held >= max(1, math.floor(share * (len(free) + held))):
        raise BookingBusy()
