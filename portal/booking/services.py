"""The rules of anonymous booking. Services take a Session and flush; the view commits.

All booking goes through a *hold*: the parent picks a time, ``hold_slot`` keeps it
for BOOKING_HOLD_MINUTES, and ``create_course``, ``book_next_session`` or
``move_session`` turn the hold into a session. Every service that can put a
session in a counsellor's calendar first takes that counsellor's write lock
(``_lock_counsellor``) and then re-checks the time against fresh data; see
``portal.booking.models`` for why this holds under concurrent requests on
PostgreSQL and SQLite. After any BookingError or IntegrityError the caller rolls
back.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.availability.models import LANGUAGES, CounsellorSettings, Mode
from portal.availability.settings import lock_counsellor
from portal.booking import codes
from portal.booking.errors import (
    BookingError,
    CourseFull,
    HoldExpired,
    InvalidBooking,
    NotChangeable,
    SlotTaken,
    TooLateToCancel,
)
from portal.booking.models import (
    MAX_SESSIONS,
    CancelledBy,
    CounsellingSession,
    Course,
    SessionStatus,
    SlotHold,
    Topic,
)
from portal.booking.pseudonyms import new_pseudonym
from portal.booking.slots import free_slots
from portal.db import utcnow

__all__ = [
    "Booking",
    "BookingError",
    "CourseFull",
    "HoldExpired",
    "InvalidBooking",
    "NotChangeable",
    "SlotTaken",
    "TooLateToCancel",
    "active_topics",
    "book_next_session",
    "cancel_session",
    "create_course",
    "find_course_by_code",
    "find_hold",
    "hold_slot",
    "move_session",
    "new_idempotency_key",
    "record_outcome",
    "replayed_booking",
    "reminders_wanted",
    "release_expired_holds",
    "release_hold",
    "remove_contact",
    "sessions_used",
    "set_contact",
    "validate_email_address",
    "validate_phone",
]

MAX_TOPIC_TEXT = 500
MAX_ADDRESS = 300


#: A replayed confirm form shows the booking code again only this long after the
#: booking was made; later the key only says that the booking exists.
CODE_REPLAY_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class Booking:
    """A new course: ``code`` is the clear booking code, to show once and forget.

    ``replayed`` marks a booking an earlier submit of the same form made; its
    ``code`` is None once CODE_REPLAY_WINDOW has passed.
    """

    course: Course
    session: CounsellingSession
    code: str | None
    replayed: bool = False


#: The length of ``CounsellingSession.idempotency_key``; a confirm form's key is
#: at most this long.
MAX_IDEMPOTENCY_KEY = 64


def new_idempotency_key() -> str:
    """A secret random token for a confirm form (also seeds the booking code)."""
    return secrets.token_urlsafe(32)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _lock_counsellor(db: Session, counsellor_id: int) -> None:
    """Take the counsellor's booking lock; SlotTaken if they cannot be booked."""
    if not lock_counsellor(db, counsellor_id):
        raise SlotTaken()


def _check_mode(mode: Mode | str) -> Mode:
    try:
        return Mode(mode)
    except ValueError:
        raise InvalidBooking("unknown_mode", field="mode") from None


def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise InvalidBooking("unknown_language", field="language")
    return language


def _check_address(mode: Mode, address: str | None) -> str | None:
    if mode != Mode.HOME:
        return None
    address = (address or "").strip()
    if not address:
        raise InvalidBooking("address_required", field="address")
    if len(address) > MAX_ADDRESS:
        raise InvalidBooking("address_too_long", field="address")
    return address


def _latest_horizon(db: Session, now: datetime) -> datetime:
    weeks = db.scalar(
        select(CounsellorSettings.horizon_weeks)
        .order_by(CounsellorSettings.horizon_weeks.desc())
        .limit(1)
    )
    return now + timedelta(weeks=weeks or 0)


# --- holds -------------------------------------------------------------------


def hold_slot(
    db: Session,
    *,
    starts_at: datetime,
    mode: Mode | str,
    language: str,
    now: datetime | None = None,
    prefer_counsellor_id: int | None = None,
    replace_token: str | None = None,
    ignore_session_id: int | None = None,
    client_key: str | None = None,
) -> SlotHold:
    """Keep the time ``starts_at`` in ``mode`` for BOOKING_HOLD_MINUTES.

    Any counsellor who speaks ``language`` and is free may take it; the preferred
    one (the course's own counsellor) first. ``replace_token`` releases the
    parent's previous hold; ``ignore_session_id`` treats the session being moved
    as free. A parent's hold carries their ``client_key``, so that
    ``portal.booking.anti_automation`` can count it. Raises InvalidBooking (time_past,
    time_out_of_range, unknown_mode, unknown_language) or SlotTaken.
    """
    now = now or utcnow()
    mode = _check_mode(mode)
    _check_language(language)
    if starts_at.tzinfo is None:
        raise InvalidBooking("time_out_of_range", field="time")
    if starts_at <= now:
        raise InvalidBooking("time_past", field="time")
    if starts_at >= _latest_horizon(db, now):
        raise InvalidBooking("time_out_of_range", field="time")

    def candidates(counsellor_ids=None):
        return [
            slot
            for slot in free_slots(
                db,
                starts_at,
                starts_at + timedelta(seconds=1),
                mode=mode,
                language=language,
                now=now,
                counsellor_ids=counsellor_ids,
                ignore_hold_token=replace_token,
                ignore_session_id=ignore_session_id,
            )
            if slot.starts_at == starts_at
        ]

    found = candidates()
    if not found:
        raise SlotTaken()
    preferred = [s for s in found if s.counsellor_id == prefer_counsellor_id]
    slot = preferred[0] if preferred else secrets.choice(found)

    _lock_counsellor(db, slot.counsellor_id)
    if replace_token:
        release_hold(db, replace_token)
    db.execute(
        delete(SlotHold).where(
            SlotHold.counsellor_id == slot.counsellor_id, SlotHold.expires_at <= now
        )
    )
    if slot not in candidates([slot.counsellor_id]):
        raise SlotTaken()
    hold = SlotHold(
        token=secrets.token_urlsafe(32),
        counsellor_id=slot.counsellor_id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        mode=slot.mode,
        expires_at=now + timedelta(minutes=current_app.config["BOOKING_HOLD_MINUTES"]),
        created_at=now,
        client_key=client_key,
    )
    db.add(hold)
    try:
        db.flush()
    except IntegrityError as error:
        raise SlotTaken() from error
    return hold


def find_hold(db: Session, token: str | None, now: datetime | None = None):
    """The unexpired hold with ``token``, or None."""
    if not token:
        return None
    hold = db.scalar(select(SlotHold).where(SlotHold.token == token))
    if hold is None or hold.expires_at <= (now or utcnow()):
        return None
    return hold


def release_hold(db: Session, token: str) -> None:
    """Give a held time back (the parent chose another time or left)."""
    db.execute(delete(SlotHold).where(SlotHold.token == token))


def release_expired_holds(db: Session, now: datetime | None = None) -> int:
    """Delete holds whose time ran out; they already stopped blocking slots."""
    now = now or utcnow()
    result = db.execute(delete(SlotHold).where(SlotHold.expires_at <= now))
    return result.rowcount


def _claim_hold(
    db: Session, token: str, now: datetime, *, ignore_session_id: int | None = None
) -> SlotHold:
    """Lock the hold's counsellor, re-check it and consume it.

    A hold that expired is still honoured if nobody took the time meanwhile.
    """
    hold = db.scalar(select(SlotHold).where(SlotHold.token == token))
    if hold is None:
        raise HoldExpired()
    _lock_counsellor(db, hold.counsellor_id)
    hold = db.scalar(
        select(SlotHold)
        .where(SlotHold.token == token)
        .execution_options(populate_existing=True)
    )
    if hold is None:
        raise HoldExpired()
    if hold.expires_at <= now:
        still_free = [
            slot
            for slot in free_slots(
                db,
                hold.starts_at,
                hold.starts_at + timedelta(seconds=1),
                mode=hold.mode,
                now=now,
                counsellor_ids=[hold.counsellor_id],
                ignore_hold_token=token,
                ignore_session_id=ignore_session_id,
            )
            if slot.starts_at == hold.starts_at
        ]
        if not still_free:
            db.delete(hold)
            raise SlotTaken()
    db.delete(hold)
    db.flush()
    return hold


def _replayed(db: Session, key: str | None) -> CounsellingSession | None:
    if not key:
        return None
    return db.scalar(
        select(CounsellingSession)
        .where(CounsellingSession.idempotency_key == _digest(key))
        .execution_options(populate_existing=True)
    )


def replayed_booking(
    db: Session, idempotency_key: str | None, now: datetime | None = None
) -> Booking | None:
    """The course an earlier submit with this key made, or None.

    The key is not a second booking code: the code comes back only within
    CODE_REPLAY_WINDOW of the booking (the views also check that the key is the
    one in this browser's own draft); after that ``code`` is None. Raises
    HoldExpired if the course has been deleted since.
    """
    existing = _replayed(db, idempotency_key)
    if existing is None:
        return None
    if existing.course is None:
        raise HoldExpired()
    fresh = (now or utcnow()) - existing.created_at <= CODE_REPLAY_WINDOW
    code = codes.code_from_seed(idempotency_key) if fresh else None
    return Booking(existing.course, existing, code, replayed=True)


def _place(db: Session, session: CounsellingSession, hold: SlotHold) -> None:
    """Put ``session`` at the held time. Its busy range (``busy_until``, kept apart
    by the database on PostgreSQL) includes a home visit's travel buffer, as
    ``free_slots`` counts it."""
    buffer = 0
    if hold.mode == Mode.HOME:
        buffer = db.scalar(
            select(CounsellorSettings.home_visit_buffer_minutes).where(
                CounsellorSettings.counsellor_id == hold.counsellor_id
            )
        )
    session.counsellor_id = hold.counsellor_id
    session.starts_at = hold.starts_at
    session.ends_at = hold.ends_at
    session.busy_until = hold.ends_at + timedelta(minutes=buffer or 0)
    session.mode = hold.mode


def _flush_booking(db: Session) -> None:
    try:
        db.flush()
    except IntegrityError as error:
        raise SlotTaken() from error


# --- courses and sessions ----------------------------------------------------


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
    now: datetime | None = None,
) -> Booking:
    """Create an anonymous course and its first session from a hold.

    Rules: topic optional (an active topic) plus free text of at most 500
    characters; contact optional and validated, reminders only with an e-mail;
    a home visit needs an address, stored encrypted. The same
    ``idempotency_key`` returns the same booking (``replayed_booking``: the code
    only within CODE_REPLAY_WINDOW; it is derived from the key, never stored), so
    a double-submitted confirm books once. A hold that is gone is reported only
    after looking for the booking once more: the other click of a double click
    may have used it and committed meanwhile. Raises InvalidBooking, HoldExpired
    or SlotTaken.
    """
    now = now or utcnow()
    _check_language(language)
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
    hold = db.scalar(select(SlotHold).where(SlotHold.token == hold_token))
    if hold is None:
        if (done := replay()) is not None:
            return done
        raise HoldExpired()
    address = _check_address(hold.mode, address)
    _lock_counsellor(db, hold.counsellor_id)
    if (done := replay()) is not None:
        return done
    hold = _claim_hold(db, hold_token, now)

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
        idempotency_key=_digest(idempotency_key) if idempotency_key else None,
        created_at=now,
    )
    _place(db, session, hold)
    db.add_all([course, session])
    _flush_booking(db)
    return Booking(course, session, code)


def find_course_by_code(
    db: Session, code: str, now: datetime | None = None
) -> Course | None:
    """The course with this booking code, or None.

    Malformed and unknown codes get the same answer (None) after the same work,
    so the answer does not tell whether a code ever existed. A look-up counts as
    activity for the retention period.
    """
    try:
        digest = codes.code_hash(code)
    except codes.MalformedCode:
        codes.code_hash("0" * codes.CODE_LENGTH)
        return None
    course = db.scalar(select(Course).where(Course.code_hash == digest))
    if course is not None:
        course.last_activity_at = now or utcnow()
        db.flush()
    return course


def sessions_used(course: Course) -> int:
    """Sessions that count towards the five ("2 af 5 samtaler brugt")."""
    return course.sessions_counted


def can_book_more(course: Course) -> bool:
    return course.sessions_counted < MAX_SESSIONS


def upcoming_sessions(course: Course, now: datetime | None = None):
    """Booked sessions that have not ended, soonest first."""
    now = now or utcnow()
    return [
        s
        for s in course.sessions
        if s.status == SessionStatus.BOOKED and s.ends_at > now
    ]


def past_sessions(course: Course, now: datetime | None = None):
    """Everything else (held, no-show, cancelled, or ended), oldest first."""
    upcoming = set(upcoming_sessions(course, now))
    return [s for s in course.sessions if s not in upcoming]


def _count_one_more(db: Session, course: Course, now: datetime) -> None:
    """Add one counted session; the single UPDATE is what keeps the limit."""
    result = db.execute(
        update(Course)
        .where(Course.id == course.id, Course.sessions_counted < MAX_SESSIONS)
        .values(sessions_counted=Course.sessions_counted + 1, last_activity_at=now)
        .execution_options(synchronize_session=False)
    )
    db.expire(course, ["sessions_counted", "last_activity_at"])
    if result.rowcount != 1:
        raise CourseFull()


def _count_one_less(db: Session, course_id: int, now: datetime) -> None:
    db.execute(
        update(Course)
        .where(Course.id == course_id)
        .values(sessions_counted=Course.sessions_counted - 1, last_activity_at=now)
        .execution_options(synchronize_session=False)
    )
    course = db.get(Course, course_id)
    if course is not None:
        db.expire(course, ["sessions_counted", "last_activity_at"])


def book_next_session(
    db: Session,
    course: Course,
    *,
    hold_token: str,
    idempotency_key: str | None = None,
    address: str | None = None,
    now: datetime | None = None,
) -> CounsellingSession:
    """Book another session for ``course`` from a hold.

    Five-session rule: booked + held + unwaived no-show sessions count, cancelled
    ones do not; the sixth raises CourseFull, also under concurrent requests (the
    counter UPDATE with ``sessions_counted < 5`` and the CHECK constraint). The same
    ``idempotency_key`` books once. Raises HoldExpired, SlotTaken, InvalidBooking.
    """
    now = now or utcnow()

    def replay() -> CounsellingSession | None:
        existing = _replayed(db, idempotency_key)
        if existing is not None and existing.course_id == course.id:
            return existing
        return None

    if (done := replay()) is not None:
        return done
    if not can_book_more(course):
        raise CourseFull()
    hold = db.scalar(select(SlotHold).where(SlotHold.token == hold_token))
    if hold is None:
        if (done := replay()) is not None:
            return done
        raise HoldExpired()
    address = _check_address(hold.mode, address)
    _lock_counsellor(db, hold.counsellor_id)
    if (done := replay()) is not None:
        return done
    _count_one_more(db, course, now)
    hold = _claim_hold(db, hold_token, now)
    session = CounsellingSession(
        course_id=course.id,
        address=address,
        idempotency_key=_digest(idempotency_key) if idempotency_key else None,
        created_at=now,
    )
    _place(db, session, hold)
    db.add(session)
    _flush_booking(db)
    db.expire(course, ["sessions"])
    return session


def _check_parent_cutoff(session: CounsellingSession, now: datetime) -> None:
    hours = current_app.config["BOOKING_CANCEL_CUTOFF_HOURS"]
    if session.starts_at - timedelta(hours=hours) < now:
        raise TooLateToCancel()


def cancel_session(
    db: Session,
    session: CounsellingSession,
    *,
    by: CancelledBy = CancelledBy.PARENT,
    reason: str = "",
    now: datetime | None = None,
) -> None:
    """Cancel a booked session; it then no longer counts towards the five.

    A parent may cancel until BOOKING_CANCEL_CUTOFF_HOURS before the start
    (TooLateToCancel after that); a counsellor at any time. Only booked sessions
    can be cancelled (NotChangeable). The home-visit address is erased at once.
    """
    now = now or utcnow()
    if session.status != SessionStatus.BOOKED:
        raise NotChangeable()
    if by == CancelledBy.PARENT:
        _check_parent_cutoff(session, now)
    session.status = SessionStatus.CANCELLED
    session.cancelled_by = str(by)
    session.cancel_reason = reason[:200]
    session.cancelled_at = now
    session.address = None
    session.revise(now)
    db.flush()
    if session.course_id is not None:
        _count_one_less(db, session.course_id, now)


def move_session(
    db: Session,
    session: CounsellingSession,
    *,
    hold_token: str,
    address: str | None = None,
    by: CancelledBy = CancelledBy.PARENT,
    now: datetime | None = None,
) -> CounsellingSession:
    """Move a booked session to the held time (a free slot, possibly in another mode).

    Same cut-off as cancelling for parents (TooLateToCancel); a counsellor may
    move a session at any time. A home visit keeps
    its address unless a new one is given; other modes drop it. The count of
    sessions does not change. Raises HoldExpired, SlotTaken, InvalidBooking.
    """
    now = now or utcnow()
    if session.status != SessionStatus.BOOKED:
        raise NotChangeable()
    if by == CancelledBy.PARENT:
        _check_parent_cutoff(session, now)
    hold = db.scalar(select(SlotHold).where(SlotHold.token == hold_token))
    if hold is None:
        raise HoldExpired()
    address = _check_address(hold.mode, address or session.address)
    hold = _claim_hold(db, hold_token, now, ignore_session_id=session.id)
    _place(db, session, hold)
    session.address = address
    session.revise(now)
    if session.course is not None:
        session.course.last_activity_at = now
    _flush_booking(db)
    return session


def record_outcome(
    db: Session,
    session: CounsellingSession,
    status: SessionStatus,
    *,
    waived: bool = False,
    now: datetime | None = None,
) -> None:
    """The counsellor marks a session held or no-show (optionally waived), or back
    to booked; the course's count follows (a waived no-show does not count).
    Raises NotChangeable for cancelled sessions, CourseFull if un-waiving would
    make a sixth.
    """
    now = now or utcnow()
    if session.status == SessionStatus.CANCELLED or status == SessionStatus.CANCELLED:
        raise NotChangeable()
    counted_before = session.counts
    session.status = SessionStatus(status)
    session.no_show_waived = waived and session.status == SessionStatus.NO_SHOW
    db.flush()
    if session.course_id is not None:
        if session.counts and not counted_before:
            _count_one_more(db, session.course, now)
        elif counted_before and not session.counts:
            _count_one_less(db, session.course_id, now)


# --- contact details ----------------------------------------------------------

_PHONE_NOISE = re.compile(r"[\s\-.()/]")


def validate_phone(raw: str) -> str:
    """A Danish number: 8 digits, optionally with +45 or 0045; stored as +45XXXXXXXX."""
    number = _PHONE_NOISE.sub("", raw or "")
    for prefix in ("+45", "0045"):
        if number.startswith(prefix) and len(number) == len(prefix) + 8:
            number = number[len(prefix) :]
    if not re.fullmatch(r"[1-9]\d{7}", number):
        raise InvalidBooking("invalid_phone", field="phone")
    return "+45" + number


def validate_email_address(raw: str) -> str:
    """A syntactically valid e-mail address (no DNS look-up), normalised."""
    try:
        result = validate_email((raw or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        raise InvalidBooking("invalid_email", field="email") from None
    if len(result.normalized) > 254:
        raise InvalidBooking("invalid_email", field="email")
    return result.normalized


def reminders_wanted(wants_reminders: bool, email: str | None) -> bool:
    """The one reminder rule: reminders go by e-mail only, so asking for them
    without an e-mail address is refused (InvalidBooking ``reminders_need_email``,
    on the e-mail field) rather than saved and never sent. Every screen and the
    sender (``Course.gets_reminders``) follow it."""
    if wants_reminders and not email:
        raise InvalidBooking("reminders_need_email", field="email")
    return bool(wants_reminders)


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
    """Forget the course's contact details; no more reminders."""
    set_contact(db, course, email=None, phone=None, wants_reminders=False, now=now)
