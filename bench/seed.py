"""Bench data: 20 counsellors, six weeks of Mon-Fri availability, 5,000 sessions.

Everything is inserted in bulk (``session.execute(insert(Model), rows)``), so the
seed takes about a second. The data respect the database's rules: at most one
active session per counsellor and start time (sessions are drawn without
replacement from each counsellor's own slot grid) and at most five counted
sessions per course (courses of 1-5 sessions, ``sessions_counted`` set to match).
"""

from __future__ import annotations

import hashlib
import itertools
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.availability.models import AvailabilitySpan, CounsellorSettings
from portal.booking.demo_data import TOPICS
from portal.booking.models import (
    MAX_SESSIONS,
    CounsellingSession,
    Course,
    SessionStatus,
    Topic,
)
from portal.booking.slot_days import closed_day
from portal.i18n import LOCAL

COUNSELLORS = 20
WEEKS = 6
SESSIONS = 5_000
#: Every counsellor works a morning and an afternoon span, Monday to Friday.
SPANS = ((time(8), time(12)), (time(12, 30), time(17)))
#: Per counsellor (cycled): languages, session length, and the modes of a span.
LANGUAGE_SETS = ("da", "da,en", "da,ar", "da,en,ar")
SESSION_MINUTES = (30, 45, 60, 30)
MODE_SETS = (
    "home,centre",
    "centre,phone,video",
    "phone,video",
    "home,centre,phone",
    "centre,video",
)


@dataclass
class Seeded:
    counsellors: int
    spans: int
    sessions: int
    courses: int
    grid_slots: int  # every slot start in the counsellors' six weeks


def _local(day: date, wall: time) -> datetime:
    return datetime.combine(day, wall, tzinfo=LOCAL).astimezone(UTC)


def seed(db: Session, *, now: datetime, closed_dates, rng: random.Random) -> Seeded:
    """Insert the bench data (and flush); the caller commits."""
    db.execute(
        insert(Topic),
        [
            {"name_da": da, "name_en": en, "name_ar": ar, "sort_order": order}
            for order, (da, en, ar) in enumerate(TOPICS)
        ],
    )
    topic_ids = list(db.scalars(Topic.__table__.select().with_only_columns(Topic.id)))

    counsellor_ids = db.scalars(
        insert(User).returning(User.id, sort_by_parameter_order=True),
        [
            {
                "email": f"bench-counsellor{n}@example.dk",
                "name": f"Rådgiver {n}",
                "role": Role.COUNSELLOR,
                "password_hash": "!",  # cannot log in
            }
            for n in range(COUNSELLORS)
        ],
    ).all()

    settings_rows, span_rows = [], []
    # Counsellor id -> their daily slot grid: [(wall start, wall end, modes)].
    grid: dict[int, list[tuple[time, time, list[str]]]] = {}
    for n, cid in enumerate(counsellor_ids):
        minutes = SESSION_MINUTES[n % len(SESSION_MINUTES)]
        settings_rows.append(
            {
                "counsellor_id": cid,
                "languages": LANGUAGE_SETS[n % len(LANGUAGE_SETS)],
                "session_minutes": minutes,
                "horizon_weeks": WEEKS,
            }
        )
        grid[cid] = []
        for index, (start, end) in enumerate(SPANS):
            modes = MODE_SETS[(n + 2 * index) % len(MODE_SETS)]
            for weekday in range(5):
                span_rows.append(
                    {
                        "counsellor_id": cid,
                        "weekday": weekday,
                        "start_time": start,
                        "end_time": end,
                        "modes": modes,
                        "location": "Familiehuset, Torvegade 3, 7190 Demoby",
                    }
                )
            wall = datetime.combine(date.min, start)
            while (wall + timedelta(minutes=minutes)).time() <= end:
                wall_end = wall + timedelta(minutes=minutes)
                grid[cid].append((wall.time(), wall_end.time(), modes.split(",")))
                wall = wall_end
    db.execute(insert(CounsellorSettings), settings_rows)
    db.execute(insert(AvailabilitySpan), span_rows)

    # Every bookable start in the next six weeks (24 hours' notice), then 5,000 of
    # them at random: distinct (counsellor, start) pairs, as the unique index wants.
    earliest, latest = now + timedelta(hours=24), now + timedelta(weeks=WEEKS)
    candidates = []
    day = earliest.astimezone(LOCAL).date()
    while day <= latest.astimezone(LOCAL).date():
        if day.weekday() < 5 and not closed_day(day, closed_dates):
            for cid, walls in grid.items():
                for wall_start, wall_end, modes in walls:
                    starts_at = _local(day, wall_start)
                    if earliest <= starts_at < latest:
                        candidates.append(
                            (cid, starts_at, _local(day, wall_end), modes)
                        )
        day += timedelta(days=1)
    if len(candidates) < SESSIONS:
        raise RuntimeError(f"only {len(candidates)} slots for {SESSIONS} sessions")
    chosen = rng.sample(candidates, SESSIONS)

    # Courses of 1, 2, 3, 4, 5, 1, 2, ... sessions until all 5,000 have one.
    sizes = []
    for size in itertools.cycle(range(1, MAX_SESSIONS + 1)):
        left = SESSIONS - sum(sizes)
        if left <= 0:
            break
        sizes.append(min(size, left))
    course_ids = db.scalars(
        insert(Course).returning(Course.id, sort_by_parameter_order=True),
        [
            {
                "code_hash": hashlib.sha256(rng.randbytes(16)).hexdigest(),
                "pseudonym": f"Forløb {n}",
                "topic_id": rng.choice([*topic_ids, None]),
                "language": "da",
                "sessions_counted": size,
            }
            for n, size in enumerate(sizes)
        ],
    ).all()
    owners = [
        cid for cid, size in zip(course_ids, sizes, strict=True) for _ in range(size)
    ]
    db.execute(
        insert(CounsellingSession),
        [
            {
                "course_id": course_id,
                "counsellor_id": cid,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "mode": rng.choice(modes),
                "status": SessionStatus.BOOKED,
            }
            for course_id, (cid, starts_at, ends_at, modes) in zip(
                owners, chosen, strict=True
            )
        ],
    )
    db.flush()
    return Seeded(
        counsellors=len(counsellor_ids),
        spans=len(span_rows),
        sessions=SESSIONS,
        courses=len(course_ids),
        grid_slots=len(candidates),
    )
