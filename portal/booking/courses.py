"""Anonymous courses: made from a hold with a booking code, found by the code.

A double-submitted confirm books once (``replay``). Services flush; the view
commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.booking import codes
from portal.booking.claims import Claimed, claim_unless_replayed, flush_placed, place
from portal.booking.contact import reminders_wanted
from portal.booking.contact_checks import validate_email_address, validate_phone
from portal.booking.errors import InvalidBooking
from portal.booking.holds import check_language
from portal.booking.meeting import check_call_phone
from portal.booking.models import CounsellingSession, Course, Topic
from portal.booking.pseudonyms import new_pseudonym
from portal.booking.replay import Booking, digest, replayed_booking
from portal.db import utcnow

MAX_TOPIC_TEXT = 500
#: The length of ``CounsellingSession.idempotency_key``; a confirm form's key is
#: at most this long.
MAX_IDEMPOTENCY_KEY = 64


def active_topics(db: Session) -> list[Topic]:
    """The leader's topic list, as shown to parents."""
    return list(
        db.scalars(
            select(Topic)
            .where(Topic.active.is_(True))
            .order_by(Topic.sort_order, Topic.id)
        )
    )


def create_course(
    db: Session,
    *,
    hold_token: str,
    language: str,
    idempotency_key: str | None = None,
    topic_id: int | None = None,
    topic_text: str = "",
    contact_email: str | None = None,
    contact_phone: str | None = None,
    wants_reminders: bool = False,
    address: str | None = None,
    call_phone: str | None = None,
    now: datetime | None = None,
) -> Booking:
    """Create an anonymous course and its first session from a hold.

    Rules: topic optional (an active topic) plus free text of at most 500
    characters; contact optional and validated, reminders only with an e-mail;
    a home visit needs an address, stored encrypted, and so does the number we
    call for a phone talk (``meeting.check_call_phone``). The same
    ``idempotency_key`` returns the same booking (``replayed_booking``: the code
    only within CODE_REPLAY_WINDOW; it is derived from the key, never stored), so
    a double-submitted confirm books once. A hold that is gone is reported only
    after looking for the booking once more: the other click of a double click
    may have used it and committed meanwhile. Raises InvalidBooking, HoldExpired
    or SlotTaken.
    """
    now = now or utcnow()
    check_language(language)
    topic_text = (topic_text or "").strip()
    if len(topic_text) > MAX_TOPIC_TEXT:
        raise InvalidBooking("topic_text_too_long", field="topic_text")
    if topic_id is not None:
        topic = db.get(Topic, topic_id)
        if topic is None or not topic.active:
            raise InvalidBooking("unknown_topic", field="topic")
    email = validate_email_address(contact_email) if contact_email else None
    phone = validate_phone(contact_phone) if contact_phone else None
    wants_reminders = reminders_wanted(wants_reminders, email)

    def replay() -> Booking | None:
        return replayed_booking(db, idempotency_key, now)

    if (done := replay()) is not None:
        return done
    claimed = claim_unless_replayed(db, hold_token, address, now, replay)
    if not isinstance(claimed, Claimed):
        return claimed
    hold, address = claimed

    if idempotency_key:
        code = codes.code_from_seed(idempotency_key)
    else:
        code = codes.new_code()
    course = Course(
        code_hash=codes.code_hash(code),
        pseudonym=new_pseudonym(db),
        topic_id=topic_id,
        topic_text=topic_text,
        language=language,
        contact_email=email,
        contact_phone=phone,
        wants_reminders=wants_reminders,
        sessions_counted=1,
        created_at=now,
        last_activity_at=now,
    )
    session = CounsellingSession(
        course=course,
        address=address,
        call_phone=check_call_phone(hold.mode, call_phone),
        idempotency_key=digest(idempotency_key) if idempotency_key else None,
        created_at=now,
    )
    place(db, session, hold)
    db.add_all([course, session])
    flush_placed(db)
    return Booking(course, session, code)
