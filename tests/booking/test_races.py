"""Races that end honestly, and the calendar's invariant kept by PostgreSQL itself.

Each race is played in a fixed order rather than left to chance: one transaction
takes its step and stays open, a second one runs in a thread, and the first
commits only once the second waits for a lock (or has finished without waiting,
which is what happens when the lock is missing). So every test here fails when
the rule it guards is removed, on every run.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from portal.availability.changes import NewAbsence
from portal.availability.models import Mode
from portal.booking import courses, errors, holds, replay
from portal.booking.models import CounsellingSession, Course, SessionStatus, SlotHold
from portal.calendar import availability_changes as availability
from tests.booking.test_views import Parent
from tests.conftest import requires_postgresql
from tests.factories import NOW, local

pytestmark = requires_postgresql

WED_9 = local(2026, 3, 25, 9)
WED_10 = local(2026, 3, 25, 10)
KEY = "k" * 43


def new_session(app):
    return app.extensions["db_sessionmaker"]()


def in_thread(app, work):
    """Start ``work(db)`` in a thread with its own connection; commit it there.
    Returns the thread and a dict that gets its backend pid and outcome."""
    result: dict = {}
    started = threading.Event()

    def target() -> None:
        with app.app_context():
            db = new_session(app)
            try:
                result["pid"] = db.scalar(text("SELECT pg_backend_pid()"))
                started.set()
                result["value"] = work(db)
                db.commit()
                result["outcome"] = "ok"
            except (errors.BookingError, IntegrityError) as error:
                db.rollback()
                result["outcome"] = type(error).__name__
            finally:
                db.close()
                started.set()

    thread = threading.Thread(target=target)
    thread.start()
    started.wait(60)
    return thread, result


def wait_until_blocked_or_done(app, thread, pid) -> None:
    """Return once the thread's transaction waits for a lock, or has ended."""
    engine = app.extensions["db_engine"]
    while thread.is_alive():
        with engine.connect() as connection:
            waiting = connection.scalar(
                text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                {"pid": pid},
            )
        if waiting == "Lock":
            return
        time.sleep(0.005)


def race(app, first_db, work):
    """``first_db`` has taken its step (uncommitted); run ``work`` against it."""
    thread, result = in_thread(app, work)
    wait_until_blocked_or_done(app, thread, result.get("pid"))
    first_db.commit()
    thread.join(60)
    return result["outcome"]


@pytest.fixture
def counsellor(make_counsellor):
    return make_counsellor(home_visit_buffer_minutes=30)


def test_a_home_visit_and_a_time_inside_its_travel_buffer_cannot_both_be_held(
    app, db_session, counsellor
):
    holds.hold_slot(db_session, starts_at=WED_9, mode="home", language="da", now=NOW)

    def hold_ten_oclock(db):
        holds.hold_slot(db, starts_at=WED_10, mode="centre", language="da", now=NOW)

    assert race(app, db_session, hold_ten_oclock) == "SlotTaken"
    with new_session(app) as check:
        assert check.scalar(select(func.count(SlotHold.id))) == 1


def test_an_absence_added_after_a_hold_expired_wins_over_the_late_confirm(
    app, db_session, counsellor
):
    held = holds.hold_slot(
        db_session, starts_at=WED_9, mode="centre", language="da", now=NOW
    )
    db_session.commit()
    later = NOW + timedelta(minutes=11)
    availability.apply_change(
        db_session,
        counsellor.id,
        NewAbsence(
            starts_at=WED_9 - timedelta(hours=1), ends_at=WED_9 + timedelta(hours=3)
        ),
        now=later,
    )

    def confirm(db):
        courses.create_course(db, hold_token=held.token, language="da", now=later)

    assert race(app, db_session, confirm) == "SlotTaken"
    with new_session(app) as check:
        assert check.scalar(select(func.count(CounsellingSession.id))) == 0


def test_the_second_click_finds_the_booking_the_first_click_committed(
    app, db_session, counsellor, monkeypatch
):
    held = holds.hold_slot(
        db_session, starts_at=WED_9, mode="centre", language="da", now=NOW
    )
    db_session.commit()
    first_click = new_session(app)
    made = courses.create_course(
        first_click, hold_token=held.token, language="da", idempotency_key=KEY, now=NOW
    )
    looked = []
    replayed = replay.replayed_session

    def first_commits_after_the_second_looked(db, key):
        found = replayed(db, key)
        if not looked:
            first_click.commit()  # between the second click's two looks
        looked.append(found)
        return found

    monkeypatch.setattr(
        replay, "replayed_session", first_commits_after_the_second_looked
    )
    try:
        again = courses.create_course(
            db_session,
            hold_token=held.token,
            language="da",
            idempotency_key=KEY,
            now=NOW,
        )
    finally:
        first_click.close()
    assert again.replayed and again.code == made.code
    assert looked[0] is None


def test_the_database_refuses_overlapping_sessions_of_one_counsellor(
    db_session, counsellor, make_counsellor
):
    def row(start, mode, busy_minutes=0, status=SessionStatus.BOOKED, who=counsellor):
        end = start + timedelta(hours=1)
        return CounsellingSession(
            counsellor_id=who.id,
            starts_at=start,
            ends_at=end,
            busy_until=end + timedelta(minutes=busy_minutes),
            mode=mode,
            status=status,
        )

    db_session.add(row(WED_9, Mode.HOME, busy_minutes=30))
    db_session.commit()
    # Cancelled rows and colleagues' sessions do not overlap anything.
    db_session.add(row(WED_10, Mode.CENTRE, status=SessionStatus.CANCELLED))
    db_session.add(row(WED_10, Mode.CENTRE, who=make_counsellor()))
    db_session.commit()
    # Overlapping only through the travel buffer, with another start time.
    db_session.add(row(WED_10, Mode.CENTRE))
    with pytest.raises(IntegrityError, match="ex_counselling_sessions_no_overlap"):
        db_session.commit()
    db_session.rollback()


# The five-session rule alone: all five may lie ahead here.
@pytest.mark.app_config(BOOKING_MAX_UPCOMING=5)
def test_losing_requests_for_a_full_course_give_their_holds_back(
    app, clock, db_session, counsellor, make_course, book_next
):
    app.config["BOOKING_MAX_HELD_SHARE"] = 1.0
    made = make_course(WED_9)
    book_next(made.course, local(2026, 3, 26, 9))
    book_next(made.course, local(2026, 3, 26, 10))
    parents = []
    for n in range(6):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n + 1}"
        parent = Parent(client)
        parent.post("/min-booking", {"code": made.code})
        parent.post("/min-booking/ny-samtale", {"mode": "centre"})
        starts_at = local(2026, 3, 30, 9) + timedelta(days=n % 3, hours=n // 3)
        held = parent.post(
            "/min-booking/ny-samtale/tid",
            {"time": starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")},
        )
        assert held.status_code == 302, parent.last_page
        page = parent.get("/min-booking/ny-samtale/tjek").get_data(as_text=True)
        key = re.search(r'idempotency_key[^>]*value="([^"]+)"', page).group(1)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        parents.append((client, {"csrf_token": token, "idempotency_key": key}))
    with new_session(app) as check:
        assert check.scalar(select(func.count(SlotHold.id))) == 6
    barrier = threading.Barrier(len(parents))

    def confirm(client, data):
        barrier.wait()
        client.post("/min-booking/ny-samtale/tjek", data=data)

    threads = [threading.Thread(target=confirm, args=p) for p in parents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with new_session(app) as check:
        assert check.scalar(select(Course.sessions_counted)) == 5
        assert check.scalar(select(func.count(SlotHold.id))) == 0
