"""Anti-automation on the public booking: a script must not be able to hold or
book a week empty.

Threat: the flow needs no log-in, so a script with fresh cookies could hold every
free time for ten minutes, again and again, and no parent could book. Three
limits stand in the way, each with a calm message and the phone number:

* per client, how often it may choose a time (BOOKING_HOLDS_PER_HOUR) and make a
  new course (BOOKING_COURSES_PER_DAY), counted here in the rate-limit storage;
* per client, how many times it holds at once (BOOKING_ACTIVE_HOLDS), counted
  in ``services.hold_slot`` from the holds themselves;
* in total, the share of a week's free times that may be held at once
  (BOOKING_MAX_HELD_SHARE), also in ``services.hold_slot``.

"Client" is ``security.client_key()``: a keyed hash of the address that changes
every day. Neither the address nor anything that reverses to it is stored.
Staff booking on behalf of a caller are not limited.
"""

from __future__ import annotations

import logging

from flask import current_app
from limits import parse
from sqlalchemy.orm import Session

from portal.booking import services
from portal.booking.errors import BookingBusy, TooManyHolds
from portal.booking.models import SlotHold
from portal.security import client_key, limiter

logger = logging.getLogger(__name__)

#: What a parent's hold may run into; each error's message gives the phone number.
LimitReached = (TooManyHolds, BookingBusy)

#: What is counted, and the configuration that says how often per period.
_RATES = {
    "hold": ("BOOKING_HOLDS_PER_HOUR", "hour"),
    "course": ("BOOKING_COURSES_PER_DAY", "day"),
}


def _item(kind: str):
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


def hold_for_parent(db: Session, **hold) -> SlotHold:
    """``services.hold_slot`` for a parent, within the limits above; raises
    TooManyHolds or BookingBusy (``LimitReached``) besides hold_slot's errors."""
    if not allowed("hold"):
        raise TooManyHolds()
    made = services.hold_slot(db, client_key=client_key(), **hold)
    count("hold")
    return made
