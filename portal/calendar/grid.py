"""What a day, week or list view shows: sessions, absences, open hours, closed days.

One query each for sessions (with their course, eagerly), absences and weekly
spans, however many sessions there are; the rest is arithmetic. Positions are
grid rows of 15 minutes from the first hour shown, so the template places each
entry with CSS classes (the Content-Security-Policy forbids style attributes).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import holidays
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.availability.models import Absence, AvailabilitySpan
from portal.booking.models import (
    LONGEST_SESSION,
    CounsellingSession,
    Course,
    SessionStatus,
)
from portal.i18n import LOCAL
from portal.timeutil import local_midnight

#: The hours a day or week shows unless something lies outside them.
DEFAULT_FIRST_HOUR = 7
DEFAULT_LAST_HOUR = 20
ROW_MINUTES = 15
MAX_LANES = 3
SHOWN_COLUMNS = (
    CounsellingSession.id,
    CounsellingSession.public_id,
    CounsellingSession.course_id,
    CounsellingSession.starts_at,
    CounsellingSession.ends_at,
    CounsellingSession.mode,
    CounsellingSession.status,
    CounsellingSession.no_show_waived,
    CounsellingSession.cancel_reason,
)

# A look-up by primary key per session shown: a join made PostgreSQL read every
# course to find the week's few dozen.
_PSEUDONYM = (
    select(Course.pseudonym)
    .where(Course.id == CounsellingSession.course_id)
    .scalar_subquery()
)


@dataclass(frozen=True, slots=True)
class Shown:
    """A session as a calendar shows it: time, mode, status and pseudonym only."""

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


@functools.lru_cache(maxsize=32)
def holiday_names(year: int, language: str = "da") -> dict[date, str]:
    """Danish public holidays with their names (``da`` or ``en_US``); cached,
    because building them takes longer than the rest of a week view."""
    return dict(holidays.country_holidays("DK", years=year, language=language))


def load_period(
    db: Session,
    counsellor_id: int,
    first_day: date,
    n_days: int,
    *,
    closed_dates: Iterable[str] = (),
    today: date | None = None,
    holiday_language: str = "da",
    with_grid: bool = True,
) -> Period:
    """Sessions (all statuses), absences and spans of ``n_days`` from ``first_day``
    in Copenhagen time, with holidays and closed dates marked."""
    last_day = first_day + timedelta(days=n_days)
    start, end = local_midnight(first_day), local_midnight(last_day)
    # Plain rows, not ORM objects: a busy week has many sessions, and the page
    # needs only these columns (never an address or a note).
    sessions = [
        Shown(*row)
        for row in db.execute(
            select(*SHOWN_COLUMNS, _PSEUDONYM)
            .where(
                CounsellingSession.counsellor_id == counsellor_id,
                CounsellingSession.starts_at > start - LONGEST_SESSION,
                CounsellingSession.starts_at < end,
                CounsellingSession.ends_at > start,
            )
            .order_by(CounsellingSession.starts_at, CounsellingSession.id)
        )
    ]
    absences = list(
        db.scalars(
            select(Absence)
            .where(
                Absence.counsellor_id == counsellor_id,
                Absence.starts_at < end,
                Absence.ends_at > start,
            )
            .order_by(Absence.starts_at)
        )
    )
    spans = list(
        db.scalars(
            select(AvailabilitySpan)
            .where(AvailabilitySpan.counsellor_id == counsellor_id)
            .order_by(AvailabilitySpan.start_time)
        )
    )
    closed = frozenset(closed_dates)
    names: dict[date, str] = {}
    for year in {first_day.year, (last_day - timedelta(days=1)).year}:
        names.update(holiday_names(year, holiday_language))

    days = []
    for offset in range(n_days):
        day = first_day + timedelta(days=offset)
        day_start, day_end = local_midnight(day), local_midnight(day + timedelta(1))
        days.append(
            Day(
                day=day,
                is_today=day == today,
                holiday=names.get(day),
                closed_date=day.strftime("%m-%d") in closed,
                spans=[s for s in spans if s.weekday == day.weekday()],
                sessions=[s for s in sessions if day_start <= s.starts_at < day_end],
                absences=[
                    a
                    for a in absences
                    if a.starts_at < day_end and a.ends_at > day_start
                ],
            )
        )
    period = Period(first_day=first_day, days=days)
    if with_grid:
        _fit_hours(period)
        for day in days:
            _place(period, day)
    return period


def _local_minutes(moment: datetime, day: date) -> int:
    """Minutes from ``day``'s local midnight (may be <0 or >1440)."""
    local = moment.astimezone(LOCAL)
    return (local.date() - day).days * 1440 + local.hour * 60 + local.minute


def _fit_hours(period: Period) -> None:
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


def _place(period: Period, day: Day) -> None:
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
