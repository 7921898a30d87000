"""Factories for anonymous booking: counsellors with calendars, holds and courses."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from portal.accounts.models import Role, User
from portal.availability.models import AvailabilitySpan, CounsellorSettings
from portal.booking import courses
from portal.booking import holds as booking_holds
from portal.booking import sessions as booking_sessions
from portal.booking.models import Topic

LOCAL = ZoneInfo("Europe/Copenhagen")
#: Monday 23 March 2026, 09:00 in Copenhagen (still winter time).
NOW = datetime(2026, 3, 23, 8, tzinfo=UTC)
ALL_MODES = "home,centre,phone,video"


def local(year, month, day, hour, minute=0) -> datetime:
    """A Copenhagen wall-clock time as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL).astimezone(UTC)


@pytest.fixture
def clock():
    """The clock stopped at NOW (``clock.shift``/``clock.move_to`` move it)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def make_counsellor(db_session):
    """A counsellor with settings and Mon-Fri spans (default 09-12, all modes).

    The account cannot log in (no password hash), which keeps the factory fast.
    """
    counter = iter(range(10_000))

    def make(
        *,
        languages: str = "da",
        weekdays=range(5),
        start=time(9),
        end=time(12),
        modes: str = ALL_MODES,
        spans=None,
        **settings,
    ):
        n = next(counter)
        user = User(
            email=f"counsellor{n}@example.dk",
            name=f"Rådgiver {n}",
            role=Role.COUNSELLOR,
            password_hash="!",
        )
        db_session.add(user)
        db_session.flush()
        db_session.add(
            CounsellorSettings(counsellor_id=user.id, languages=languages, **settings)
        )
        for weekday, span_start, span_end, span_modes in spans or [
            (day, start, end, modes) for day in weekdays
        ]:
            db_session.add(
                AvailabilitySpan(
                    counsellor_id=user.id,
                    weekday=weekday,
                    start_time=span_start,
                    end_time=span_end,
                    modes=span_modes,
                    location="Familiehuset",
                )
            )
        db_session.commit()
        return user

    return make


@pytest.fixture
def make_topic(db_session):
    def make(name: str = "Skole og trivsel", *, active: bool = True) -> Topic:
        topic = Topic(name_da=name, name_en=name, name_ar=name, active=active)
        db_session.add(topic)
        db_session.commit()
        return topic

    return make


@pytest.fixture
def hold(db_session):
    """Hold a time: ``hold(starts_at, mode="centre", language="da", now=NOW)``."""

    def make(starts_at, mode="centre", language="da", now=NOW, **kwargs):
        return booking_holds.hold_slot(
            db_session,
            starts_at=starts_at,
            mode=mode,
            language=language,
            now=now,
            **kwargs,
        )

    return make


@pytest.fixture
def make_course(db_session, hold):
    """Book a course whose first session starts at ``starts_at``; commit it."""

    def make(starts_at, *, mode="centre", now=NOW, address=None, **kwargs):
        held = hold(starts_at, mode, now=now)
        kwargs.setdefault("language", "da")
        booking = courses.create_course(
            db_session, hold_token=held.token, address=address, now=now, **kwargs
        )
        db_session.commit()
        return booking

    return make


@pytest.fixture
def book_next(db_session, hold):
    """Book another session for ``course`` at ``starts_at``; commit it."""

    def make(course, starts_at, *, mode="centre", now=NOW, **kwargs):
        held = hold(starts_at, mode, now=now)
        session = booking_sessions.book_next_session(
            db_session, course, hold_token=held.token, now=now, **kwargs
        )
        db_session.commit()
        return session

    return make
