"""Spread the five: at most BOOKING_MAX_UPCOMING (default 2) booked talks of a
course lie ahead at a time, kept under concurrent requests too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.booking import errors, holds, session_limit
from portal.booking import sessions as booking_sessions
from portal.booking.models import CounsellingSession, Course, SessionStatus
from tests.booking.test_concurrency import run_concurrently
from tests.booking.test_views import courses, parent  # noqa: F401 (fixture)
from tests.factories import NOW, local

WED_9 = local(2026, 3, 25, 9)
THU_9 = local(2026, 3, 26, 9)
FRI_9 = local(2026, 3, 27, 9)


def test_a_third_talk_ahead_is_refused_and_the_count_is_unchanged(
    app, db_session, make_counsellor, make_course, book_next
):
    assert app.config["BOOKING_MAX_UPCOMING"] == 2
    make_counsellor()
    course = make_course(WED_9).course
    book_next(course, THU_9)
    with pytest.raises(errors.TooManyUpcoming):
        book_next(course, FRI_9)
    db_session.rollback()
    assert session_limit.sessions_used(course) == 2
    assert db_session.scalar(select(func.count(CounsellingSession.id))) == 2


def test_room_comes_back_when_a_talk_has_passed_or_is_cancelled(
    db_session, make_counsellor, make_course, book_next
):
    make_counsellor()
    course = make_course(WED_9).course
    second = book_next(course, THU_9)
    assert not session_limit.has_room_ahead(db_session, course, NOW)
    # The Wednesday talk has been held: one lies ahead again.
    after_wednesday = WED_9 + timedelta(hours=2)
    assert session_limit.has_room_ahead(db_session, course, after_wednesday)
    book_next(course, FRI_9, now=after_wednesday)
    assert session_limit.sessions_used(course) == 3
    booking_sessions.cancel_session(db_session, second, now=after_wednesday)
    db_session.commit()
    assert session_limit.has_room_ahead(db_session, course, after_wednesday)


def test_two_tabs_booking_the_last_talk_ahead_at_once_get_one(
    app, db_session, make_counsellor, make_course
):
    # Two counsellors, so only the course's rule keeps the bookings apart.
    both = [make_counsellor(), make_counsellor()]
    course = make_course(WED_9).course
    held = [
        holds.hold_slot(
            db_session,
            starts_at=THU_9,
            mode="centre",
            language="da",
            now=NOW,
            prefer_counsellor_id=who.id,
        )
        for who in both
    ]
    assert {h.counsellor_id for h in held} == {who.id for who in both}
    tokens = [h.token for h in held]
    db_session.commit()
    course_id = course.id

    def book(db, i):
        own = db.get(Course, course_id)
        booking_sessions.book_next_session(db, own, hold_token=tokens[i], now=NOW)

    outcomes = run_concurrently(app, 2, book)
    assert sorted(outcomes) == ["TooManyUpcoming", "ok"], outcomes
    with app.extensions["db_sessionmaker"]() as check:
        fresh = check.get(Course, course_id)
        assert fresh.sessions_counted == 2
        booked = [s for s in fresh.sessions if s.status == SessionStatus.BOOKED]
        assert len(booked) == 2


SENTENCE = "Du kan have 2 samtaler booket ad gangen"


def test_min_booking_and_book_the_next_explain_the_rule(
    parent,  # noqa: F811 (fixture)
    make_counsellor,
    clock,
    db_session,
    book_next,
):
    make_counsellor()
    parent.book(WED_9)
    page = parent.get("/min-booking/ny-samtale").get_data(as_text=True)
    assert SENTENCE in page
    course = courses(db_session)[0]
    book_next(course, THU_9)
    page = parent.get("/min-booking").get_data(as_text=True)
    assert SENTENCE in page
    assert "Book en samtale mere" not in page
    refused = parent.get("/min-booking/ny-samtale")
    assert refused.status_code == 302
    assert SENTENCE in parent.get("/min-booking").get_data(as_text=True)
