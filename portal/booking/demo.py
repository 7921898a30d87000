"""Demo data for anonymous booking, stored: counsellors' calendars, topics, two
courses (the data itself is ``demo_data``)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.availability.models import AvailabilitySpan, CounsellorSettings
from portal.booking import codes, courses, holds
from portal.booking.demo_data import CALENDARS, CENTRE, DEMO_COURSES, TOPICS
from portal.booking.models import Course, Topic
from portal.booking.slots import free_slots
from portal.db import utcnow


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
