"""The free times a parent chooses from, a week at a time, without JavaScript."""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from portal.booking import free_time_cache, slots
from portal.booking.slots import FreeTime, Slot
from portal.db import utcnow
from portal.i18n import LOCAL
from portal.timeutil import local_midnight, time_value

#: How far ahead the parent can page; each counsellor's own horizon still applies.
WEEKS_SHOWN = 7


@dataclass
class WeekOfTimes:
    offset: int
    monday: date
    week_number: int
    days: dict[date, list[FreeTime]]
    first_free: FreeTime | None
    has_previous: bool
    has_next: bool


def current_monday(now: datetime) -> date:
    today = now.astimezone(LOCAL).date()
    return today - timedelta(days=today.weekday())


def free_times(
    db: Session,
    *,
    mode: str,
    language: str,
    now: datetime | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    ignore_hold_token: str | None = None,
    ignore_session_id: int | None = None,
) -> list[FreeTime]:
    """Every free time in the coming weeks (or in ``[start, end)`` of them), for
    this mode and language."""
    now = now or utcnow()
    last = now + timedelta(weeks=WEEKS_SHOWN)
    found = slots.free_slots(
        db,
        max(start, now) if start else now,
        min(end, last) if end else last,
        mode=mode,
        language=language,
        now=now,
        ignore_hold_token=ignore_hold_token,
        ignore_session_id=ignore_session_id,
    )
    return distinct_times(found)


def week_of_times(
    times: list[FreeTime], offset: int, now: datetime | None = None
) -> WeekOfTimes:
    """The free times of week ``offset`` (0 = this week), grouped by day."""
    now = now or utcnow()
    offset = max(0, min(offset, WEEKS_SHOWN - 1))
    monday = current_monday(now) + timedelta(weeks=offset)
    # ``times`` is sorted: cut the week out by bisection.
    first = bisect_left(times, local_midnight(monday), key=_start)
    last = bisect_left(times, local_midnight(monday + timedelta(weeks=1)), key=_start)
    return WeekOfTimes(
        offset=offset,
        monday=monday,
        week_number=monday.isocalendar().week,
        days=times_by_day(times[first:last]),
        first_free=times[0] if times else None,
        has_previous=offset > 0,
        has_next=offset < WEEKS_SHOWN - 1,
    )


def _start(free: FreeTime) -> datetime:
    return free.starts_at


def nearest(times: list[FreeTime], around: datetime, n: int = 3) -> list[FreeTime]:
    """The ``n`` free times closest to ``around``, in time order."""
    return sorted(sorted(times, key=lambda t: (abs(t.starts_at - around), t))[:n])


def week_offset(args: Mapping[str, str]) -> int:
    """The ``?uge=`` parameter of a time page; nonsense means this week."""
    try:
        return int(args.get("uge", "0"))
    except ValueError:
        return 0


def page_context(
    db: Session,
    *,
    mode: str,
    language: str,
    offset: int,
    hold_token: str | None = None,
    ignore_session_id: int | None = None,
    around: datetime | None = None,
    current: datetime | None = None,
) -> dict[str, object]:
    """What a time page shows: one week of free times, and the nearest to
    ``around`` when the time the parent chose was taken. A talk being moved has
    its own time ``current``: it is never offered as the first free time.

    Most parents see times that other parents see too: those come from the free
    time cache. A parent who holds a time or moves a session sees that time as
    free, and one whose chosen time was just taken needs the newest state: for
    them free times are computed afresh, up to the end of the week shown (the
    first free time is nearly always before it), and the later weeks only when
    none is.
    """
    now = utcnow()
    if hold_token is None and ignore_session_id is None and around is None:
        times = free_time_cache.free_times(
            db, mode=mode, language=language, now=now, weeks=WEEKS_SHOWN
        )
        return {
            "week": week_of_times(times, offset, now),
            "nearest": [],
            "time_value": time_value,
        }
    fresh = functools.partial(
        free_times,
        db,
        mode=mode,
        language=language,
        now=now,
        ignore_hold_token=hold_token,
        ignore_session_id=ignore_session_id,
    )
    week_end = None
    if around is None:
        shown = max(0, min(offset, WEEKS_SHOWN - 1))
        week_end = local_midnight(current_monday(now) + timedelta(weeks=shown + 1))
    times = fresh(end=week_end)
    week = week_of_times(times, offset, now)
    week.first_free = first_other(times, current)
    if week.first_free is None and week_end is not None:
        week.first_free = first_other(fresh(start=week_end), current)
    return {
        "week": week,
        "nearest": nearest(times, around) if around is not None else [],
        "time_value": time_value,
    }


def first_other(times: list[FreeTime], current: datetime | None) -> FreeTime | None:
    """The first of ``times`` that is not ``current`` (a moved talk's own time)."""
    return next((free for free in times if free.starts_at != current), None)


def distinct_times(slots: Iterable[Slot]) -> list[FreeTime]:
    """The times a parent can choose from, without counsellors, sorted."""
    return sorted({FreeTime(slot.starts_at, slot.ends_at) for slot in slots})


def times_by_day(times: Iterable[FreeTime]) -> dict[date, list[FreeTime]]:
    """Free times grouped by Copenhagen calendar day, days and times in order."""
    grouped: dict[date, list[FreeTime]] = defaultdict(list)
    for free in sorted(times):
        grouped[free.local_start.date()].append(free)
    return dict(grouped)
