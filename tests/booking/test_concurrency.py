"""The invariants hold under concurrent requests, on whichever database runs the tests.

Run with TEST_DATABASE_URL=postgresql+psycopg://... for PostgreSQL (as CI does);
without it the same tests run on SQLite. Each thread has its own session and
connection and commits, as a request would.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from portal.booking import courses, errors, holds, session_limit
from portal.booking import sessions as booking_sessions
from portal.booking.models import CounsellingSession, Course, SessionStatus
from tests.factories import NOW, local

WED_9 = local(2026, 3, 25, 9)


def run_concurrently(app, n: int, work) -> list[str]:
    """Run ``work(db, i)`` in ``n`` threads released together; name each outcome."""
    barrier = threading.Barrier(n)
    outcomes = [""] * n

    def target(i: int) -> None:
        with app.app_context():
            db = app.extensions["db_sessionmaker"]()
            try:
                barrier.wait()
                work(db, i)
                db.commit()
                outcomes[i] = "ok"
            except (errors.BookingError, IntegrityError, DBAPIError) as error:
                db.rollback()
                outcomes[i] = type(error).__name__
            finally:
                db.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_twenty_concurrent_attempts_at_one_slot_give_one_booking(app, make_counsellor):
    make_counsellor()

    def book(db, _i):
        held = holds.hold_slot(
            db, starts_at=WED_9, mode="centre", language="da", now=NOW
        )
        courses.create_course(db, hold_token=held.token, language="da", now=NOW)

    outcomes = run_concurrently(app, 20, book)
    assert outcomes.count("ok") == 1, outcomes
    # Closed even when an assertion fails: an open session would block dropping
    # the test's PostgreSQL schema.
    with app.extensions["db_sessionmaker"]() as check:
        assert check.scalar(select(func.count(CounsellingSession.id))) == 1
        assert check.scalar(select(func.count(Course.id))) == 1


# The five-session rule alone: all five may lie ahead here.
@pytest.mark.app_config(BOOKING_MAX_UPCOMING=5)
def test_six_concurrent_bookings_on_a_course_with_three_used_end_at_five(
    app, db_session, make_counsellor, make_course, book_next
):
    # Six counsellors, so nothing but the course's counter serialises the bookings.
    for _ in range(6):
        make_counsellor()
    course = make_course(WED_9).course
    book_next(course, WED_9 + timedelta(hours=1))
    book_next(course, WED_9 + timedelta(hours=2))
    assert session_limit.sessions_used(course) == 3
    tokens = []
    for n in range(6):
        held = holds.hold_slot(
            db_session,
            starts_at=local(2026, 3, 26 + n // 3, 9 + n % 3),
            mode="centre",
            language="da",
            now=NOW,
        )
        tokens.append(held.token)
    db_session.commit()
    course_id = course.id

    def book(db, i):
        own = db.get(Course, course_id)
        booking_sessions.book_next_session(db, own, hold_token=tokens[i], now=NOW)

    outcomes = run_concurrently(app, 6, book)
    assert outcomes.count("ok") == 2, outcomes
    assert set(outcomes) <= {"ok", "CourseFull"}, outcomes
    with app.extensions["db_sessionmaker"]() as check:
        fresh = check.get(Course, course_id)
        assert fresh.sessions_counted == 5
        booked = [s for s in fresh.sessions if s.status == SessionStatus.BOOKED]
        assert len(booked) == 5
