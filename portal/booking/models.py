"""Anonymous booking: anonymous courses, their sessions, and holds on free times.

Two invariants are kept by the database, not only by Python checks:

* **One active session per counsellor per start time**: a partial unique index on
  ``counselling_sessions (counsellor_id, starts_at)`` over rows that are not
  cancelled (``sqlite_where`` / ``postgresql_where``).
* **At most five counted sessions per course**: ``anonymous_courses.sessions_counted``
  is changed only by single SQL statements (``SET sessions_counted =
  sessions_counted + 1 WHERE id = :id AND sessions_counted < 5``) in the same
  transaction that inserts or cancels the session, and a CHECK constraint refuses
  any value above five. PostgreSQL evaluates such an UPDATE on the newest committed
  row version after waiting for the row lock (READ COMMITTED re-check), and SQLite
  runs one writer at a time, so two concurrent bookings can never both see "4".
  Overlaps that a unique index cannot express (a home visit's travel buffer) are
  checked in Python *after* the service has taken the counsellor's write lock
  (an UPDATE of ``counsellor_settings.lock_version``): that row lock serialises
  bookings per counsellor on PostgreSQL, and on SQLite the first write starts the
  single write transaction, so the re-check reads the latest committed state.
* **No two overlapping sessions per counsellor** (PostgreSQL): an exclusion
  constraint (``btree_gist``) over ``tstzrange(starts_at, busy_until)`` of the
  rows that are not cancelled, where ``busy_until`` is the end plus the travel
  buffer of a home visit, stored when the session is placed. A bug in Python
  then ends in an IntegrityError (shown as "taken"), never a double booking.
  The lock stays: it keeps holds apart (they have no constraint) and turns a
  lost race into the friendly message before the database has to refuse it.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import (
    DDL,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    event,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.availability.models import Mode
from portal.crypto import EncryptedText
from portal.db import Base, PublicIdMixin, partial_unique_index, utcnow

if TYPE_CHECKING:
    from portal.accounts.models import User
    from portal.families.models import Family

#: The law's "up to five" anonymous sessions; also a CHECK constraint.
MAX_SESSIONS = 5
#: No session lasts longer (the settings allow four hours): queries for the
#: sessions overlapping a period bound ``starts_at`` from below with it, so an
#: index on (counsellor, start) finds them without reading the whole history.
LONGEST_SESSION = timedelta(days=1)


class SessionStatus(enum.StrEnum):
    BOOKED = "booked"
    HELD = "held"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class CancelledBy(enum.StrEnum):
    PARENT = "parent"
    COUNSELLOR = "counsellor"
    SYSTEM = "system"


#: ``cancel_reason`` of sessions left in the calendar after "delete everything now".
COURSE_DELETED = "course_deleted"


class Topic(Base):
    """What a parent may say the conversation is about; a leader keeps the list."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_da: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    def name_for(self, locale: str) -> str:
        """The name in ``locale`` ("da", "en" or "ar"), Danish otherwise."""
        return getattr(self, f"name_{locale}", None) or self.name_da


class Course(PublicIdMixin, Base):
    """An anonymous course (forløb), known only by the keyed hash of its booking code.

    Staff see ``pseudonym`` ("Blå Ugle"), never the code or anything derived from it.
    """

    __tablename__ = "anonymous_courses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    pseudonym: Mapped[str] = mapped_column(String(60))
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="SET NULL")
    )
    # What the parent wrote about the topic: free text, encrypted at rest.
    topic_text: Mapped[str] = mapped_column(EncryptedText(), default="")
    language: Mapped[str] = mapped_column(String(8), default="da")
    contact_email: Mapped[str | None] = mapped_column(EncryptedText())
    contact_phone: Mapped[str | None] = mapped_column(EncryptedText())
    wants_reminders: Mapped[bool] = mapped_column(default=False)
    # Sessions that count towards the five (see the module docstring).
    sessions_counted: Mapped[int] = mapped_column(default=0)
    # Bumped by "Luk Min booking": a copy of an older session cookie stops working.
    access_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)

    topic: Mapped[Topic | None] = relationship()
    sessions: Mapped[list[CounsellingSession]] = relationship(
        back_populates="course", order_by="CounsellingSession.starts_at"
    )

    __table_args__ = (
        CheckConstraint(
            f"sessions_counted BETWEEN 0 AND {MAX_SESSIONS}",
            name="sessions_counted_range",
        ),
    )

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_phone)


def _busy_until_default(context: DefaultExecutionContext) -> datetime:
    # SQLAlchemy's get_current_parameters() has no annotations.
    parameters = context.get_current_parameters()  # type: ignore[no-untyped-call]
    ends_at: datetime = parameters["ends_at"]
    return ends_at


class CounsellingSession(PublicIdMixin, Base):
    """One conversation (samtale) in a counsellor's calendar: with an anonymous
    course (``course_id``) or with a known family (``family_id``), never both.

    ``course_id`` is NULL once the parent deleted the course: the row stays as a
    cancelled slot ("aflyst – forløb slettet") with nothing that links it back.
    Both kinds share the table, so the lock, the unique index and the exclusion
    constraint keep a counsellor's anonymous and family sessions apart alike.
    """

    __tablename__ = "counselling_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("anonymous_courses.id", ondelete="SET NULL"), index=True
    )
    family_id: Mapped[int | None] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True
    )
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime] = mapped_column()
    # The end plus a home visit's travel buffer: the range the exclusion
    # constraint keeps apart (see the module docstring). Without a value, the end.
    busy_until: Mapped[datetime] = mapped_column(default=_busy_until_default)
    mode: Mapped[Mode] = mapped_column(String(10))
    status: Mapped[SessionStatus] = mapped_column(
        String(10), default=SessionStatus.BOOKED
    )
    no_show_waived: Mapped[bool] = mapped_column(default=False)
    cancelled_by: Mapped[str | None] = mapped_column(String(20))
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    cancelled_at: Mapped[datetime | None] = mapped_column()
    # A home visit's address: encrypted at rest, erased after the visit.
    address: Mapped[str | None] = mapped_column(EncryptedText())
    # The number we call for a phone talk when the municipality calls the parent
    # (``booking.meeting``): encrypted at rest, erased after the talk like the address.
    call_phone: Mapped[str | None] = mapped_column(EncryptedText())
    # Where a family session takes place when it is not a home visit ("Familiehuset,
    # lokale 2"): the family sees it on their page. Anonymous sessions leave it empty.
    location: Mapped[str | None] = mapped_column(String(200))
    # Deferred: only the counsellor's session page reads it, so lists and weeks
    # neither load nor decrypt it.
    working_note: Mapped[str] = mapped_column(
        EncryptedText(), default="", deferred=True
    )
    # SHA-256 of the form's idempotency key: a double-submitted form books once.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Counts moves and cancellation; calendar feeds send it as the event's
    # SEQUENCE (and changed_at as LAST-MODIFIED), so clients replace the event.
    revision: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime | None] = mapped_column()

    course: Mapped[Course | None] = relationship(back_populates="sessions")
    family: Mapped[Family | None] = relationship()
    # The family members taking part (``families.models.session_participants``).
    participants: Mapped[list[User]] = relationship(secondary="session_participants")
    counsellor: Mapped[User] = relationship(foreign_keys=[counsellor_id])

    __table_args__ = (
        partial_unique_index(
            "uq_counselling_sessions_counsellor_start_active",
            "counsellor_id",
            "starts_at",
            where="status != 'cancelled'",
        ),
        # A counsellor's calendar shows every status, cancelled ones too.
        Index(
            "ix_counselling_sessions_counsellor_starts_at", "counsellor_id", "starts_at"
        ),
        CheckConstraint("starts_at < ends_at", name="start_before_end"),
        CheckConstraint(
            "course_id IS NULL OR family_id IS NULL", name="course_or_family"
        ),
        CheckConstraint("ends_at <= busy_until", name="busy_after_end"),
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    def revise(self, now: datetime) -> None:
        """Note a change a calendar client must see: another time or a cancellation."""
        self.revision += 1
        self.changed_at = now


#: Installed in ``public`` so that dropping another schema never drops it.
CREATE_BTREE_GIST = "CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public"
NO_OVERLAP = "ex_counselling_sessions_no_overlap"
CREATE_NO_OVERLAP = (
    f"ALTER TABLE counselling_sessions ADD CONSTRAINT {NO_OVERLAP} "
    "EXCLUDE USING gist (counsellor_id WITH =,"
    " tstzrange(starts_at, busy_until) WITH &&) WHERE (status <> 'cancelled')"
)
for _statement in (CREATE_BTREE_GIST, CREATE_NO_OVERLAP):
    event.listen(
        CounsellingSession.__table__,
        "after_create",
        # SQLAlchemy's DDL() has no annotations on its constructor.
        DDL(_statement).execute_if(dialect="postgresql"),  # type: ignore[no-untyped-call]
    )


class SlotHold(Base):
    """A time kept for a parent for a few minutes while they finish the booking flow."""

    __tablename__ = "slot_holds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    mode: Mapped[Mode] = mapped_column(String(10))
    expires_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The rate-limit key of the client that asked (``security.client_key``: a
    # keyed hash that changes daily, never the address), to count its active holds.
    client_key: Mapped[str | None] = mapped_column(String(32), index=True)

    __table_args__ = (
        Index(
            "uq_slot_holds_counsellor_start",
            "counsellor_id",
            "starts_at",
            unique=True,
        ),
    )


class AvailabilityVersion(Base):
    """One row whose number goes up after every commit that can change free times.

    Each web worker keeps the free times it computed and reuses them while this
    number stays the same (see ``portal.booking.free_time_cache``); reading it is
    one primary-key look-up, so every worker notices another worker's booking.
    """

    __tablename__ = "availability_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, default=0)
