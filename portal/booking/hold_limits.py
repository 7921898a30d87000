"""Hold limits on the public booking (see ``anti_automation``): how many times a
client holds at once (BOOKING_ACTIVE_HOLDS), counted from the holds themselves,
and the share of a week's free times held at once (BOOKING_MAX_HELD_SHARE).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from portal.booking.errors import BookingBusy, TooManyHolds
from portal.booking.models import SlotHold
from portal.booking.slots import free_slots
from portal.i18n import LOCAL
from portal.timeutil import local_midnight


def _active_holds(db: Session, now: datetime, *conditions: ColumnElement[bool]) -> int:
    return db.execute(
        select(func.count(SlotHold.id)).where(SlotHold.expires_at > now, *conditions)
    ).scalar_one()


def check_hold_limits(
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
