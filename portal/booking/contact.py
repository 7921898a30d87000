"""A parent's contact details (and a home visit's address) and the one reminder rule.

Contact is optional; it is stored encrypted and erased by ``retention.purge`` once
the course has no future session. Services flush; the view commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from portal.booking.contact_checks import validate_email_address, validate_phone
from portal.booking.errors import InvalidBooking
from portal.booking.models import Course
from portal.booking.notify import withdraw_course_mail
from portal.db import utcnow


def reminders_wanted(wants_reminders: bool, email: str | None) -> bool:
    """The one reminder rule: reminders go by e-mail only, so asking for them
    without an e-mail address is refused (InvalidBooking ``reminders_need_email``,
    on the e-mail field) rather than saved and never sent. Every screen and the
    sender (``gets_reminders``) follow it."""
    if wants_reminders and not email:
        raise InvalidBooking("reminders_need_email", field="email")
    return bool(wants_reminders)


def gets_reminders(course: Course) -> bool:
    """Whether the sender sends ``course`` reminders: by the same rule, only to
    an e-mail address."""
    return bool(course.wants_reminders and course.contact_email)


def set_contact(
    db: Session,
    course: Course,
    *,
    email: str | None = None,
    phone: str | None = None,
    wants_reminders: bool = True,
    now: datetime | None = None,
) -> None:
    """Store contact details for reminders (encrypted); empty values remove them.

    Reminders need an e-mail (``reminders_wanted``); nothing is changed when a
    rule says no. They are erased by ``purge`` once the course has no future
    session.
    """
    email = validate_email_address(email) if email else None
    phone = validate_phone(phone) if phone else None
    course.wants_reminders = reminders_wanted(wants_reminders, email)
    course.contact_email = email
    course.contact_phone = phone
    course.last_activity_at = now or utcnow()
    db.flush()


def remove_contact(db: Session, course: Course, now: datetime | None = None) -> None:
    """Forget the course's contact details; no more reminders. Queued reminders
    and notices hold the e-mail address: they are withdrawn at once too."""
    withdraw_course_mail(db, course, now)
    set_contact(db, course, email=None, phone=None, wants_reminders=False, now=now)
