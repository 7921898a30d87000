"""What a day, week or list view shows, and where: days with their sessions,
absences and open hours, each entry placed on the grid.

Positions are grid rows of 15 minutes from the first hour shown, so the template
places each entry with CSS classes (the Content-Security-Policy forbids style
attributes); overlapping entries share the width in lanes. ``portal.calendar.period``
loads what is placed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from portal.availability.models import Absence, AvailabilitySpan
from portal.booking.models import SessionStatus
from portal.i18n import LOCAL

#: The hours a day or week shows unless something lies outside them.
DEFAULT_FIRST_HOUR = 7
DEFAULT_LAST_HOUR = 20
ROW_MINUTES = 15
MAX_LANES = 3


@dataclass(frozen=True, slots=True)
class Shown:
    """A session as a calendar shows it: time, mode, status, and the anonymous
    course's pseudonym or the known family's display name."""

    id: int
    public_id: str
    course_id: int | None
    starts_at: datetime
    ends_at: datetime
    mode: str
    status: str
    no_show_waived: bool
    cancel_reason: str
    pseudonym: str | None
    family_name: str | None = None


@dataclass
class Entry:
    """A session or an absence placed in a day's grid."""

    starts_at: datetime
    ends_at: datetime
    session: Shown | None = None
    absence: Absence | None = None
    row: int = 1
    rows: int = 1
    lane: int = 1
    lanes: int = 1

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(LOCAL)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(LOCAL)

    @property
    def is_session(self) -> bool:
        return self.session is not None


@dataclass
class Day:
    day: date
    is_today: bool = False
    holiday: str | None = None
    closed_date: bool = False
    absent_all_day: bool = False
    spans: list[AvailabilitySpan] = field(default_factory=list)
    sessions: list[Shown] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return bool(self.holiday or self.closed_date or self.absent_all_day)

    @property
    def active_sessions(self) -> list[Shown]:
        return [s for s in self.sessions if s.status != SessionStatus.CANCELLED]


@dataclass
class Period:
    first_day: date
    days: list[Day]
    first_hour: int = DEFAULT_FIRST_HOUR
    last_hour: int = DEFAULT_LAST_HOUR

    @property
    def hours(self) -> list[int]:
        return list(range(self.first_hour, self.last_hour))

    @property
    def rows(self) -> int:
        return (self.last_hour - self.first_hour) * 60 // ROW_MINUTES

    def hour_row(self, hour: int) -> int:
        return (hour - self.first_hour) * 60 // ROW_MINUTES + 1

    @property
    def sessions(self) -> list[Shown]:
        return [s for day in self.days for s in day.sessions]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _local_minutes(moment: datetime, day: date) -> int:
    """Minutes from ``day``'s local midnight (may be <0 or >1440)."""
    local = moment.astimezone(LOCAL)
    return (local.date() - day).days * 1440 + local.hour * 60 + local.minute


def fit_hours(period: Period) -> None:
    """07-20 unless a session or an open span lies outside it."""
    first, last = DEFAULT_FIRST_HOUR, DEFAULT_LAST_HOUR
    for day in period.days:
        for session in day.sessions:
            start = max(0, _local_minutes(session.starts_at, day.day))
            end = min(1440, _local_minutes(session.ends_at, day.day))
            first = min(first, start // 60)
            last = max(last, math.ceil(end / 60))
        for span in day.spans:
            first = min(first, span.start_time.hour)
            end_minutes = span.end_time.hour * 60 + span.end_time.minute
            last = max(last, math.ceil(end_minutes / 60))
    period.first_hour, period.last_hour = first, min(24, max(last, first + 1))


def place(period: Period, day: Day) -> None:
    """Grid rows for each entry; overlapping entries share the width in lanes."""
    low, high = period.first_hour * 60, period.last_hour * 60
    entries = []
    for absence in day.absences:
        start = _local_minutes(absence.starts_at, day.day)
        end = _local_minutes(absence.ends_at, day.day)
        if start <= low and end >= high:
            day.absent_all_day = True
            continue
        entries.append(Entry(absence.starts_at, absence.ends_at, absence=absence))
    entries.extend(Entry(s.starts_at, s.ends_at, session=s) for s in day.sessions)
    for entry in entries:
        start = max(low, _local_minutes(entry.starts_at, day.day))
        end = min(high, _local_minutes(entry.ends_at, day.day))
        start = min(start, high - ROW_MINUTES)
        entry.row = (start - low) // ROW_MINUTES + 1
        entry.rows = max(1, math.ceil((end - start) / ROW_MINUTES))
    entries.sort(key=lambda e: (e.row, e.session is not None, e.rows))
    _assign_lanes(entries)
    day.entries = entries


def _assign_lanes(entries: list[Entry]) -> None:
    cluster: list[Entry] = []
    cluster_end = 0
    lane_ends: list[int] = []

    def close() -> None:
        for member in cluster:
            member.lanes = min(MAX_LANES, len(lane_ends))

    for entry in entries:
        if cluster and entry.row >= cluster_end:
            close()
            cluster, lane_ends = [], []
        free = [i for i, end in enumerate(lane_ends) if end <= entry.row]
        if free:
            index = free[0]
            lane_ends[index] = entry.row + entry.rows
        else:
            index = len(lane_ends)
            lane_ends.append(entry.row + entry.rows)
        entry.lane = min(MAX_LANES, index + 1)
        cluster.append(entry)
        cluster_end = max(cluster_end, entry.row + entry.rows)
    if cluster:
        close()
