"""Free slots: weekly availability minus everything that makes a time unbookable.

The period's sessions, absences and holds are read with one query each and the
rest is computed in Python, so a six-week view over twenty counsellors takes a few
milliseconds. Weekly spans are Europe/Copenhagen wall time, so a 09:00 span stays
09:00 on both sides of a daylight-saving change. Slots start at wall times stepped
by the session length from the span's start and last the session length in real
time; on the two change nights a start the clock skips gives no slot, a repeated
start means its first occurrence, and a slot must end by the moment the clock first
reads the span's end.
"""

from __future__ import annotations

import math
import operator
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.availability.models import (
    Absence,
    AvailabilitySpan,
    CounsellorSettings,
    Mode,
    split_codes,
)
from portal.booking import slot_days
from portal.booking.models import (
    LONGEST_SESSION,
    CounsellingSession,
    SessionStatus,
    SlotHold,
)
from portal.booking.slot_days import change_day_times, seconds
from portal.db import epoch_seconds, utcnow
from portal.i18n import LOCAL

# Sessions and absences this far outside the period can still overlap its slots.
_MARGIN = timedelta(days=1)


@dataclass(frozen=True, order=True)
class Slot:
    """A bookable time with one counsellor in one mode (UTC times)."""

    starts_at: datetime
    ends_at: datetime
    mode: Mode
    counsellor_id: int
    location: str = field(default="", compare=False)


@dataclass(frozen=True, order=True)
class FreeTime:
    """What the parent sees: a time, without the counsellor behind it."""

    starts_at: datetime
    ends_at: datetime

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(LOCAL)


class _Busy:
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


#: A weekly span as read for the computation: (counsellor, weekday, start, end,
#: modes, location).
_SpanRow = Row[int, int, time, time, str, str]
#: Per weekday: (location, modes, [(start, end)], (span start, span end)), all
#: in seconds from local midnight.
_Template = tuple[str, tuple[Mode, ...], list[tuple[int, int]], tuple[int, int]]
#: A free slot while it is computed: (start, end, mode, counsellor, location).
_Found = tuple[int, int, Mode, int, str]


def _outward(start: datetime, end: datetime) -> tuple[int, int]:
    """Whole POSIX seconds covering [start, end): slots start and end on whole
    seconds, so they overlap these exactly when they overlap the true times."""
    return math.floor(start.timestamp()), seconds(end)


def free_slots(
    db: Session,
    start: datetime,
    end: datetime,
    *,
    mode: Mode | str | None = None,
    language: str | None = None,
    now: datetime | None = None,
    counsellor_ids: Iterable[int] | None = None,
    ignore_hold_token: str | None = None,
    ignore_session_id: int | None = None,
    closed_dates: Iterable[str] | None = None,
) -> list[Slot]:
    """Every bookable slot starting in ``[start, end)``, sorted by time.

    Rules: each active counsellor's weekly spans (Copenhagen time), cut into
    slots of their session length; only modes the span offers and counsellors who
    speak ``language``; minus non-cancelled sessions plus the buffer after a home
    visit (a home-visit slot also needs its own buffer free afterwards); minus
    absences, unexpired holds (except ``ignore_hold_token``), Danish public
    holidays and ``BOOKING_CLOSED_DATES``; starting no earlier than the
    counsellor's minimum notice and before their booking horizon.
    """
    now = now or utcnow()
    wanted_mode = Mode(mode) if mode else None
    if closed_dates is None:
        closed_dates = current_app.config["BOOKING_CLOSED_DATES"]
    closed_dates = frozenset(closed_dates)

    # Plain rows, not ORM objects: this runs for every free-time computation.
    query = (
        select(
            CounsellorSettings.counsellor_id,
            CounsellorSettings.languages,
            CounsellorSettings.session_minutes,
            CounsellorSettings.home_visit_buffer_minutes,
            CounsellorSettings.minimum_notice_hours,
            CounsellorSettings.horizon_weeks,
        )
        .join(User, User.id == CounsellorSettings.counsellor_id)
        .where(User.active.is_(True), User.role == Role.COUNSELLOR)
    )
    if counsellor_ids is not None:
        query = query.where(CounsellorSettings.counsellor_id.in_(list(counsellor_ids)))
    settings = {
        row.counsellor_id: row
        for row in db.execute(query)
        if language is None or language in split_codes(row.languages)
    }
    if not settings or start >= end:
        return []
    ids = list(settings)

    spans: dict[int, dict[int, list[_SpanRow]]] = defaultdict(lambda: defaultdict(list))
    for span in db.execute(
        select(
            AvailabilitySpan.counsellor_id,
            AvailabilitySpan.weekday,
            AvailabilitySpan.start_time,
            AvailabilitySpan.end_time,
            AvailabilitySpan.modes,
            AvailabilitySpan.location,
        ).where(AvailabilitySpan.counsellor_id.in_(ids))
    ):
        spans[span.counsellor_id][span.weekday].append(span)

    lo, hi = start - _MARGIN, end + _MARGIN
    # Times are POSIX seconds from here on: integer arithmetic and comparisons
    # are several times cheaper than datetimes, and a six-week view over twenty
    # counsellors checks thousands of candidate slots.
    buffers = {
        cid: setting.home_visit_buffer_minutes * 60 for cid, setting in settings.items()
    }
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
        busy_raw[cid].append(_outward(a_start, a_end))

    found: list[_Found] = []
    open_days = slot_days.open_days(
        start.astimezone(LOCAL).date(), end.astimezone(LOCAL).date(), closed_dates
    )
    for cid, setting in settings.items():
        earliest = max(start, now + timedelta(hours=setting.minimum_notice_hours))
        latest = min(end, now + timedelta(weeks=setting.horizon_weeks))
        if earliest >= latest or cid not in spans:
            continue
        window = (seconds(earliest), seconds(latest))
        busy = _Busy(busy_raw.get(cid, []))
        length = setting.session_minutes * 60
        templates = _templates(spans[cid], length, wanted_mode)
        first = bisect_left(open_days, (earliest.astimezone(LOCAL).date(),))
        last = bisect_right(open_days, (latest.astimezone(LOCAL).date(), 7))
        for day, weekday, midnight in open_days[first:last]:
            for location, modes, walls, bounds in templates.get(weekday, ()):
                if midnight is None:  # a change day: real times, worked out afresh
                    offset, walls = 0, change_day_times(day, *bounds, length)
                else:
                    offset = midnight
                _add_day_slots(
                    found,
                    offset,
                    walls,
                    location,
                    modes,
                    cid,
                    buffers[cid],
                    window,
                    busy,
                )
    found.sort(key=_SLOT_ORDER)
    moments: dict[int, datetime] = {}

    def moment(seconds: int) -> datetime:
        if seconds not in moments:
            moments[seconds] = datetime.fromtimestamp(seconds, UTC)
        return moments[seconds]

    return [
        Slot(moment(s_start), moment(s_end), mode, cid, location)
        for s_start, s_end, mode, cid, location in found
    ]


#: Time, end, mode, counsellor: the order of Slot's own comparison.
_SLOT_ORDER = operator.itemgetter(0, 1, 2, 3)


def _templates(
    spans_by_weekday: Mapping[int, list[_SpanRow]],
    length: int,
    wanted_mode: Mode | None,
) -> dict[int, list[_Template]]:
    """Per weekday: (location, modes, [(start, end) as seconds from midnight],
    (span start, span end) as seconds from midnight).

    Slots step in wall-clock time from the span's start, so they are the same
    offsets from local midnight every week except on a daylight-saving change
    day, which starts again from the span's bounds.
    """
    templates: dict[int, list[_Template]] = {}
    for weekday, day_spans in spans_by_weekday.items():
        for span in sorted(day_spans, key=operator.attrgetter("start_time")):
            modes = tuple(
                Mode(m) for m in split_codes(span.modes) if wanted_mode in (None, m)
            )
            if not modes:
                continue
            span_start = span.start_time.hour * 3600 + span.start_time.minute * 60
            span_end = span.end_time.hour * 3600 + span.end_time.minute * 60
            walls = [
                (wall, wall + length)
                for wall in range(span_start, span_end - length + 1, length)
            ]
            templates.setdefault(weekday, []).append(
                (span.location, modes, walls, (span_start, span_end))
            )
    return templates


def _add_day_slots(
    found: list[_Found],
    offset: int,
    walls: Sequence[tuple[int, int]],
    location: str,
    modes: tuple[Mode, ...],
    cid: int,
    buffer: int,
    window: tuple[int, int],
    busy: _Busy,
) -> None:
    """Append the day's free (start, end, mode, counsellor, location) to ``found``;
    ``walls`` are (start, end) in POSIX seconds minus ``offset``."""
    earliest, latest = window
    home = Mode.HOME in modes
    for wall_start, wall_end in walls:
        slot_start = offset + wall_start
        slot_end = offset + wall_end
        if not earliest <= slot_start < latest:
            continue  # outside notice/horizon
        plain_free = not busy.overlaps(slot_start, slot_end)
        home_free = (
            home and plain_free and not busy.overlaps(slot_start, slot_end + buffer)
        )
        for mode in modes:
            if home_free if mode == Mode.HOME else plain_free:
                found.append((slot_start, slot_end, mode, cid, location))
