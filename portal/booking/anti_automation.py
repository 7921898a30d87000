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

from datetime import datetime

from sqlalchemy.orm import Session

from portal.availability.models import Mode
from portal.booking import holds as booking_holds
from portal.booking.errors import BookingBusy, TooManyHolds
from portal.booking.hold_limits import check_hold_limits
from portal.booking.models import SlotHold
from portal.booking.rates import allowed, count
from portal.db import utcnow
from portal.security import client_key

#: What a parent's hold may run into; each error's message gives the phone number.
LimitReached = (TooManyHolds, BookingBusy)


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
    check_hold_limits(db, key, starts_at, now, replace_token)
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
