"""Writing down that a consent's time ran out: one ``expired`` event for each
consent whose period has ended (at the end of its last day in
Europe/Copenhagen) and that nothing else ended first, so the history shows
it as a row like every other act. Run daily by ``flask --app portal purge``.

The state never waits for this row: ``derive_state`` reads the expiry from
the period too, and gives the same answer with the row or without it. The
event is written under the request's row lock, like every other act, and at
most once (the lock, and the check for an ending already written). The
counsellors are told by a neutral e-mail; their overview lists consents that
ran out recently.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from portal.consent.history import add_event, events_of, lock, state_of
from portal.consent.models import ConsentEvent, ConsentRequest, EventKind
from portal.consent.notify import tell_counsellors
from portal.consent.state import ENDINGS, ConsentState, period_end
from portal.timeutil import local_today


def _candidates(db: Session, now: datetime) -> list[ConsentRequest]:
    """Requests whose last day is over in Copenhagen and with no ending yet."""
    ended = exists().where(
        ConsentEvent.request_id == ConsentRequest.id,
        ConsentEvent.kind.in_(list(ENDINGS)),
    )
    return list(
        db.scalars(
            select(ConsentRequest)
            .where(ConsentRequest.ends_on < local_today(now))
            .where(~ended)
            .order_by(ConsentRequest.id)
        )
    )


def record_expiry(db: Session, request: ConsentRequest, now: datetime) -> bool:
    """Write the request's ``expired`` event if its time has run out and
    nothing ended it before; True if written."""
    lock(db, request)
    events = events_of(db, request)
    if any(event.kind in ENDINGS for event in events):
        return False
    if state_of(request, events, now) != ConsentState.EXPIRED:
        return False
    add_event(db, request, EventKind.EXPIRED, None, period_end(request.ends_on))
    tell_counsellors(db, request, EventKind.EXPIRED)
    return True


def record_expiries(db: Session, now: datetime) -> int:
    """Write the ``expired`` events due at ``now``; how many were written."""
    return sum(record_expiry(db, request, now) for request in _candidates(db, now))
