"""Reading notes: one note by its public id for a page, and a family's notes
with everything shown beside them. A note of another family, or a draft of
someone else, is not found (the view answers 404), exactly as a note that does
not exist. A list shows ``PAGE_SIZE`` notes a page: a family's case grows for
years, and the page must stay quick to load on a phone. It runs one statement
per kind of row, however many notes and versions there are
(tests/cases/test_notes_query_counts.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.accounts.models import User
from portal.cases.corrections_models import CorrectionRequest
from portal.cases.notes_models import Note, NoteResponse, NoteVersion
from portal.families.models import Family

PAGE_SIZE = 10


@dataclass(frozen=True)
class NotesPage:
    notes: list[Note]
    page: int
    more: bool


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


def _with_everything(query: Select[Note]) -> Select[Note]:
    """Each note with its versions, responses and correction requests; drafts
    first, then the newest published first."""
    requests = selectinload(Note.correction_requests)
    return query.options(
        joinedload(Note.author),
        joinedload(Note.session),
        selectinload(Note.versions).joinedload(NoteVersion.author),
        selectinload(Note.responses).joinedload(NoteResponse.author),
        requests.joinedload(CorrectionRequest.requested_by),
        requests.joinedload(CorrectionRequest.answered_by),
        requests.joinedload(CorrectionRequest.answer_version),
    ).order_by(Note.published_at.is_not(None), Note.published_at.desc(), Note.id.desc())


def notes_with_everything(
    db_session: Session, family: Family, viewer: User | None, page: int = 1
) -> NotesPage:
    """One page of the notes a list shows."""
    query = _with_everything(_visible(family, viewer))
    rows = list(
        db_session.scalars(
            query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
        ).unique()
    )
    return NotesPage(rows[:PAGE_SIZE], page, len(rows) > PAGE_SIZE)


def every_published_note(db_session: Session, family: Family) -> list[Note]:
    """All the family's published notes, for the export (a file, not a page)."""
    query = _with_everything(_visible(family, None))
    return list(db_session.scalars(query).unique())


def page_of(
    db_session: Session, family: Family, viewer: User | None, note: Note
) -> int:
    """The page ``note`` stands on in its list, for the way back to it after an
    answer or a correction: one count of the notes listed before it."""
    if note.published_at is None:
        before = and_(Note.published_at.is_(None), Note.id > note.id)
    else:
        before = or_(
            Note.published_at.is_(None),
            Note.published_at > note.published_at,
            and_(Note.published_at == note.published_at, Note.id > note.id),
        )
    query = _visible(family, viewer).where(before)
    ahead = db_session.scalar(select(func.count()).select_from(query.subquery()))
    return (ahead or 0) // PAGE_SIZE + 1
