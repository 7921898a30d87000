"""The one e-mail after an anonymous talk: "tell us how it went", to parents who
left an e-mail and asked for reminders (``booking.contact.gets_reminders``).

Discreet like the reminders, because a partner may read the phone: a neutral
subject, no topic, no counsellor, no time and never the booking code, only a
link to "Min booking", where the rating waits. One per session (the outbox's
dedupe key), however often the session is marked held.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.booking.contact import gets_reminders
from portal.booking.models import CounsellingSession, SessionStatus
from portal.booking.notify import my_booking_url
from portal.mail.models import MessageKind, OutboxMessage
from portal.mail.outbox import enqueue


def invite_after_session(
    db: Session, session: CounsellingSession
) -> OutboxMessage | None:
    """Queue the invitation to rate ``session`` if it was held and its course
    gets reminders; else None. Flushes, never commits."""
    course = session.course
    if session.status != SessionStatus.HELD or course is None:
        return None
    if not gets_reminders(course) or not course.contact_email:
        return None
    with force_locale(course.language):
        subject = _("Familieportalen: how did it go?")
        body = _(
            "Hello\n\n"
            "Thank you for the talk. If you like, you can tell us how it went. "
            "It takes a minute, and no one sees who you are.\n\n"
            "Go to My booking:\n%(link)s\n\n"
            "Kind regards\nFamilieportalen",
            link=my_booking_url(),
        )
    return enqueue(
        db,
        kind=MessageKind.FEEDBACK,
        dedupe_key=f"{MessageKind.FEEDBACK}:{session.public_id}",
        recipient=course.contact_email,
        subject=subject,
        body=body,
    )
