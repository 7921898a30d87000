"""A family's sessions as the family and its staff see them: who can take part,
which sessions are coming and which are past, and what changed since the
member's previous visit. Booking them is the calendar's (``calendar.family_sessions``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.accounts.models import User
from portal.booking.models import CounsellingSession, SessionStatus
from portal.families.models import Family, FamilyAssignment


def active_members(family: Family) -> list[User]:
    """The members who can take part: not removed from the family."""
    return sorted(
        (member for member in family.members if member.removed_at is None),
        key=lambda member: (member.name, member.id),
    )


def primary_counsellor(db: Session, family: Family) -> User | None:
    """The counsellor the family sees as their contact."""
    return db.scalar(
        select(User)
        .join(FamilyAssignment, FamilyAssignment.counsellor_id == User.id)
        .where(
            FamilyAssignment.family_id == family.id,
            FamilyAssignment.is_primary.is_(True),
        )
    )


def family_sessions(db: Session, family: Family) -> list[CounsellingSession]:
    """The family's sessions, oldest first, cancelled ones included: one statement
    (the counsellor joined), however many there are."""
    return list(
        db.scalars(
            select(CounsellingSession)
            .where(CounsellingSession.family_id == family.id)
            .options(joinedload(CounsellingSession.counsellor))
            .order_by(CounsellingSession.starts_at, CounsellingSession.id)
        )
    )


@dataclass(frozen=True)
class SessionOverview:
    """Coming booked sessions (soonest first) and past ones (newest first)."""

    upcoming: list[CounsellingSession]
    past: list[CounsellingSession]


def overview(sessions: list[CounsellingSession], now: datetime) -> SessionOverview:
    """Cancelled sessions are left out: what is cancelled shows under news."""
    live = [s for s in sessions if s.status != SessionStatus.CANCELLED]
    return SessionOverview(
        upcoming=[s for s in live if s.ends_at > now],
        past=[s for s in reversed(live) if s.ends_at <= now],
    )


@dataclass(frozen=True)
class News:
    """One session that is new or changed since the member's previous visit."""

    session: CounsellingSession
    kind: str  # "booked", "moved" or "cancelled"


def news_since(
    sessions: list[CounsellingSession], since: datetime | None
) -> list[News]:
    """Sessions booked, moved or cancelled after ``since`` (the previous log-in),
    newest change first; nothing on a first visit."""
    if since is None:
        return []
    found: list[tuple[datetime, News]] = []
    for session in sessions:
        if session.status == SessionStatus.CANCELLED:
            if session.cancelled_at is not None and session.cancelled_at > since:
                found.append((session.cancelled_at, News(session, "cancelled")))
        elif session.created_at > since:
            found.append((session.created_at, News(session, "booked")))
        elif session.changed_at is not None and session.changed_at > since:
            found.append((session.changed_at, News(session, "moved")))
    return [news for _, news in sorted(found, key=lambda pair: pair[0], reverse=True)]
