"""The leader's overview: numbers per ISO week, never anything about a family.

Four queries whatever the volume: the period's sessions (status, counsellor,
course id), each course's creation and first session, and the counted sessions
of courses that reached five, and the counsellors' names.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.booking import session_limit
from portal.booking.models import (
    MAX_SESSIONS,
    CounsellingSession,
    Course,
    SessionStatus,
)
from portal.calendar.grid import monday_of
from portal.i18n import LOCAL
from portal.timeutil import local_midnight


@dataclass
class WeekStats:
    monday: date
    booked: int = 0
    held: int = 0
    no_show: int = 0
    cancelled: int = 0
    reached_five: int = 0
    days_to_first: list[float] = field(default_factory=list)

    @property
    def week_number(self) -> int:
        return self.monday.isocalendar().week

    @property
    def year(self) -> int:
        return self.monday.isocalendar().year

    @property
    def first_sessions(self) -> int:
        return len(self.days_to_first)

    @property
    def median_days(self) -> float | None:
        if not self.days_to_first:
            return None
        return round(statistics.median(self.days_to_first), 1)

    @property
    def p90_days(self) -> float | None:
        return percentile(self.days_to_first, 90)


@dataclass
class Overview:
    weeks: list[WeekStats]
    #: (counsellor name, [sessions per week, in the order of ``weeks``])
    per_counsellor: list[tuple[str, list[int]]]


def percentile(values: list[float], p: int) -> float | None:
    """Nearest-rank percentile: a value that really occurred, also for few values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return round(ordered[rank - 1], 1)


def overview(db: Session, first_monday: date, n_weeks: int) -> Overview:
    """Per ISO week (Copenhagen time): sessions booked, held, no-show and
    cancelled; days from a course's creation to its first session that was not
    cancelled (median and 90th percentile, by the week of that session); courses
    whose fifth counted session falls in the week; sessions (not cancelled) per
    counsellor."""
    first_monday = monday_of(first_monday)
    start = local_midnight(first_monday)
    end = local_midnight(first_monday + timedelta(weeks=n_weeks))
    weeks = {
        first_monday + timedelta(weeks=i): WeekStats(first_monday + timedelta(weeks=i))
        for i in range(n_weeks)
    }

    def week_of(moment: datetime) -> date:
        return monday_of(moment.astimezone(LOCAL).date())

    load: dict[int, Counter[date]] = defaultdict(Counter)
    for counsellor_id, starts_at, status in db.execute(
        select(
            CounsellingSession.counsellor_id,
            CounsellingSession.starts_at,
            CounsellingSession.status,
        ).where(
            CounsellingSession.starts_at >= start, CounsellingSession.starts_at < end
        )
    ):
        week = weeks[week_of(starts_at)]
        setattr(week, str(status), getattr(week, str(status)) + 1)
        if status != SessionStatus.CANCELLED:
            load[counsellor_id][week.monday] += 1

    first_session = (
        select(
            CounsellingSession.course_id.label("course_id"),
            func.min(CounsellingSession.starts_at).label("first_at"),
        )
        .where(
            CounsellingSession.course_id.is_not(None),
            CounsellingSession.status != SessionStatus.CANCELLED,
        )
        .group_by(CounsellingSession.course_id)
        .subquery()
    )
    for created_at, first_at in db.execute(
        select(Course.created_at, first_session.c.first_at)
        .join(first_session, first_session.c.course_id == Course.id)
        .where(first_session.c.first_at >= start, first_session.c.first_at < end)
    ):
        if first_at.tzinfo is None:  # SQLite's MIN() loses the column type
            first_at = first_at.replace(tzinfo=created_at.tzinfo)
        days = (first_at - created_at).total_seconds() / 86400
        weeks[week_of(first_at)].days_to_first.append(max(0.0, days))

    # Keyed by the column's type; the join leaves out sessions without a course.
    counted: dict[int | None, list[datetime]] = defaultdict(list)
    for course_id, starts_at in db.execute(
        select(CounsellingSession.course_id, CounsellingSession.starts_at)
        .join(Course, Course.id == CounsellingSession.course_id)
        .where(Course.sessions_counted >= MAX_SESSIONS, session_limit.counted())
        .order_by(CounsellingSession.course_id, CounsellingSession.starts_at)
    ):
        counted[course_id].append(starts_at)
    for starts in counted.values():
        if len(starts) >= MAX_SESSIONS:
            fifth = week_of(starts[MAX_SESSIONS - 1])
            if fifth in weeks:
                weeks[fifth].reached_five += 1

    ordered = list(weeks)
    staff = db.scalars(
        select(User).where(
            or_(
                and_(User.role == Role.COUNSELLOR, User.active.is_(True)),
                User.id.in_(list(load)),
            )
        )
    )
    per_counsellor = sorted(
        ((user.name, [load[user.id][monday] for monday in ordered]) for user in staff),
        key=lambda row: row[0],
    )
    return Overview(weeks=list(weeks.values()), per_counsellor=per_counsellor)
