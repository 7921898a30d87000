"""Calendar fixtures: logged-in counsellors with weekly times, a frozen clock, and
bookings made through the booking services (the parent's way)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask_babel import force_locale, gettext, ngettext

from portal.accounts.models import Role
from portal.availability.models import AvailabilitySpan, CounsellorSettings
from portal.booking import courses, holds
from portal.booking import sessions as booking_sessions

LOCAL = ZoneInfo("Europe/Copenhagen")
#: Monday 23 March 2026, 09:00 in Copenhagen (week 13).
START = datetime(2026, 3, 23, 8, tzinfo=UTC)
ALL_MODES = "home,centre,phone,video"


def local(year, month, day, hour, minute=0) -> datetime:
    """A Copenhagen wall-clock time as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL).astimezone(UTC)


def t(message: str, **values) -> str:
    """The Danish text the page shows for ``message`` (English until translated)."""
    with force_locale("da"):
        return gettext(message, **values)


def tn(singular: str, plural: str, n: int, **values) -> str:
    with force_locale("da"):
        return ngettext(singular, plural, n, **values)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def give_calendar(db_session):
    """Settings and Mon-Fri 09-15 spans in all modes for a staff user."""

    def give(user, *, languages="da,en", spans=None, **settings):
        db_session.add(
            CounsellorSettings(counsellor_id=user.id, languages=languages, **settings)
        )
        for weekday, start, end, modes in spans or [
            (day, time(9), time(15), ALL_MODES) for day in range(5)
        ]:
            db_session.add(
                AvailabilitySpan(
                    counsellor_id=user.id,
                    weekday=weekday,
                    start_time=start,
                    end_time=end,
                    modes=modes,
                    location="Familiehuset",
                )
            )
        db_session.commit()
        return user

    return give


@pytest.fixture
def counsellor(make_user, give_calendar, clock):
    return give_calendar(make_user(Role.COUNSELLOR, name="Anna Andersen"))


@pytest.fixture
def colleague(make_user, give_calendar, clock):
    return give_calendar(make_user(Role.COUNSELLOR, name="Bo Berg"))


@pytest.fixture
def leader(make_user, clock):
    return make_user(Role.LEADER, name="Lone Leder")


@pytest.fixture
def book(db_session):
    """Book a new course with ``who`` at ``starts_at`` as a parent would; commit."""

    def make(who, starts_at, *, mode="centre", language="da", now=START, **kwargs):
        held = holds.hold_slot(
            db_session,
            starts_at=starts_at,
            mode=mode,
            language=language,
            now=now,
            prefer_counsellor_id=who.id,
        )
        assert held.counsellor_id == who.id
        if mode == "home":
            kwargs.setdefault("address", "Eksempelvej 1, 7190 Demoby")
        booking = courses.create_course(
            db_session, hold_token=held.token, language=language, now=now, **kwargs
        )
        db_session.commit()
        return booking

    return make


@pytest.fixture
def book_more(db_session):
    """Book the next session of ``course`` with ``who``; commit."""

    def make(course, who, starts_at, *, mode="centre", now=START):
        held = holds.hold_slot(
            db_session,
            starts_at=starts_at,
            mode=mode,
            language=course.language,
            now=now,
            prefer_counsellor_id=who.id,
        )
        session = booking_sessions.book_next_session(
            db_session, course, hold_token=held.token, now=now
        )
        db_session.commit()
        return session

    return make
