"""Demo data: a few past and coming sessions for each demo family, with its
primary counsellor, relative to the demo's now (``flask seed-demo``)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from portal.availability.models import Mode
from portal.booking.models import CounsellingSession, SessionStatus
from portal.booking.slots import free_slots
from portal.calendar.family_sessions import book_family_session
from portal.db import utcnow
from portal.families.models import Family
from portal.families.sessions import active_members, primary_counsellor
from portal.i18n import LOCAL

DEMO_ADDRESS = "Demovej 1, 7190 Demoby"
#: Coming sessions: (weeks ahead, mode).
COMING = ((0, Mode.CENTRE), (2, Mode.HOME))
#: Past held sessions, this many weeks ago.
PAST_WEEKS = (2, 4)


def _past_start(now: datetime, weeks: int, hour: int) -> datetime:
    """A weekday at ``hour`` (Copenhagen) about ``weeks`` weeks before ``now``."""
    day = (now - timedelta(weeks=weeks)).astimezone(LOCAL).date()
    day -= timedelta(days=max(0, day.weekday() - 4))
    return datetime.combine(day, time(hour), tzinfo=LOCAL).astimezone(now.tzinfo)


def seed_family_sessions(db: Session, now: datetime | None = None) -> None:
    """For each demo family without sessions: two held sessions in the past and
    two booked on free times of its primary counsellor. Idempotent; flushes."""
    now = now or utcnow()
    families = db.scalars(
        select(Family)
        .where(
            Family.erased_at.is_(None),
            ~exists().where(CounsellingSession.family_id == Family.id),
        )
        .order_by(Family.id)
    ).all()
    for index, family in enumerate(families):
        counsellor = primary_counsellor(db, family)
        members = active_members(family)
        if counsellor is None or not members:
            continue
        for weeks in PAST_WEEKS:
            starts_at = _past_start(now, weeks, 8 + index % 6)
            past = CounsellingSession(
                family_id=family.id,
                counsellor_id=counsellor.id,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                mode=Mode.CENTRE,
                status=SessionStatus.HELD,
                created_at=starts_at - timedelta(weeks=1),
            )
            past.participants = members
            db.add(past)
        for weeks, mode in COMING:
            start = now + timedelta(weeks=weeks)
            slots = free_slots(
                db,
                start,
                start + timedelta(weeks=1),
                mode=mode,
                now=now,
                counsellor_ids=[counsellor.id],
            )
            if not slots:
                continue
            book_family_session(
                db,
                counsellor,
                family,
                starts_at=slots[0].starts_at,
                mode=mode,
                participants=[m.public_id for m in members],
                idempotency_key=f"demo-{family.public_id}-{weeks}",
                address=DEMO_ADDRESS if mode == Mode.HOME else None,
                now=now,
            )
    db.flush()
