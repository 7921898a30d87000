"""After an anonymous talk is marked held, a parent who left an e-mail and asked
for reminders gets one neutral e-mail through the outbox: a link to Min
booking, never the code, the topic, the counsellor or the time."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.booking.models import SessionStatus
from portal.calendar import services as calendar
from portal.feedback.invite import invite_after_session
from portal.mail.models import MessageKind, OutboxMessage
from tests.feedback.conftest import FIRST


def queued(db_session) -> list[OutboxMessage]:
    db_session.expire_all()
    return list(
        db_session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == MessageKind.FEEDBACK)
        )
    )


def test_marking_a_talk_held_queues_one_neutral_invitation(
    db_session, make_session, course, counsellor
):
    course.contact_email, course.wants_reminders = "mor@example.dk", True
    session = make_session(course=course, status=SessionStatus.BOOKED)
    later = FIRST + timedelta(hours=2)
    calendar.mark_outcome(db_session, session, "held", actor=counsellor, now=later)
    calendar.mark_outcome(db_session, session, "booked", actor=counsellor, now=later)
    calendar.mark_outcome(db_session, session, "held", actor=counsellor, now=later)
    db_session.commit()
    [message] = queued(db_session)
    assert message.recipient == "mor@example.dk"
    assert "/min-booking" in message.body
    assert "Hvordan gik det" in message.subject
    for secret in (counsellor.name, "Blå Ugle", "10.00", "16."):
        assert secret not in message.subject + message.body


def test_no_invitation_without_reminders_an_email_or_a_held_talk(
    db_session, make_session, course, family
):
    course.contact_email = "mor@example.dk"  # but no reminders asked for
    assert invite_after_session(db_session, make_session(course=course)) is None
    course.wants_reminders, course.contact_email = True, None
    assert invite_after_session(db_session, make_session(course=course)) is None
    course.contact_email = "mor@example.dk"
    no_show = make_session(course=course, status=SessionStatus.NO_SHOW)
    assert invite_after_session(db_session, no_show) is None
    assert invite_after_session(db_session, make_session(family=family)) is None
    assert queued(db_session) == []
