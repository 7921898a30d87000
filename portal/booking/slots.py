"""Free slots: weekly availability minus everything that makes a time unbookable.

The period's sessions, absences and holds are read with one query each and the
rest is computed in Python, so a six-week view over twenty counsellors takes a few
milliseconds. Weekly spans are Europe/Copenhagen wall time: each slot is built as a
local datetime with ``zoneinfo`` and converted to UTC, so a 09:00 span stays 09:00
on both sides of a daylight-saving change.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.booking.models import (
    Absence,
    AvailabilitySpan,
    CounsellingSession,
    CounsellorSettings,
    Mode,
    SessionStatus,
    SlotHold,
)
from portal.db import utcnow

LOCAL = ZoneInfo("Europe/Copenhagen")
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


@functools.lru_cache(maxsize=32)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DK", years=year, language="da"))


def closed_day(day: date, closed_dates: Iterable[str]) -> bool:
    """Whether ``day`` is a Danish public holiday or a configured closed date."""
    return day in _public_holidays(day.year) or day.strftime("%m-%d") in closed_dates


class _Busy:
    """One counsellor's busy intervals, sorted, for overlap tests with bisect."""

    def __init__(self, intervals: list[tuple[datetime, datetime]]):
        intervals.sort()
        self.starts = [start for start, _ in intervals]
        self.ends = [end for _, end in intervals]
        self.longest = max(
            (end - start for start, end in intervals), default=timedelta(0)
        )

    def overlaps(self, start: datetime, end: datetime) -> bool:
        i = bisect_left(self.starts, end) - 1
        while i >= 0 and self.starts[i] > start - self.longest - timedelta(seconds=1):
            if self.ends[i] > start:
                return True
            i -= 1
        return False


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

    query = (
        select(CounsellorSettings)
        .join(User, User.id == CounsellorSettings.counsellor_id)
        .where(User.active.is_(True), User.role == Role.COUNSELLOR)
    )
    if counsellor_ids is not None:
        query = query.where(CounsellorSettings.counsellor_id.in_(list(counsellor_ids)))
    settings = {
        row.counsellor_id: row
        for row in db.scalars(query)
        if language is None or language in row.language_codes
    }
    if not settings or start >= end:
        return []
    ids = list(settings)

    spans: dict[int, dict[int, list[AvailabilitySpan]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for span in db.scalars(
        select(AvailabilitySpan).where(AvailabilitySpan.counsellor_id.in_(ids))
    ):
        spans[span.counsellor_id][span.weekday].append(span)

    lo, hi = start - _MARGIN, end + _MARGIN
    busy_raw: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    session_rows = db.execute(
        select(
            CounsellingSession.id,
            CounsellingSession.counsellor_id,
            CounsellingSession.starts_at,
            CounsellingSession.ends_at,
            CounsellingSession.mode,
        ).where(
            CounsellingSession.counsellor_id.in_(ids),
            CounsellingSession.status != SessionStatus.CANCELLED,
            CounsellingSession.starts_at < hi,
            CounsellingSession.ends_at > lo,
        )
    )
    for session_id, cid, s_start, s_end, s_mode in session_rows:
        if session_id == ignore_session_id:
            continue
        buffer = _buffer(settings[cid]) if s_mode == Mode.HOME else timedelta(0)
        busy_raw[cid].append((s_start, s_end + buffer))
    hold_rows = db.execute(
        select(
            SlotHold.token,
            SlotHold.counsellor_id,
            SlotHold.starts_at,
            SlotHold.ends_at,
            SlotHold.mode,
        ).where(
            SlotHold.counsellor_id.in_(ids),
            SlotHold.expires_at > now,
            SlotHold.starts_at < hi,
            SlotHold.ends_at > lo,
        )
    )
    for token, cid, h_start, h_end, h_mode in hold_rows:
        if ignore_hold_token is not None and token == ignore_hold_token:
            continue
        buffer = _buffer(settings[cid]) if h_mode == Mode.HOME else timedelta(0)
        busy_raw[cid].append((h_start, h_end + buffer))
    for cid, a_start, a_end in db.execute(
        select(Absence.counsellor_id, Absence.starts_at, Absence.ends_at).where(
            Absence.counsellor_id.in_(ids),
            Absence.starts_at < hi,
            Absence.ends_at > lo,
        )
    ):
        busy_raw[cid].append((a_start, a_end))

    slots: list[Slot] = []
    for cid, setting in settings.items():
        earliest = max(start, now + timedelta(hours=setting.minimum_notice_hours))
        latest = min(end, now + timedelta(weeks=setting.horizon_weeks))
        if earliest >= latest or cid not in spans:
            continue
        busy = _Busy(busy_raw.get(cid, []))
        length = timedelta(minutes=setting.session_minutes)
        buffer = _buffer(setting)
        templates = _templates(spans[cid], length, wanted_mode)
        day = earliest.astimezone(LOCAL).date()
        last_day = latest.astimezone(LOCAL).date()
        while day <= last_day:
            day_templates = templates.get(day.weekday())
            if day_templates and not closed_day(day, closed_dates):
                for location, modes, walls in day_templates:
                    slots.extend(
                        _day_slots(
                            day,
                            walls,
                            location,
                            modes,
                            cid,
                            buffer,
                            earliest,
                            latest,
                            busy,
                        )
                    )
            day += timedelta(days=1)
    slots.sort(key=_slot_order)
    return slots


def _slot_order(slot: Slot):
    return (slot.starts_at, slot.ends_at, slot.mode, slot.counsellor_id)


def _buffer(setting: CounsellorSettings) -> timedelta:
    return timedelta(minutes=setting.home_visit_buffer_minutes)


@functools.lru_cache(maxsize=1024)
def _fixed_offset(day: date) -> timedelta | None:
    """The day's UTC offset in Copenhagen, or None on a daylight-saving change day."""
    midnight = datetime.combine(day, time(0), tzinfo=LOCAL).utcoffset()
    next_midnight = datetime.combine(
        day + timedelta(days=1), time(0), tzinfo=LOCAL
    ).utcoffset()
    return midnight if midnight == next_midnight else None


def _templates(spans_by_weekday, length: timedelta, wanted_mode):
    """Per weekday: (location, modes, [(start, end) as time from midnight]).

    Slots step in wall-clock time from the span's start, so they are the same
    offsets from local midnight every week.
    """
    templates = {}
    for weekday, day_spans in spans_by_weekday.items():
        for span in day_spans:
            modes = tuple(m for m in span.mode_list if wanted_mode in (None, m))
            if not modes:
                continue
            walls = []
            wall = timedelta(hours=span.start_time.hour, minutes=span.start_time.minute)
            span_end = timedelta(hours=span.end_time.hour, minutes=span.end_time.minute)
            while wall + length <= span_end:
                walls.append((wall, wall + length))
                wall += length
            templates.setdefault(weekday, []).append((span.location, modes, walls))
    return templates


def _day_slots(day, walls, location, modes, cid, buffer, earliest, latest, busy):
    offset = _fixed_offset(day)
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    home = Mode.HOME in modes
    for wall_start, wall_end in walls:
        if offset is None:  # a change day: let zoneinfo place each wall time
            slot_start = _wall_to_utc(day, wall_start)
            slot_end = _wall_to_utc(day, wall_end)
        else:
            slot_start = midnight + wall_start - offset
            slot_end = midnight + wall_end - offset
        if not earliest <= slot_start < latest or slot_end <= slot_start:
            continue  # outside notice/horizon, or a wall time the clock skips
        plain_free = not busy.overlaps(slot_start, slot_end)
        home_free = (
            home and plain_free and not busy.overlaps(slot_start, slot_end + buffer)
        )
        for mode in modes:
            if home_free if mode == Mode.HOME else plain_free:
                yield Slot(slot_start, slot_end, mode, cid, location)


def _wall_to_utc(day: date, wall: timedelta) -> datetime:
    naive = datetime.combine(day, time(0)) + wall
    return naive.replace(tzinfo=LOCAL).astimezone(UTC)


def distinct_times(slots: Iterable[Slot]) -> list[FreeTime]:
    """The times a parent can choose from, without counsellors, sorted."""
    return sorted({FreeTime(slot.starts_at, slot.ends_at) for slot in slots})


def nearest_free_times(
    slots: Iterable[Slot], around: datetime, n: int = 3
) -> list[FreeTime]:
    """The ``n`` free times closest to ``around`` (before or after), in time order."""
    times = distinct_times(slots)
    times.sort(key=lambda t: (abs(t.starts_at - around), t.starts_at))
    return sorted(times[:n])


def times_by_day(times: Iterable[FreeTime]) -> dict[date, list[FreeTime]]:
    """Free times grouped by Copenhagen calendar day, days and times in order."""
    grouped: dict[date, list[FreeTime]] = defaultdict(list)
    for free in sorted(times):
        grouped[free.local_start.date()].append(free)
    return dict(grouped)
