"""Reading notes: one note by its public id for a page, and a family's notes
with everything shown beside them. A note of another family, or a draft of
someone else, is not found (the view answers 404), exactly as a note that does
not exist. The lists run one statement per kind of row, however many notes and
versions there are (tests/cases/test_notes_query_counts.py)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.accounts.models import User
from portal.cases.corrections_models import CorrectionRequest
from portal.cases.notes_models import Note, NoteResponse, NoteVersion
from portal.families.models import Family


def _visible(family: Family, viewer: User | None) -> Select[Note]:
    """The family's published notes, and ``viewer``'s own drafts (staff)."""
    shown: ColumnElement[bool] = Note.published_at.is_not(None)
    if viewer is not None:
        shown = or_(shown, Note.author_id == viewer.id)
    return select(Note).where(Note.family_id == family.id, shown)


def note_for(
    db_session: Session, family: Family, note_public_id: str, viewer: User | None
) -> Note | None:
    """A note of ``family`` that ``viewer`` may see (``None``: the family)."""
    return db_session.scalar(
        _visible(family, viewer).where(Note.public_id == note_public_id)
    )


def notes_with_everything(
    db_session: Session, family: Family, viewer: User | None
) -> list[Note]:
    """The notes a page shows, drafts first, then the newest published first,
    each with its versions, responses and correction requests."""
    requests = selectinload(Note.correction_requests)
    return list(
        db_session.scalars(
            _visible(family, viewer)
            .options(
                joinedload(Note.author),
                joinedload(Note.session),
                selectinload(Note.versions).joinedload(NoteVersion.author),
                selectinload(Note.responses).joinedload(NoteResponse.author),
                requests.joinedload(CorrectionRequest.requested_by),
                requests.joinedload(CorrectionRequest.answered_by),
                requests.joinedload(CorrectionRequest.answer_version),
            )
            .order_by(
                Note.published_at.is_not(None),
                Note.published_at.desc(),
                Note.created_at.desc(),
                Note.id.desc(),
            )
        ).unique()
    )
