"""The time page reuses free times between requests, and never past a change:
a booking (in this worker or another), a hold running out, the clock passing a
counsellor's minimum notice."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy.exc import OperationalError

from portal import create_app
from portal import db as portal_db
from portal.availability.models import Absence
from portal.booking import (
    availability_version,
    courses,
    free_time_cache,
    slots,
    timepicker,
)
from portal.booking import holds as booking_holds
from portal.booking.models import CounsellingSession, Course
from tests.factories import NOW, local

WED_9 = local(2026, 3, 25, 9)


@pytest.fixture
def computations(monkeypatch):
    """How many times free slots were computed from the database."""
    calls = []
    real = slots.free_slots

    def counting(*args, **kwargs):
        calls.append(args[1:3])
        return real(*args, **kwargs)

    monkeypatch.setattr(slots, "free_slots", counting)
    return calls


def shown(db_session, offset=1, **kwargs) -> list:
    """The start times the time page offers in week ``offset`` (centre, Danish)."""
    week = timepicker.page_context(
        db_session, mode="centre", language="da", offset=offset, **kwargs
    )["week"]
    return [free.starts_at for day in week.days.values() for free in day]


def test_free_times_are_computed_once_for_many_page_views(
    db_session, make_counsellor, clock, computations
):
    make_counsellor()
    first = shown(db_session)
    for offset in (1, 0, 2, 1):
        shown(db_session, offset)
    assert WED_9 + timedelta(weeks=1) in first
    assert len(computations) == 1


def test_a_booking_is_seen_at_once(
    db_session, make_counsellor, make_course, clock, computations
):
    make_counsellor()
    assert WED_9 in shown(db_session, 0)
    make_course(WED_9)
    assert WED_9 not in shown(db_session, 0)
    assert len(computations) >= 2


def test_a_booking_made_by_another_worker_is_seen_within_a_second(
    app, db_session, make_counsellor, clock
):
    make_counsellor()
    assert WED_9 in shown(db_session, 0)
    # Another gunicorn worker: its own app and cache, the same database.
    other = create_app(
        {
            key: app.config[key]
            for key in (
                "TESTING",
                "SQLALCHEMY_DATABASE_URI",
                "SQLALCHEMY_ENGINE_OPTIONS",
            )
        }
    )
    with other.app_context():
        other_db = portal_db.session()
        held = booking_holds.hold_slot(
            other_db, starts_at=WED_9, mode="centre", language="da", now=NOW
        )
        courses.create_course(other_db, hold_token=held.token, language="da", now=NOW)
        other_db.commit()
    other.extensions["db_engine"].dispose()
    clock.shift(free_time_cache.VERSION_CHECK_INTERVAL)
    assert WED_9 not in shown(db_session, 0)


def test_a_held_time_comes_back_when_the_hold_runs_out(
    db_session, make_counsellor, hold, clock, computations
):
    make_counsellor()
    held = hold(WED_9)
    db_session.commit()
    assert WED_9 not in shown(db_session, 0)
    clock.move_to(held.expires_at - timedelta(seconds=1))
    assert WED_9 not in shown(db_session, 0)
    clock.move_to(held.expires_at + timedelta(seconds=1))
    assert WED_9 in shown(db_session, 0)


def test_times_inside_the_minimum_notice_drop_out_without_recomputing(
    db_session, make_counsellor, clock, computations
):
    make_counsellor(minimum_notice_hours=48)
    assert WED_9 - NOW == timedelta(hours=48)
    times = shown(db_session, 0)
    assert WED_9 in times
    assert local(2026, 3, 24, 11) not in times  # Tuesday: within 48 hours
    clock.shift(timedelta(seconds=1))
    times = shown(db_session, 0)
    assert WED_9 not in times
    assert local(2026, 3, 25, 10) in times
    assert len(computations) == 1


def test_an_entry_is_recomputed_after_a_minute_at_most(
    db_session, make_counsellor, clock, computations
):
    make_counsellor()
    shown(db_session)
    clock.shift(free_time_cache.MAX_AGE - timedelta(seconds=1))
    shown(db_session)
    assert len(computations) == 1
    clock.shift(timedelta(seconds=2))
    shown(db_session)
    assert len(computations) == 2


def test_a_parent_with_a_hold_sees_their_own_time_as_free(
    db_session, make_counsellor, hold, clock
):
    make_counsellor()
    held = hold(WED_9)
    db_session.commit()
    assert WED_9 not in shown(db_session, 0)
    assert WED_9 in shown(db_session, 0, hold_token=held.token)


def test_what_bumps_the_version(db_session, make_counsellor, make_course, clock):
    counsellor = make_counsellor()
    before = availability_version.current_version(db_session)

    # An absence (ORM insert) changes free times.
    db_session.add(
        Absence(
            counsellor_id=counsellor.id,
            starts_at=local(2026, 3, 30, 0),
            ends_at=local(2026, 3, 31, 0),
        )
    )
    db_session.commit()
    after_absence = availability_version.current_version(db_session)
    assert after_absence > before

    # Deleting expired holds in bulk (a DELETE statement) does too.
    booking_holds.release_expired_holds(db_session)
    db_session.commit()
    after_release = availability_version.current_version(db_session)
    assert after_release > after_absence

    # A course's contact details do not.
    booking = make_course(WED_9)
    version = availability_version.current_version(db_session)
    course = db_session.get(Course, booking.course.id)
    course.contact_email = "forælder@example.dk"
    db_session.commit()
    assert availability_version.current_version(db_session) == version


def test_the_page_shows_the_same_times_cached_or_not(
    db_session, make_counsellor, make_course, clock
):
    make_counsellor(start=time(9), end=time(12))
    make_counsellor(languages="da,en", start=time(13), end=time(15), modes="centre")
    make_course(WED_9)
    for offset in range(timepicker.WEEKS_SHOWN):
        cached = timepicker.page_context(
            db_session, mode="centre", language="da", offset=offset
        )["week"]
        fresh = timepicker.week_of_times(
            timepicker.free_times(db_session, mode="centre", language="da"), offset
        )
        assert cached == fresh


def test_a_booking_stands_when_the_version_cannot_be_bumped(
    db_session, make_counsellor, make_course, clock, monkeypatch, caplog
):
    make_counsellor()

    def broken(_connection):
        raise OperationalError("UPDATE availability_version", {}, Exception("gone"))

    monkeypatch.setattr(availability_version, "bump_version", broken)
    booking = make_course(WED_9)  # commits
    assert db_session.get(CounsellingSession, booking.session.id) is not None
    assert "Could not bump the availability version" in caplog.text
    # This worker forgot its own entries anyway.
    assert WED_9 not in shown(db_session, 0)
