"""Loading a day, week or list view: sessions, absences, open hours, closed days.

One query each for sessions (only the columns shown), absences and weekly spans,
however many sessions there are; ``portal.calendar.grid`` places them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, timedelta

import holidays
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.availability.models import Absence, AvailabilitySpan
from portal.booking.models import LONGEST_SESSION, CounsellingSession, Course
from portal.calendar.grid import Day, Period, Shown, fit_hours, place
from portal.families.models import Family
from portal.timeutil import local_midnight

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
_FAMILY_NAME = (
    select(Family.display_name)
    .where(Family.id == CounsellingSession.family_id)
    .scalar_subquery()
)


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
            select(*SHOWN_COLUMNS, _PSEUDONYM, _FAMILY_NAME)
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

    days: list[Day] = []
    for offset in range(n_days):
        date_ = first_day + timedelta(days=offset)
        day_start, day_end = local_midnight(date_), local_midnight(date_ + timedelta(1))
        days.append(
            Day(
                day=date_,
                is_today=date_ == today,
                holiday=names.get(date_),
                closed_date=date_.strftime("%m-%d") in closed,
                spans=[s for s in spans if s.weekday == date_.weekday()],
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
        fit_hours(period)
        for shown_day in days:
            place(period, shown_day)
    return period
