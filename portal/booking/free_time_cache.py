"""Free times shared between requests until something changes them.

Computing a parent's free times over the seven weeks the time page can show takes
tens of milliseconds of Python; many parents look at the same times. Each app
(one per web worker) therefore keeps, per mode and language, the times it last
computed and reuses them while all of these hold:

* the database's availability version is unchanged. Every commit that touches
  sessions, holds, absences, weekly spans, counsellor settings or a counsellor's
  account bumps it *after* the commit, so a worker that read the old number can
  only have cached data that is as new as that number or newer. A worker reads
  the number at most once a second (``VERSION_CHECK_INTERVAL``), so the page
  itself needs no query; its own commits empty its cache at once;
* no hold that was blocking a time has run out since;
* the entry is younger than ``MAX_AGE`` (a safety net, and the booking horizon
  moves on).

Times that come within a counsellor's minimum notice are dropped on every read.
The cache only serves what a parent sees: choosing a time re-checks it against
the database (``services.hold_slot``), so a stale entry can at worst offer a time
that was just taken, and the parent is then shown the three nearest free ones.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import Connection, event, func, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

from portal.accounts.models import User
from portal.availability.models import Absence, AvailabilitySpan, CounsellorSettings
from portal.booking import slots
from portal.booking.models import AvailabilityVersion, CounsellingSession, SlotHold
from portal.booking.slots import FreeTime

logger = logging.getLogger(__name__)

MAX_AGE = timedelta(seconds=60)
#: How long a worker trusts the version it last read before reading it again:
#: another worker's change shows within this; the worker's own at once.
VERSION_CHECK_INTERVAL = timedelta(seconds=1)
_CHANGED = "availability_changed"
_TABLES = frozenset(
    model.__tablename__
    for model in (
        CounsellingSession,
        SlotHold,
        Absence,
        AvailabilitySpan,
        CounsellorSettings,
    )
)
#: A user row matters to free times only when a counsellor comes or goes.
_USER_FIELDS = ("active", "role")


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
            self.version = current_version(db)
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


def current_version(db: Session) -> int:
    return (
        db.scalar(
            select(AvailabilityVersion.version).where(AvailabilityVersion.id == 1)
        )
        or 0
    )


def bump_version(connection: Connection) -> None:
    """Count one more change; creates the row on a database made without migrations."""
    bump = (
        update(AvailabilityVersion)
        .where(AvailabilityVersion.id == 1)
        .values(version=AvailabilityVersion.version + 1)
    )
    if connection.execute(bump).rowcount:
        return
    try:
        with connection.begin_nested():
            connection.execute(insert(AvailabilityVersion).values(id=1, version=1))
    except IntegrityError:  # another worker created it meanwhile
        connection.execute(bump)


# --- noticing changes ---------------------------------------------------------


def _touches_availability(instance: object) -> bool:
    if isinstance(instance, User):
        state = inspect(instance)
        return state.pending or any(
            state.attrs[name].history.has_changes() for name in _USER_FIELDS
        )
    return getattr(instance, "__tablename__", None) in _TABLES


def _after_flush(session: Session, _flush_context: UOWTransaction) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(_touches_availability(instance) for instance in changed):
        session.info[_CHANGED] = True


def _do_orm_execute(state: ORMExecuteState) -> None:
    """Bulk UPDATE/DELETE/INSERT statements bypass the flush; look at their table."""
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in _TABLES:
            state.session.info[_CHANGED] = True


def _after_commit(cache: FreeTimeCache, session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        cache.forget()
        try:
            # Its own transaction on the engine: the session's has just ended.
            with session.get_bind().engine.begin() as connection:
                bump_version(connection)
        except SQLAlchemyError:
            # The change itself is committed: do not fail the request for this.
            # Other workers then notice it when their entries end (MAX_AGE).
            logger.warning("Could not bump the availability version", exc_info=True)


def init_app(app: Flask, make_session: sessionmaker[Session]) -> None:
    """An empty cache for this app, and the listeners that keep it true."""
    cache = app.extensions["free_time_cache"] = FreeTimeCache()
    event.listen(make_session, "after_flush", _after_flush)
    event.listen(make_session, "do_orm_execute", _do_orm_execute)
    event.listen(make_session, "after_commit", functools.partial(_after_commit, cache))
