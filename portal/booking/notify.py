"""Mail to a family: the counsellor moved or cancelled their session, and taking
queued mail back when the parent removes their e-mail or deletes the course.

Only families who left an e-mail get a message, through the outbox (sent by
``flask --app portal send-reminders``). The message is discreet, because a partner
or parent may read the phone: a neutral subject, no topic, no counsellor, only the
time, the way of talking and a link to "Min booking", in the course's language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.booking.models import CounsellingSession, Course
from portal.i18n import format_datetime, mode_label
from portal.mail.models import MessageKind, OutboxMessage
from portal.mail.outbox import enqueue, key_time, withdraw

#: A stable entry point (DESIGN.md), so a link in an old e-mail keeps working.
MY_BOOKING_PATH = "/min-booking"


def my_booking_url() -> str:
    """The absolute address of "Min booking", from PORTAL_BASE_URL: cron has no
    request to take the host from."""
    base: str = current_app.config["PORTAL_BASE_URL"]
    return base.rstrip("/") + MY_BOOKING_PATH


def message_facts(session: CounsellingSession) -> dict[str, str]:
    """All a message to a family may say: the time, the way of talking and the link.
    Call it inside ``force_locale`` of the course's language."""
    return {
        "time": format_datetime(session.starts_at),
        "mode": str(mode_label(session.mode)),
        "link": my_booking_url(),
    }


def _family(session: CounsellingSession) -> tuple[str, str] | None:
    """(e-mail, language) of a family that left an e-mail; else None."""
    course = session.course
    if course is None or not course.contact_email:
        return None
    return course.contact_email, course.language


def _queue(
    db: Session,
    session: CounsellingSession,
    kind: MessageKind,
    key: str,
    text: Callable[[], tuple[str, str]],
) -> OutboxMessage | None:
    """Queue (subject, body) from ``text``, worded in the family's language, if
    they left an e-mail; else None."""
    family = _family(session)
    if family is None:
        return None
    recipient, language = family
    with force_locale(language):
        subject, body = text()
    return enqueue(
        db,
        kind=kind,
        dedupe_key=f"{kind}:{session.public_id}:{key}",
        recipient=recipient,
        subject=subject,
        body=body,
    )


def notify_cancelled(db: Session, session: CounsellingSession) -> OutboxMessage | None:
    """Queue "your session is cancelled" if the family left an e-mail; else None."""
    return _queue(
        db,
        session,
        MessageKind.CANCELLED,
        key_time(session.starts_at),
        lambda: (
            _("Familieportalen: your talk is cancelled"),
            _(
                "Hello\n\n"
                "Your talk %(time)s (%(mode)s) is cancelled.\n\n"
                "You can book a new time in My booking:\n%(link)s\n\n"
                "Kind regards\nFamilieportalen",
                **message_facts(session),
            ),
        ),
    )


def notify_moved(
    db: Session, session: CounsellingSession, old_start: datetime
) -> OutboxMessage | None:
    """Queue "your session has moved" (old and new time) if the family left an
    e-mail; else None."""
    if old_start == session.starts_at:
        return None
    return _queue(
        db,
        session,
        MessageKind.MOVED,
        f"{key_time(old_start)}:{key_time(session.starts_at)}",
        lambda: (
            _("Familieportalen: your talk has moved"),
            _(
                "Hello\n\n"
                "Your talk %(old_time)s has moved to %(time)s (%(mode)s).\n\n"
                "You can see, move or cancel it in My booking:\n%(link)s\n\n"
                "Kind regards\nFamilieportalen",
                old_time=format_datetime(old_start),
                **message_facts(session),
            ),
        ),
    )


def withdraw_course_mail(
    db: Session, course: Course, now: datetime | None = None
) -> int:
    """Withdraw every unsent message about ``course``'s sessions (reminders and
    notices alike), so its e-mail address goes at once when the parent deletes
    the course or removes the contact. Returns how many; flushes, never commits."""
    public_ids = db.scalars(
        select(CounsellingSession.public_id).where(
            CounsellingSession.course_id == course.id
        )
    ).all()
    prefixes = [
        f"{kind}:{public_id}:" for public_id in public_ids for kind in MessageKind
    ]
    if not prefixes:
        return 0
    keys = db.scalars(
        select(OutboxMessage.dedupe_key).where(
            OutboxMessage.sent_at.is_(None),
            or_(
                *(
                    OutboxMessage.dedupe_key.startswith(prefix, autoescape=True)
                    for prefix in prefixes
                )
            ),
        )
    ).all()
    return sum(withdraw(db, key, now) for key in keys)
