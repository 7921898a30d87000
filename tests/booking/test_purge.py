"""Retention: `flask --app portal purge` erases what booking no longer needs."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from portal.booking import course_lookup
from portal.booking.models import CounsellingSession, Course, SlotHold
from portal.booking.retention import purge
from portal.mail import outbox
from portal.mail.models import MAX_ATTEMPTS, MessageKind, OutboxMessage
from tests.factories import NOW, local

WED_9 = local(2026, 3, 25, 9)


@pytest.fixture
def fresh_session(app):
    """Sessions of their own, to see what the purge committed. Closed after the
    test even when it fails: an open one blocks dropping a PostgreSQL test schema."""
    opened = []

    def open_session():
        opened.append(app.extensions["db_sessionmaker"]())
        return opened[-1]

    yield open_session
    for session in opened:
        session.close()


def run_purge(app, when):
    with time_machine.travel(when, tick=False):
        result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    return result.output


def test_purge_erases_addresses_after_the_visit_and_contacts_without_future_sessions(
    app, fresh_session, db_session, make_counsellor, make_course, book_next, hold
):
    make_counsellor()
    booking = make_course(
        WED_9, mode="home", address="Havevej 4", contact_phone="12345678"
    )
    later = book_next(
        booking.course, local(2026, 3, 27, 9), mode="home", address="Havevej 4"
    )
    hold(local(2026, 3, 26, 9))
    db_session.commit()

    output = run_purge(app, WED_9 + timedelta(hours=2))
    assert "Erased 1 home-visit address(es), 0 contact detail(s), 0 inactive" in output
    assert "1 expired hold(s)" in output
    check = fresh_session()
    addresses = dict(
        check.execute(select(CounsellingSession.id, CounsellingSession.address)).all()
    )
    assert addresses == {booking.session.id: None, later.id: "Havevej 4"}
    assert check.scalar(select(Course.contact_phone)) == "+4512345678"
    assert check.scalar(select(SlotHold.id)) is None

    output = run_purge(app, local(2026, 3, 27, 11))
    assert "Erased 1 home-visit address(es), 1 contact detail(s), 0 inactive" in output
    check = fresh_session()
    course = check.scalar(select(Course))
    assert (course.contact_phone, course.contact_email, course.wants_reminders) == (
        None,
        None,
        False,
    )


def test_purge_erases_courses_after_the_retention_period(
    app, fresh_session, db_session, make_counsellor, make_course
):
    make_counsellor()
    old = make_course(WED_9, contact_email="far@example.dk")
    recent = make_course(local(2026, 3, 26, 9))
    course_lookup.find_course_by_code(
        db_session, recent.code, now=NOW + timedelta(days=30)
    )
    db_session.commit()

    output = run_purge(app, WED_9 + timedelta(days=184))
    assert "1 inactive anonymous course(s)" in output
    check = fresh_session()
    assert check.scalars(select(Course.id)).all() == [recent.course.id]
    session = check.get(CounsellingSession, old.session.id)
    assert session.course_id is None and session.working_note == ""


def test_a_recent_session_keeps_a_course_alive(
    app, db_session, make_counsellor, make_course
):
    app.config["BOOKING_RETENTION_DAYS"] = 30
    make_counsellor()
    session_day = local(2026, 4, 30, 9)
    make_course(session_day)  # booked on 23 March: no activity since then
    assert purge(db_session, now=session_day + timedelta(days=20)).courses == 0
    assert purge(db_session, now=session_day + timedelta(days=31)).courses == 1


def test_the_retention_period_is_configurable(
    app, db_session, make_counsellor, make_course
):
    app.config["BOOKING_RETENTION_DAYS"] = 30
    make_counsellor()
    make_course(WED_9)
    assert purge(db_session, now=WED_9 + timedelta(days=29)).courses == 0
    assert purge(db_session, now=WED_9 + timedelta(days=31)).courses == 1


def test_purge_deletes_e_mails_that_could_not_be_delivered(
    app, fresh_session, db_session
):
    """A message that failed MAX_ATTEMPTS times will never go; its encrypted
    recipient and text go instead. One that may still be sent stays."""
    for key, attempts in (("gave-up", MAX_ATTEMPTS), ("retrying", 1)):
        outbox.enqueue(
            db_session,
            kind=MessageKind.REMINDER,
            dedupe_key=key,
            recipient="forælder@example.dk",
            subject="Familieportalen: påmindelse",
            body="Hej",
        ).attempts = attempts
    db_session.commit()
    output = run_purge(app, NOW)
    assert "1 undeliverable e-mail(s)" in output
    left = fresh_session().scalars(select(OutboxMessage.dedupe_key)).all()
    assert left == ["retrying"]
