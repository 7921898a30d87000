"""Times every feature shares: Copenhagen midnights and today, a time as a form
value, months ahead, and ages.

Dates and times are shown in Europe/Copenhagen (``portal.i18n.LOCAL``) and stored
in UTC; a free time travels through a radio button as its UTC start.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time

from portal.db import utcnow
from portal.i18n import LOCAL


def local_midnight(day: date) -> datetime:
    """The start of ``day`` in Copenhagen, in UTC."""
    return datetime.combine(day, time(0), tzinfo=LOCAL).astimezone(UTC)


def parse_time(value: str | None) -> datetime | None:
    """A radio value back to a UTC datetime; None if it is not one of ours."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(UTC)


def time_value(moment: datetime) -> str:
    """A time as a radio button's value (UTC); ``parse_time`` reads it back."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` later; the 31st becomes the month's last day."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def local_today(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(LOCAL).date()


def age_on(birth_date: date, day: date) -> int:
    """Whole years between ``birth_date`` and ``day``."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday
