"""The database's availability version: one number that every commit touching free
times bumps, so each web worker's free-time cache (``free_time_cache``) knows
when to read again.

A commit touches free times when it writes sessions, holds, absences, weekly
spans, counsellor settings, or a user row's ``active``/``role`` (a counsellor
comes or goes), through the ORM or a bulk statement. The number is bumped in its
own transaction *after* the commit, so a worker that read the old number can only
have cached data that is as new as that number or newer.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from sqlalchemy import Connection, event, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

from portal.accounts.models import User
from portal.availability.models import Absence, AvailabilitySpan, CounsellorSettings
from portal.booking.models import AvailabilityVersion, CounsellingSession, SlotHold

logger = logging.getLogger(__name__)

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


def _after_commit(forget: Callable[[], None], session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        forget()
        try:
            # Its own transaction on the engine: the session's has just ended.
            with session.get_bind().engine.begin() as connection:
                bump_version(connection)
        except SQLAlchemyError:
            # The change itself is committed: do not fail the request for this.
            # Other workers then notice it when their entries end (their maximum age).
            logger.warning("Could not bump the availability version", exc_info=True)


def watch(make_session: sessionmaker[Session], forget: Callable[[], None]) -> None:
    """Bump the version after each commit that touched free times, and call
    ``forget`` first (the committing worker's own cache)."""
    event.listen(make_session, "after_flush", _after_flush)
    event.listen(make_session, "do_orm_execute", _do_orm_execute)
    event.listen(make_session, "after_commit", functools.partial(_after_commit, forget))
