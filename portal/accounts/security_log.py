"""The leader's view of the security events: filters and pages over the audit log.

Only the security actions are shown here; families' access log stays apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from portal.accounts import services
from portal.accounts.models import User
from portal.audit import SECURITY_ACTIONS, AuditAction, AuditEvent
from portal.i18n import LOCAL

PAGE_SIZE = 50


@dataclass(frozen=True)
class EventFilter:
    action: AuditAction | None = None
    email: str = ""
    first_day: date | None = None
    last_day: date | None = None


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    #: The account the event is about: the one named, else the one who acted.
    account: User | None


@dataclass(frozen=True)
class EventPage:
    rows: list[EventRow]
    number: int
    count: int
    total: int


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL)


def _conditions(db_session: Session, wanted: EventFilter) -> list[ColumnElement[bool]]:
    actions = [wanted.action] if wanted.action else list(SECURITY_ACTIONS)
    conditions: list[ColumnElement[bool]] = [
        AuditEvent.action.in_([str(action) for action in actions])
    ]
    if wanted.email:
        user = services.find_user_by_email(db_session, wanted.email)
        if user is None:
            return [*conditions, AuditEvent.id.is_(None)]  # no such account: nothing
        conditions.append(
            or_(
                AuditEvent.actor_id == user.id,
                and_(
                    AuditEvent.object_type == "account",
                    AuditEvent.object_id == user.public_id,
                ),
            )
        )
    if wanted.first_day:
        conditions.append(AuditEvent.occurred_at >= _local_midnight(wanted.first_day))
    if wanted.last_day:
        after = _local_midnight(wanted.last_day + timedelta(days=1))
        conditions.append(AuditEvent.occurred_at < after)
    return conditions


def security_events(db_session: Session, wanted: EventFilter, page: int) -> EventPage:
    """One page of the security events that match, newest first.

    A page number past either end gives the nearest page."""
    conditions = _conditions(db_session, wanted)
    total = db_session.scalar(select(func.count(AuditEvent.id)).where(*conditions)) or 0
    count = max(1, math.ceil(total / PAGE_SIZE))
    number = min(max(page, 1), count)
    events = db_session.scalars(
        select(AuditEvent)
        .where(*conditions)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .offset((number - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    named = {e.object_id for e in events if e.object_type == "account" and e.object_id}
    accounts = {
        user.public_id: user
        for user in db_session.scalars(select(User).where(User.public_id.in_(named)))
    }
    rows = [EventRow(e, accounts.get(e.object_id, e.actor)) for e in events]
    return EventPage(rows=rows, number=number, count=count, total=total)
