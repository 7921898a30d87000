"""Copenhagen days and wall-clock times for the slot search: which days are open,
and where a wall time falls in real time, also across a daylight-saving change.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

import holidays

from portal.i18n import LOCAL


@functools.lru_cache(maxsize=32)
def public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DK", years=year, language="da"))


def closed_day(day: date, closed_dates: Iterable[str]) -> bool:
    """Whether ``day`` is a Danish public holiday or a configured closed date."""
    return day in public_holidays(day.year) or day.strftime("%m-%d") in closed_dates


def seconds(moment: datetime) -> int:
    """POSIX seconds, rounded up: a slot never starts before a fractional "now"."""
    return math.ceil(moment.timestamp())


def open_days(
    first: date, last: date, closed_dates: Iterable[str]
) -> list[tuple[date, int, int | None]]:
    """Each day from ``first`` to ``last`` that is not closed, with its weekday and
    the POSIX seconds of its Copenhagen midnight (None on a daylight-saving change
    day, when wall times are not a fixed offset from midnight)."""
    days: list[tuple[date, int, int | None]] = []
    day = first
    while day <= last:
        if not closed_day(day, closed_dates):
            midnight = datetime.combine(day, time(0), tzinfo=LOCAL)
            next_midnight = datetime.combine(
                day + timedelta(days=1), time(0), tzinfo=LOCAL
            )
            fixed = midnight.utcoffset() == next_midnight.utcoffset()
            days.append((day, day.weekday(), seconds(midnight) if fixed else None))
        day += timedelta(days=1)
    return days


def change_day_times(
    day: date, span_start: int, span_end: int, length: int
) -> list[tuple[int, int]]:
    """A span's slots on a daylight-saving change day, as (start, end) in POSIX
    seconds: wall-time starts that exist (the first of a repeated one), each
    ``length`` real seconds long and ending by the span's end."""
    closing = first_reading(day, span_end)
    times = []
    for wall in range(span_start, span_end, length):
        moment = local_wall(day, wall)  # fold=0: the first of a repeated time
        start = seconds(moment)
        if local_at(start) != moment.replace(tzinfo=None):
            continue  # the clock skips this wall time
        if start + length <= closing:
            times.append((start, start + length))
    return times


def first_reading(day: date, wall: int) -> int:
    """POSIX seconds at which Copenhagen clocks on ``day`` first read ``wall`` or
    later: its first occurrence, or the jump over it if the clock skips it."""
    wanted = local_wall(day, wall)
    low = seconds(local_wall(day, 0))
    high = seconds(wanted)  # fold=0: never before the first reading
    wanted = wanted.replace(tzinfo=None)
    while low < high:  # clocks read less than ``wanted`` exactly before the answer
        middle = (low + high) // 2
        if local_at(middle) < wanted:
            low = middle + 1
        else:
            high = middle
    return low


def local_wall(day: date, wall: int) -> datetime:
    """``wall`` seconds after the start of ``day`` on Copenhagen clocks (fold=0)."""
    return (datetime.combine(day, time(0)) + timedelta(seconds=wall)).replace(
        tzinfo=LOCAL
    )


def local_at(seconds: int) -> datetime:
    """What Copenhagen clocks read at POSIX ``seconds``, as a naive datetime."""
    return datetime.fromtimestamp(seconds, LOCAL).replace(tzinfo=None)
