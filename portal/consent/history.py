"""A consent's history: appending an event, and reading the state from the
events under the request's row lock.

The lock (``SELECT ... FOR UPDATE`` on the request's row, on PostgreSQL) is
what keeps a withdrawal and a disclosure at the same moment apart: each takes
it before it reads the state, so a disclosure is recorded either before the
withdrawal or not at all. SQLite has one writer at a time and ignores it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.consent.models import ConsentEvent, ConsentRequest, EventKind
from portal.consent.state import ConsentState, Fact, derive_state
from portal.login_sessions import HowLoggedIn


def add_event(
    db: Session,
    request: ConsentRequest,
    kind: EventKind,
    actor: User | None,
    now: datetime,
    *,
    how: HowLoggedIn | None = None,
    **columns: object,
) -> ConsentEvent:
    """Append one event; a family member's act records how they logged in."""
    event = ConsentEvent(
        request_id=request.id,
        kind=kind,
        actor_id=actor.id if actor is not None else None,
        at=now,
        login_method=str(how.method) if how else "",
        assurance=how.level if how else "",
        **columns,
    )
    db.add(event)
    db.flush()
    return event


def events_of(db: Session, request: ConsentRequest) -> list[ConsentEvent]:
    return list(
        db.scalars(
            select(ConsentEvent)
            .where(ConsentEvent.request_id == request.id)
            .order_by(ConsentEvent.id)
        )
    )


def state_of(
    request: ConsentRequest, events: list[ConsentEvent], now: datetime
) -> ConsentState:
    return derive_state(
        [askee.member_id for askee in request.askees],
        [Fact(event.kind, event.actor_id) for event in events],
        request.ends_on,
        now,
    )


def lock(db: Session, request: ConsentRequest) -> None:
    """Take the request's row lock for the rest of the transaction."""
    db.execute(
        select(ConsentRequest.id)
        .where(ConsentRequest.id == request.id)
        .with_for_update()
    )


def locked_state(db: Session, request: ConsentRequest, now: datetime) -> ConsentState:
    """The state at ``now`` from the events as committed once the lock is held."""
    lock(db, request)
    return state_of(request, events_of(db, request), now)
