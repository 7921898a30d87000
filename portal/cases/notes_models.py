"""Notes about a family, which the family reads: what the database keeps.

* A note is a draft (``draft_body`` set, ``published_at`` empty), private to its
  author, or published (``published_at`` set, the text in its versions): a check
  constraint keeps it one or the other.
* A published note's text never changes: version 1 is the text as published, and
  a correction is a new version (``number`` unique per note) with who wrote it
  and when; older versions stay. Triggers (``notes_guards``) refuse an UPDATE of
  a version, of a family's response and of a published note's content.
* The family's responses are part of the case, immutable once sent.
Bodies are encrypted at rest; a version keeps the counsellor's source text and
the sanitised HTML made from it when it was written (``sanitise.render``), so a
page of many notes does not clean HTML on every request.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import EncryptedText
from portal.db import Base, PublicIdMixin, utcnow

if TYPE_CHECKING:
    from portal.accounts.models import User
    from portal.booking.models import CounsellingSession
    from portal.cases.corrections_models import CorrectionRequest
    from portal.families.models import Family


class NoteKind(enum.StrEnum):
    CONVERSATION = "conversation"  # samtalenotat
    ASSESSMENT = "assessment"  # vurdering
    DECISION = "decision"  # beslutning
    PLAN = "plan"


class Note(PublicIdMixin, Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[NoteKind] = mapped_column(String(20))
    # A link, not content: it may change (or go with the session) after publishing.
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("counselling_sessions.id", ondelete="SET NULL"), index=True
    )
    draft_body: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column()

    family: Mapped[Family] = relationship()
    author: Mapped[User] = relationship()
    session: Mapped[CounsellingSession | None] = relationship()
    versions: Mapped[list[NoteVersion]] = relationship(
        back_populates="note", order_by="NoteVersion.number"
    )
    responses: Mapped[list[NoteResponse]] = relationship(
        back_populates="note", order_by="NoteResponse.id"
    )
    correction_requests: Mapped[list[CorrectionRequest]] = relationship(
        back_populates="note", order_by="CorrectionRequest.id"
    )

    __table_args__ = (
        CheckConstraint(
            "(published_at IS NULL AND draft_body IS NOT NULL)"
            " OR (published_at IS NOT NULL AND draft_body IS NULL)",
            name="draft_or_published",
        ),
    )

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @property
    def current(self) -> NoteVersion:
        """The version the family reads first: the newest."""
        return self.versions[-1]


class NoteVersion(PublicIdMixin, Base):
    """The text of a published note at one time; number 1 as published."""

    __tablename__ = "note_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(EncryptedText())
    body_html: Mapped[str] = mapped_column(EncryptedText())
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    note: Mapped[Note] = relationship(back_populates="versions")
    author: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("note_id", "number"),)


class NoteResponse(PublicIdMixin, Base):
    """A family member's response to a published note."""

    __tablename__ = "note_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    note: Mapped[Note] = relationship(back_populates="responses")
    author: Mapped[User] = relationship()
