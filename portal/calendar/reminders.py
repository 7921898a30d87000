"""Discreet reminders the day before a session, for parents who asked for them.

A partner or parent may read the phone, so a reminder says as little as it can: the
sender is only "Familieportalen", the subject only "Familieportalen: påmindelse",
and the text only the time, the way of talking and a link to "Min booking". Never
the topic, the pseudonym, the booking code or the counsellor.

``queue_reminders`` runs from ``flask --app portal send-reminders`` (cron). Each
reminder's dedupe key names the session *and* its start, so a moved session gets a
new reminder; before queueing, every unsent reminder is checked against its session
again and withdrawn when the session was cancelled or moved, the course deleted, or
the parent no longer wants reminders.

Members of a known family who opted in (``User.wants_reminders``, with an e-mail)
get the same discreet reminder for the family sessions they take part in, one
each (the key also names the member), with a link to the family's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager, selectinload

from portal.accounts.models import User
from portal.booking.contact import gets_reminders
from portal.booking.meeting import meeting_text
from portal.booking.models import CounsellingSession, Course, SessionStatus
from portal.booking.notify import message_facts
from portal.i18n import LOCAL, format_datetime, mode_label
from portal.mail.models import MessageKind, OutboxMessage
from portal.mail.outbox import enqueue, key_time, withdraw
from portal.timeutil import local_midnight

#: Reminders queued at night wait until this hour (Copenhagen): a phone that buzzes
#: at midnight is noticed by whoever lies next to it.
EARLIEST_HOUR = 7
_PREFIX = "reminder:"
#: The family's page (a stable address, like Min booking's).
FAMILY_PATH = "/familie"


@dataclass(frozen=True)
class ReminderRun:
    queued: int
    withdrawn: int


def reminder_key(session: CounsellingSession) -> str:
    """One reminder per session and start time: a moved session gets a new one."""
    return f"{_PREFIX}{session.public_id}:{key_time(session.starts_at)}"


def family_reminder_key(session: CounsellingSession, member: User) -> str:
    """One reminder per family session, start time and member taking part."""
    return f"{reminder_key(session)}:{member.public_id}"


def member_gets_reminders(member: User) -> bool:
    """A family member who asked for reminders, has an e-mail and still belongs."""
    return (
        member.wants_reminders
        and bool(member.contact_email)
        and member.removed_at is None
    )


def tomorrow(now: datetime) -> tuple[datetime, datetime]:
    """Tomorrow as a Copenhagen calendar day, as UTC bounds [start, end)."""
    day = now.astimezone(LOCAL).date() + timedelta(days=1)
    return local_midnight(day), local_midnight(day + timedelta(days=1))


def _earliest_send(now: datetime) -> datetime:
    local_now = now.astimezone(LOCAL)
    morning = datetime.combine(local_now.date(), time(EARLIEST_HOUR), tzinfo=LOCAL)
    return max(now, morning.astimezone(now.tzinfo))


def _still_wanted(
    message: OutboxMessage, session: CounsellingSession | None, now: datetime
) -> bool:
    if session is None or session.status != SessionStatus.BOOKED:
        return False
    if session.family_id is not None:
        return session.starts_at > now and any(
            message.dedupe_key == family_reminder_key(session, member)
            and member_gets_reminders(member)
            and member.contact_email == message.recipient
            for member in session.participants
        )
    course = session.course
    return (
        message.dedupe_key == reminder_key(session)
        and session.starts_at > now
        and course is not None
        and gets_reminders(course)
        and course.contact_email == message.recipient
    )


def withdraw_stale_reminders(db: Session, now: datetime) -> int:
    """Withdraw unsent reminders whose session was cancelled or moved, whose course
    was deleted or stopped wanting reminders (or changed its e-mail), or whose
    session has begun. Returns how many; flushes, never commits."""
    pending = db.scalars(
        select(OutboxMessage).where(
            OutboxMessage.kind == MessageKind.REMINDER,
            OutboxMessage.sent_at.is_(None),
        )
    ).all()
    if not pending:
        return 0
    public_ids = {
        message.dedupe_key.removeprefix(_PREFIX).partition(":")[0]
        for message in pending
    }
    sessions = {
        session.public_id: session
        for session in db.scalars(
            select(CounsellingSession)
            .where(CounsellingSession.public_id.in_(public_ids))
            .options(
                selectinload(CounsellingSession.course),
                selectinload(CounsellingSession.participants),
            )
        )
    }
    withdrawn = 0
    for message in pending:
        public_id = message.dedupe_key.removeprefix(_PREFIX).partition(":")[0]
        if not _still_wanted(message, sessions.get(public_id), now):
            withdrawn += withdraw(db, message.dedupe_key, now)
    return withdrawn


def reminder_text(session: CounsellingSession, course: Course) -> tuple[str, str]:
    """Subject and body in the course's language: time, mode and a link only."""
    with force_locale(course.language):
        subject = _("Familieportalen: reminder")
        # i18n: an e-mail a partner may read: say nothing about the topic.
        body = _(
            "Hello\n\n"
            "A reminder of your talk tomorrow:\n"
            "%(time)s\n"
            "%(mode)s\n"
            "%(meeting)s\n\n"
            "If you cannot come, you can move or cancel the talk in My booking:\n"
            "%(link)s\n\n"
            "Kind regards\nFamilieportalen",
            meeting=meeting_text(session.mode, course.language),
            **message_facts(session),
        )
    return subject, body


def family_reminder_text(session: CounsellingSession) -> tuple[str, str]:
    """Subject and body in Danish: time, mode and a link to the family's page."""
    with force_locale("da"):
        subject = _("Familieportalen: reminder")
        # i18n: an e-mail others may read: no names, no place, no topic.
        body = _(
            "Hello\n\n"
            "A reminder of your talk tomorrow:\n"
            "%(time)s\n"
            "%(mode)s\n\n"
            "You can see the talk on your page:\n"
            "%(link)s\n\n"
            "Kind regards\nFamilieportalen",
            time=format_datetime(session.starts_at),
            mode=str(mode_label(session.mode)),
            link=str(current_app.config["PORTAL_BASE_URL"]).rstrip("/") + FAMILY_PATH,
        )
    return subject, body


def _course_reminders(
    db: Session, start: datetime, end: datetime
) -> list[tuple[str, str, tuple[str, str]]]:
    """(key, recipient, text) for each booked anonymous talk in [start, end)
    whose course wants reminders."""
    sessions = db.scalars(
        select(CounsellingSession)
        .join(CounsellingSession.course)
        .where(
            CounsellingSession.status == SessionStatus.BOOKED,
            CounsellingSession.starts_at >= start,
            CounsellingSession.starts_at < end,
            Course.wants_reminders.is_(True),
            Course.contact_email.is_not(None),
        )
        .options(contains_eager(CounsellingSession.course))
        .order_by(CounsellingSession.starts_at, CounsellingSession.id)
    ).all()
    return [
        (reminder_key(session), course.contact_email, reminder_text(session, course))
        for session in sessions
        # The join selected only sessions with a course and an address; the
        # checks for None say so to the type checker.
        if (course := session.course) is not None
        and course.contact_email is not None
        and gets_reminders(course)
    ]


def _family_reminders(
    db: Session, start: datetime, end: datetime
) -> list[tuple[str, str, tuple[str, str]]]:
    """(key, recipient, text) for each opted-in member taking part in a booked
    family session in [start, end)."""
    found = db.scalars(
        select(CounsellingSession)
        .where(
            CounsellingSession.family_id.is_not(None),
            CounsellingSession.status == SessionStatus.BOOKED,
            CounsellingSession.starts_at >= start,
            CounsellingSession.starts_at < end,
        )
        .options(selectinload(CounsellingSession.participants))
        .order_by(CounsellingSession.starts_at, CounsellingSession.id)
    ).all()
    return [
        (
            family_reminder_key(session, member),
            member.contact_email,
            family_reminder_text(session),
        )
        for session in found
        for member in session.participants
        if member_gets_reminders(member) and member.contact_email
    ]


def queue_reminders(db: Session, now: datetime) -> ReminderRun:
    """Queue one reminder for each booked session starting tomorrow (Copenhagen day)
    whose course wants reminders and has an e-mail, and one for each opted-in
    member taking part in a family session then; withdraw stale ones first.

    Safe to run any number of times: a reminder already queued or sent is not queued
    again. Reminders queued before EARLIEST_HOUR wait for it. Flushes, never commits."""
    withdrawn = withdraw_stale_reminders(db, now)
    start, end = tomorrow(now)
    reminders = [*_course_reminders(db, start, end), *_family_reminders(db, start, end)]
    known = set(
        db.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.dedupe_key.in_({key for key, _to, _text in reminders})
            )
        )
    )
    send_after = _earliest_send(now)
    queued = 0
    for key, recipient, (subject, body) in reminders:
        if key in known:
            continue
        enqueue(
            db,
            kind=MessageKind.REMINDER,
            dedupe_key=key,
            recipient=recipient,
            subject=subject,
            body=body,
            send_after=send_after,
        )
        queued += 1
    return ReminderRun(queued=queued, withdrawn=withdrawn)
