"""Demo data for anonymous booking: counsellors' calendars, topics, two courses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.availability.models import AvailabilitySpan, CounsellorSettings
from portal.booking import codes, courses, holds
from portal.booking.models import Course, Topic
from portal.booking.slots import free_slots
from portal.db import utcnow

TOPICS = [
    ("Bekymring for mit barn", "Worried about my child", "قلق بشأن طفلي"),
    ("Skilsmisse og samvær", "Divorce and contact", "الطلاق وحق الرؤية"),
    ("Konflikter i familien", "Conflicts in the family", "خلافات في الأسرة"),
    ("Skole og trivsel", "School and well-being", "المدرسة والرفاهية"),
    ("Andet", "Something else", "موضوع آخر"),
]
CENTRE = "Familiehuset, Torvegade 3, 7190 Demoby"
#: A weekly span: (weekdays, start, end, modes).
Span = tuple[Sequence[int], time, time, str]
# (e-mail, languages, [(weekdays, start, end, modes)])
CALENDARS: list[tuple[str, str, list[Span]]] = [
    (
        "anna@demokommune.dk",
        "da,en",
        [
            (range(0, 4), time(9), time(15), "home,centre"),
            ((4,), time(9), time(12), "phone,video"),
        ],
    ),
    (
        "bo@demokommune.dk",
        "da,ar",
        [
            (range(0, 5), time(8, 30), time(14, 30), "centre,phone,video"),
        ],
    ),
    (
        "camilla@demokommune.dk",
        "da",
        [
            (range(1, 5), time(10), time(16), "home,phone"),
        ],
    ),
]
#: Demo booking codes for trying "Min booking" in development (never in production).
DEMO_COURSES = [
    ("D3M0-0000-0000-0001", "Blå Ugle", "centre", None),
    ("D3M0-0000-0000-0002", "Grøn Odder", "home", "Eksempelvej 12, 7190 Demoby"),
]


def seed_booking(db_session: Session) -> None:
    """Calendars for the demo counsellors, the topic list and two anonymous courses."""
    if db_session.scalar(select(Topic).limit(1)) is None:
        for order, (da, en, ar) in enumerate(TOPICS):
            db_session.add(Topic(name_da=da, name_en=en, name_ar=ar, sort_order=order))
    for email, languages, spans in CALENDARS:
        user = db_session.scalar(select(User).where(User.email == email))
        if user is None or db_session.scalar(
            select(CounsellorSettings.id).where(
                CounsellorSettings.counsellor_id == user.id
            )
        ):
            continue
        db_session.add(CounsellorSettings(counsellor_id=user.id, languages=languages))
        for weekdays, start, end, modes in spans:
            for weekday in weekdays:
                db_session.add(
                    AvailabilitySpan(
                        counsellor_id=user.id,
                        weekday=weekday,
                        start_time=start,
                        end_time=end,
                        modes=modes,
                        location=CENTRE,
                    )
                )
    db_session.flush()
    now = utcnow()
    for code, pseudonym, mode, address in DEMO_COURSES:
        code_hash = codes.code_hash(code)
        if db_session.scalar(select(Course).where(Course.code_hash == code_hash)):
            continue
        slots = free_slots(
            db_session, now, now + timedelta(weeks=6), mode=mode, language="da", now=now
        )
        if not slots:
            continue
        hold = holds.hold_slot(
            db_session, starts_at=slots[0].starts_at, mode=mode, language="da", now=now
        )
        booking = courses.create_course(
            db_session,
            hold_token=hold.token,
            language="da",
            topic_text="",
            address=address,
            now=now,
        )
        booking.course.code_hash = code_hash
        booking.course.pseudonym = pseudonym
    db_session.flush()
