"""Per-client rates on the public booking (see ``anti_automation``): how often a
client may choose a time (BOOKING_HOLDS_PER_HOUR) and make a new course
(BOOKING_COURSES_PER_DAY), counted in the rate-limit storage under
``security.client_key()``.
"""

from __future__ import annotations

import logging

from flask import current_app
from limits import RateLimitItem, parse

from portal.security import client_key, limiter

logger = logging.getLogger(__name__)

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
