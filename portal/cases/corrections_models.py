"""A family's request to correct a published note, and its answer.

The request stays open (``answered_at`` empty) until a counsellor answers it,
with a corrected version of the note (``answer_version_id``), a reason, or both;
a check constraint keeps an answer complete, and a trigger (``notes_guards``)
refuses to change an answer once given. Request and answer stay visible.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import EncryptedText
from portal.db import Base, PublicIdMixin, utcnow

if TYPE_CHECKING:
    from portal.accounts.models import User
    from portal.cases.notes_models import Note, NoteVersion


class CorrectionRequest(PublicIdMixin, Base):
    __tablename__ = "correction_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # What the family says is wrong.
    body: Mapped[str] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(index=True)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answer_reason: Mapped[str | None] = mapped_column(EncryptedText())
    answer_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("note_versions.id")
    )

    note: Mapped[Note] = relationship(back_populates="correction_requests")
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    answer_version: Mapped[NoteVersion | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "(answered_at IS NULL AND answered_by_id IS NULL"
            " AND answer_reason IS NULL AND answer_version_id IS NULL)"
            " OR (answered_at IS NOT NULL AND answered_by_id IS NOT NULL"
            " AND (answer_reason IS NOT NULL OR answer_version_id IS NOT NULL))",
            name="answer_complete",
        ),
    )

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
