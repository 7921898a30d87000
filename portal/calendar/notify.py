"""Tell a family that the counsellor moved or cancelled their session.

Only families who left an e-mail get a message, through the outbox (sent by
``flask --app portal send-reminders``). The message is discreet, because a partner
or parent may read the phone: a neutral subject, no topic, no counsellor, only the
time, the way of talking and a link to "Min booking", in the course's language.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.booking.models import CounsellingSession
from portal.calendar.reminders import message_facts
from portal.i18n import format_datetime
from portal.mail.outbox import MessageKind, OutboxMessage, enqueue, key_time


def _wants_mail(session: CounsellingSession) -> bool:
    return session.course is not None and bool(session.course.contact_email)


def _queue(
    db: Session, session: CounsellingSession, kind: MessageKind, key: str, text
) -> OutboxMessage:
    subject, body = text
    return enqueue(
        db,
        kind=kind,
        dedupe_key=f"{kind}:{session.public_id}:{key}",
        recipient=session.course.contact_email,
        subject=subject,
        body=body,
    )


def notify_cancelled(db: Session, session: CounsellingSession) -> OutboxMessage | None:
    """Queue "your session is cancelled" if the family left an e-mail; else None."""
    if not _wants_mail(session):
        return None
    with force_locale(session.course.language):
        text = (
            _("Familieportalen: your talk is cancelled"),
            _(
                "Hello\n\n"
                "Your talk %(time)s (%(mode)s) is cancelled.\n\n"
                "You can book a new time in My booking:\n%(link)s\n\n"
                "Kind regards\nFamilieportalen",
                **message_facts(session),
            ),
        )
    key = key_time(session.starts_at)
    return _queue(db, session, MessageKind.CANCELLED, key, text)


def notify_moved(
    db: Session, session: CounsellingSession, old_start: datetime
) -> OutboxMessage | None:
    """Queue "your session has moved" (old and new time) if the family left an
    e-mail; else None."""
    if not _wants_mail(session) or old_start == session.starts_at:
        return None
    with force_locale(session.course.language):
        text = (
            _("Familieportalen: your talk has moved"),
            _(
                "Hello\n\n"
                "Your talk %(old_time)s has moved to %(time)s (%(mode)s).\n\n"
                "You can see, move or cancel it in My booking:\n%(link)s\n\n"
                "Kind regards\nFamilieportalen",
                old_time=format_datetime(old_start),
                **message_facts(session),
            ),
        )
    key = f"{key_time(old_start)}:{key_time(session.starts_at)}"
    return _queue(db, session, MessageKind.MOVED, key, text)
