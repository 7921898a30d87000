"""Held sessions to rate: an anonymous course's (opened in Min booking by
setting its cookie, as a code look-up would) and a known family's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest
from sqlalchemy import select

from portal.accounts.models import Role
from portal.booking.access import MY_BOOKING_KEY
from portal.booking.models import CounsellingSession, Course, SessionStatus
from portal.feedback.models import SessionRating
from tests.factories import local

FIRST = local(2026, 3, 16, 10)  # the Monday before the stopped clock


@pytest.fixture
def counsellor(make_user):
    return make_user(Role.COUNSELLOR, name="Anna Rådgiver")


@pytest.fixture
def family(make_known_family, counsellor):
    return make_known_family(
        "Familien Holm", counsellor=counsellor, adults=("Mette Holm",)
    )


@pytest.fixture
def make_session(db_session, counsellor):
    """A session of ``course`` or ``family``, held unless told otherwise; hours
    apart so none overlap."""
    hours = count()

    def make(*, course=None, family=None, status=SessionStatus.HELD, mode="centre"):
        starts = FIRST + timedelta(hours=next(hours))
        session = CounsellingSession(
            course_id=course.id if course else None,
            family_id=family.id if family else None,
            counsellor_id=counsellor.id,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=50),
            mode=mode,
            status=status,
        )
        db_session.add(session)
        db_session.commit()
        return session

    return make


@pytest.fixture
def course(db_session):
    found = Course(code_hash="f" * 64, pseudonym="Blå Ugle")
    db_session.add(found)
    db_session.commit()
    return found


def open_my_booking(client, course) -> None:
    """Min booking opened for ``course`` (the look-up is tested in booking)."""
    with client.session_transaction() as cookie:
        cookie[MY_BOOKING_KEY] = {
            "course": course.public_id,
            "version": course.access_version,
            "seen": int(datetime.now(UTC).timestamp()),
        }


@pytest.fixture
def make_intervention(db_session, family):
    """An intervention of ``family`` (ended unless told otherwise), of a type
    named ``kind``; committed."""
    from portal.cases.interventions_models import (
        Intervention,
        InterventionStatus,
        InterventionType,
    )

    def make(*, kind="Familiebehandling", status=InterventionStatus.ENDED, of=None):
        found = db_session.scalar(
            select(InterventionType).where(InterventionType.name == kind)
        ) or InterventionType(name=kind)
        row = Intervention(
            family_id=(of or family).id,
            type=found,
            provider="Familiehuset",
            description="Hjælp til morgenerne",
            starts_on=date(2026, 1, 5),
            ends_on=date(2026, 3, 1),
            status=status,
        )
        db_session.add(row)
        db_session.commit()
        return row

    return make


@pytest.fixture
def add_ratings(db_session, counsellor, make_session, course):
    """``n`` ratings in ``mode`` of ``month``; sessions held by ``counsellor``."""

    def add(n, *, mode="centre", month="2026-03", overall=8, comment="Hemmelig"):
        for _ in range(n):
            session = make_session(course=course, mode=mode)
            db_session.add(
                SessionRating(
                    session_id=session.id,
                    counsellor_id=counsellor.id,
                    anonymous=True,
                    mode=mode,
                    month=month,
                    heard=7,
                    focus=6,
                    method=9,
                    overall=overall,
                    comment=comment,
                )
            )
        db_session.commit()

    return add


@pytest.fixture
def leader_client(app, db_session, make_user):
    from tests.conftest import Browserless

    browser = Browserless(app.test_client(), db_session)
    browser.login(make_user(Role.LEADER))
    return browser.client
