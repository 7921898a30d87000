"""Demo data for anonymous booking is complete and can be loaded twice."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.availability.models import AvailabilitySpan, CounsellorSettings
from portal.booking import course_lookup, session_limit
from portal.booking.demo_data import DEMO_COURSES
from portal.booking.models import Course, Topic
from portal.demo import seed


def test_seeding_twice_gives_the_same_calendars_topics_and_courses(db_session):
    seed(db_session)
    db_session.commit()
    seed(db_session)
    db_session.commit()

    def total(model):
        return db_session.scalar(select(func.count()).select_from(model))

    assert total(CounsellorSettings) == 3
    assert total(Topic) == 5
    assert total(AvailabilitySpan) == 14
    assert total(Course) == 2
    languages = set(db_session.scalars(select(CounsellorSettings.languages)))
    assert languages == {"da,en", "da,ar", "da"}
    course = course_lookup.find_course_by_code(db_session, DEMO_COURSES[0][0].lower())
    assert course.pseudonym == "Blå Ugle"
    assert session_limit.sessions_used(course) == 1
