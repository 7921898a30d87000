"""What keeps a counsellor busy in a period: booked sessions (with the travel
buffer after a home visit), unexpired holds and absences, as sorted disjoint
intervals in POSIX seconds.

Times are POSIX seconds here: integer arithmetic and comparisons are several times
cheaper than datetimes, and a six-week view over twenty counsellors checks
thousands of candidate slots against them.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.availability.models import Absence, Mode
from portal.booking.models import (
    LONGEST_SESSION,
    CounsellingSession,
    SessionStatus,
    SlotHold,
)
from portal.booking.slot_days import seconds
from portal.db import epoch_seconds

# Sessions and absences this far outside the period can still overlap its slots.
_MARGIN = timedelta(days=1)


class BusyTime:
    """A counsellor's busy time as sorted, disjoint intervals (POSIX seconds).

    Slots are asked about in time order, so a cursor walks the intervals once
    instead of searching for every slot.
    """

    def __init__(self, intervals: list[tuple[int, int]]):
        merged: list[list[int]] = []
        for start, end in sorted(intervals):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]
        self.cursor = 0

    def overlaps(self, start: int, end: int) -> bool:
        ends, i = self.ends, self.cursor
        if i and ends[i - 1] > start:  # asked about an earlier time: search again
            i = bisect_right(ends, start)
        while i < len(ends) and ends[i] <= start:
            i += 1
        self.cursor = i
        return i < len(ends) and self.starts[i] < end


def outward(start: datetime, end: datetime) -> tuple[int, int]:
    """Whole POSIX seconds covering [start, end): slots start and end on whole
    seconds, so they overlap these exactly when they overlap the true times."""
    return math.floor(start.timestamp()), seconds(end)


def busy_times(
    db: Session,
    buffers: Mapping[int, int],
    start: datetime,
    end: datetime,
    *,
    now: datetime,
    ignore_hold_token: str | None = None,
    ignore_session_id: int | None = None,
) -> dict[int, BusyTime]:
    """Each counsellor's busy time around ``[start, end)``: non-cancelled sessions
    (except ``ignore_session_id``) and unexpired holds (except
    ``ignore_hold_token``), each with ``buffers[counsellor]`` seconds after a home
    visit, and absences."""
    ids = list(buffers)
    lo, hi = start - _MARGIN, end + _MARGIN
    busy_raw: dict[int, list[tuple[int, int]]] = defaultdict(list)
    sessions = select(
        CounsellingSession.counsellor_id,
        epoch_seconds(CounsellingSession.starts_at),
        epoch_seconds(CounsellingSession.ends_at),
        CounsellingSession.mode,
    ).where(
        CounsellingSession.counsellor_id.in_(ids),
        CounsellingSession.status != SessionStatus.CANCELLED,
        CounsellingSession.starts_at > lo - LONGEST_SESSION,
        CounsellingSession.starts_at < hi,
        CounsellingSession.ends_at > lo,
    )
    if ignore_session_id is not None:
        sessions = sessions.where(CounsellingSession.id != ignore_session_id)
    holds = select(
        SlotHold.counsellor_id,
        epoch_seconds(SlotHold.starts_at),
        epoch_seconds(SlotHold.ends_at),
        SlotHold.mode,
    ).where(
        SlotHold.counsellor_id.in_(ids),
        SlotHold.expires_at > now,
        SlotHold.starts_at < hi,
        SlotHold.ends_at > lo,
    )
    if ignore_hold_token is not None:
        holds = holds.where(SlotHold.token != ignore_hold_token)
    for busy_query in (sessions, holds):
        for cid, busy_start, busy_end, busy_mode in db.execute(busy_query):
            buffer = buffers[cid] if busy_mode == Mode.HOME else 0
            busy_raw[cid].append((busy_start, busy_end + buffer))
    # Absences are entered by hand and may hold fractions of a second, which the
    # databases' epoch functions truncate or round; they are few, so read them
    # as datetimes and round outwards.
    for cid, a_start, a_end in db.execute(
        select(Absence.counsellor_id, Absence.starts_at, Absence.ends_at).where(
            Absence.counsellor_id.in_(ids),
            Absence.starts_at < hi,
            Absence.ends_at > lo,
        )
    ):
        busy_raw[cid].append(outward(a_start, a_end))
    return {cid: BusyTime(busy_raw.get(cid, [])) for cid in ids}
