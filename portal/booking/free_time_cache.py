"""Free times shared between requests until something changes them.

Computing a parent's free times over the seven weeks the time page can show takes
tens of milliseconds of Python; many parents look at the same times. Each app
(one per web worker) therefore keeps, per mode and language, the times it last
computed and reuses them while all of these hold:

* the database's availability version (``availability_version``) is unchanged.
  Every commit that touches free times bumps it after the commit. A worker reads
  the number at most once a second (``VERSION_CHECK_INTERVAL``), so the page
  itself needs no query; its own commits empty its cache at once;
* no hold that was blocking a time has run out since;
* the entry is younger than ``MAX_AGE`` (a safety net, and the booking horizon
  moves on).

Times that come within a counsellor's minimum notice are dropped on every read.
The cache only serves what a parent sees: choosing a time re-checks it against
the database (``holds.hold_slot``), so a stale entry can at worst offer a time
that was just taken, and the parent is then shown the three nearest free ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from portal.availability.models import CounsellorSettings
from portal.booking import availability_version, slots
from portal.booking.models import SlotHold
from portal.booking.slots import FreeTime

MAX_AGE = timedelta(seconds=60)
#: How long a worker trusts the version it last read before reading it again:
#: another worker's change shows within this; the worker's own at once.
VERSION_CHECK_INTERVAL = timedelta(seconds=1)


@dataclass(frozen=True)
class _Entry:
    version: int
    computed_at: datetime
    valid_until: datetime
    #: Each free time with the last moment it can still be booked (its start
    #: minus the longest minimum notice among the counsellors offering it).
    times: tuple[tuple[FreeTime, datetime], ...]


class FreeTimeCache:
    """One app's (one web worker's) free times, and the version it last read."""

    def __init__(self) -> None:
        #: Keyed by (mode, language, weeks).
        self.entries: dict[tuple[str, str, int], _Entry] = {}
        self.version: int | None = None
        self.version_read_at = datetime.min.replace(tzinfo=UTC)

    def known_version(self, db: Session, now: datetime) -> int:
        fresh = (
            self.version_read_at
            <= now
            < (self.version_read_at + VERSION_CHECK_INTERVAL)
        )
        if self.version is None or not fresh:
            self.version = availability_version.current_version(db)
            self.version_read_at = now
        return self.version

    def forget(self) -> None:
        """After this worker's own change: read everything again."""
        self.entries.clear()
        self.version = None


def free_times(
    db: Session, *, mode: str, language: str, now: datetime, weeks: int
) -> list[FreeTime]:
    """The free times for ``mode`` and ``language`` from ``now`` and ``weeks`` on."""
    cache: FreeTimeCache = current_app.extensions["free_time_cache"]
    version = cache.known_version(db, now)
    key = (mode, language, weeks)
    entry = cache.entries.get(key)
    if (
        entry is None
        or entry.version != version
        or not entry.computed_at <= now < entry.valid_until
    ):
        entry = _compute(
            db, version, mode=mode, language=language, now=now, weeks=weeks
        )
        cache.entries[key] = entry
    return [free for free, bookable_until in entry.times if bookable_until >= now]


def _compute(
    db: Session, version: int, *, mode: str, language: str, now: datetime, weeks: int
) -> _Entry:
    found = slots.free_slots(
        db, now, now + timedelta(weeks=weeks), mode=mode, language=language, now=now
    )
    notice = {
        counsellor_id: timedelta(hours=hours)
        for counsellor_id, hours in db.execute(
            select(
                CounsellorSettings.counsellor_id,
                CounsellorSettings.minimum_notice_hours,
            )
        )
    }
    bookable_until: dict[FreeTime, datetime] = {}
    for slot in found:
        free = FreeTime(slot.starts_at, slot.ends_at)
        until = slot.starts_at - notice[slot.counsellor_id]
        bookable_until[free] = max(until, bookable_until.get(free, until))
    next_hold_expiry = db.scalar(
        select(func.min(SlotHold.expires_at)).where(SlotHold.expires_at > now)
    )
    valid_until = now + MAX_AGE
    if next_hold_expiry is not None:
        valid_until = min(valid_until, next_hold_expiry)
    return _Entry(
        version=version,
        computed_at=now,
        valid_until=valid_until,
        times=tuple(sorted(bookable_until.items())),
    )


def init_app(app: Flask, make_session: sessionmaker[Session]) -> None:
    """An empty cache for this app, emptied by its own commits and by the version."""
    cache = app.extensions["free_time_cache"] = FreeTimeCache()
    availability_version.watch(make_session, cache.forget)
