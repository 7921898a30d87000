"""Callable factories for tests: families, users, counsellors with calendars, holds,
courses and sessions. ``tests/conftest.py`` hands each out as a fixture bound to the
test's database session; every factory commits what it makes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pyotp
from sqlalchemy.orm import Session

from portal.accounts import services as account_services
from portal.accounts.models import Role, User
from portal.availability.models import AvailabilitySpan, CounsellorSettings
from portal.booking import courses
from portal.booking import holds as booking_holds
from portal.booking import sessions as booking_sessions
from portal.booking.models import Topic
from portal.families.models import Child, Family, FamilyAssignment

LOCAL = ZoneInfo("Europe/Copenhagen")
#: Monday 23 March 2026, 09:00 in Copenhagen (winter time, week 13): the stopped
#: clock's moment and the ``now`` the booking factories use.
NOW = datetime(2026, 3, 23, 8, tzinfo=UTC)
ALL_MODES = "home,centre,phone,video"
PASSWORD = "en lang og god adgangskode"


def local(year, month, day, hour, minute=0) -> datetime:
    """A Copenhagen wall-clock time as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL).astimezone(UTC)


def family_factory(db_session: Session) -> Callable[..., Family]:
    def make(name: str = "Familien Test") -> Family:
        family = Family(display_name=name)
        db_session.add(family)
        db_session.commit()
        return family

    return make


def known_family_factory(
    db_session: Session, make_user: Callable[..., User]
) -> Callable[..., Family]:
    """A family with adult members, children whose custody every adult holds, and
    (when given) a counsellor assigned as the primary contact."""

    def make(
        name: str = "Familien Test",
        *,
        counsellor: User | None = None,
        adults: tuple[str, ...] = ("Mette Test",),
        children: tuple[tuple[str, date], ...] = (("Emma", date(2015, 5, 1)),),
    ) -> Family:
        family = Family(display_name=name)
        db_session.add(family)
        db_session.flush()
        members = [
            make_user(Role.FAMILY, name=adult, family=family) for adult in adults
        ]
        for first_name, birth_date in children:
            child = Child(family=family, first_name=first_name, birth_date=birth_date)
            child.custody_holders.extend(members)
            db_session.add(child)
        if counsellor is not None:
            db_session.add(
                FamilyAssignment(family=family, counsellor=counsellor, is_primary=True)
            )
        db_session.commit()
        return family

    return make


def user_factory(
    db_session: Session, make_family: Callable[..., Family]
) -> Callable[..., User]:
    """Create a user; staff get a TOTP secret unless ``totp=False``."""
    counter = iter(range(10_000))

    def make(
        role: Role = Role.COUNSELLOR,
        *,
        email: str | None = None,
        name: str | None = None,
        password: str = PASSWORD,
        totp: bool = True,
        family: Family | None = None,
    ) -> User:
        n = next(counter)
        if role == Role.FAMILY and family is None:
            family = make_family(f"Familien {n}")
        user = account_services.create_user(
            db_session,
            email=email or f"person{n}@example.dk",
            name=name or f"Person {n}",
            role=role,
            password=password,
            family=family,
        )
        if role != Role.FAMILY and totp:
            user.totp_secret = pyotp.random_base32()
        db_session.commit()
        return user

    return make


def _add_calendar(db_session: Session, user: User, languages: str, spans, **settings):
    """Settings and weekly spans ``(weekday, start, end, modes)`` for ``user``."""
    db_session.add(
        CounsellorSettings(counsellor_id=user.id, languages=languages, **settings)
    )
    for weekday, start, end, modes in spans:
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


def calendar_giver(db_session: Session) -> Callable[..., User]:
    """Settings and Mon-Fri 09-15 spans in all modes for a staff user."""

    def give(user, *, languages="da,en", spans=None, **settings):
        spans = spans or [(day, time(9), time(15), ALL_MODES) for day in range(5)]
        return _add_calendar(db_session, user, languages, spans, **settings)

    return give


def counsellor_factory(db_session: Session) -> Callable[..., User]:
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
    ) -> User:
        n = next(counter)
        user = User(
            email=f"counsellor{n}@example.dk",
            name=f"Rådgiver {n}",
            role=Role.COUNSELLOR,
            password_hash="!",
        )
        db_session.add(user)
        db_session.flush()
        spans = spans or [(day, start, end, modes) for day in weekdays]
        return _add_calendar(db_session, user, languages, spans, **settings)

    return make


def topic_factory(db_session: Session) -> Callable[..., Topic]:
    def make(name: str = "Skole og trivsel", *, active: bool = True) -> Topic:
        topic = Topic(name_da=name, name_en=name, name_ar=name, active=active)
        db_session.add(topic)
        db_session.commit()
        return topic

    return make


def holder(db_session: Session) -> Callable:
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


#: The number we call for a phone talk (``booking.meeting.check_call_phone``).
CALL_PHONE = "20304050"


def _phone_number(held, kwargs) -> None:
    if held.mode == "phone":
        kwargs.setdefault("call_phone", CALL_PHONE)


def _create_course(db_session: Session, held, now, **kwargs):
    _phone_number(held, kwargs)
    booking = courses.create_course(
        db_session, hold_token=held.token, now=now, **kwargs
    )
    db_session.commit()
    return booking


def _book_next(db_session: Session, course, held, now, **kwargs):
    _phone_number(held, kwargs)
    session = booking_sessions.book_next_session(
        db_session, course, hold_token=held.token, now=now, **kwargs
    )
    db_session.commit()
    return session


def course_factory(db_session: Session, hold: Callable) -> Callable:
    """Book a course whose first session starts at ``starts_at`` with whoever is
    free; commit it."""

    def make(starts_at, *, mode="centre", now=NOW, address=None, **kwargs):
        held = hold(starts_at, mode, now=now)
        kwargs.setdefault("language", "da")
        return _create_course(db_session, held, now, address=address, **kwargs)

    return make


def next_session_booker(db_session: Session, hold: Callable) -> Callable:
    """Book another session for ``course`` at ``starts_at`` with whoever is free;
    commit it."""

    def make(course, starts_at, *, mode="centre", now=NOW, **kwargs):
        held = hold(starts_at, mode, now=now)
        return _book_next(db_session, course, held, now, **kwargs)

    return make


def booker(db_session: Session, hold: Callable) -> Callable:
    """Book a new course with ``who`` at ``starts_at`` as a parent would; commit."""

    def make(who, starts_at, *, mode="centre", language="da", now=NOW, **kwargs):
        held = hold(starts_at, mode, language, now=now, prefer_counsellor_id=who.id)
        assert held.counsellor_id == who.id
        if mode == "home":
            kwargs.setdefault("address", "Eksempelvej 1, 7190 Demoby")
        return _create_course(db_session, held, now, language=language, **kwargs)

    return make


def more_booker(db_session: Session, hold: Callable) -> Callable:
    """Book the next session of ``course`` with ``who``; commit."""

    def make(course, who, starts_at, *, mode="centre", now=NOW):
        held = hold(
            starts_at, mode, course.language, now=now, prefer_counsellor_id=who.id
        )
        return _book_next(db_session, course, held, now)

    return make
