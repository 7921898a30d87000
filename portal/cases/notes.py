"""Writing notes: drafts and publishing (corrections and the family's responses:
``notes_published``). Services flush; the view commits once.

Rules kept here (and, for what was published, in the database: ``notes_guards``):

* a draft is its author's alone: only they change, publish or delete it;
* publishing makes version 1 and shows the note to the family; from then on the
  note is neither edited nor deleted (``note_published``), only corrected: a
  correction is a new version by an assigned counsellor, the old ones stay;
* a closed family's notes are read-only until it is reopened.

Each write locks the note's row first, so two publishes or two corrections at
once give one version each, in turn.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit import AuditAction
from portal.booking.models import CounsellingSession
from portal.cases.notes_models import Note, NoteKind, NoteVersion
from portal.cases.sanitise import render
from portal.db import utcnow
from portal.families.models import Family
from portal.families.news import tell_members_of_news
from portal.families.records import RecordError, check_editable, record_change

OBJECT_TYPE = "note"


def lock(db_session: Session, note: Note) -> Note:
    """``note`` locked for this transaction, as the database has it now."""
    return db_session.scalars(
        select(Note)
        .where(Note.id == note.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def log(
    db_session: Session, actor: User, action: AuditAction, note: Note, what: str
) -> None:
    record_change(
        db_session, actor, action, note.family, OBJECT_TYPE, note.public_id, what
    )


def _own_draft(db_session: Session, author: User, note: Note) -> Note:
    note = lock(db_session, note)
    if not note.is_draft:
        raise RecordError("note_published")
    if note.author_id != author.id:
        raise RecordError("not_your_draft")
    check_editable(note.family)
    return note


def _check_session(family: Family, session: CounsellingSession | None) -> None:
    if session is not None and session.family_id != family.id:
        raise RecordError("session_not_in_family", field="session")


def create_draft(
    db_session: Session,
    author: User,
    family: Family,
    kind: NoteKind,
    body: str,
    session: CounsellingSession | None = None,
) -> Note:
    """A new draft by ``author``, optionally about one of the family's sessions."""
    check_editable(family)
    _check_session(family, session)
    note = Note(
        family=family, author=author, kind=kind, draft_body=body, session=session
    )
    db_session.add(note)
    db_session.flush()
    log(db_session, author, AuditAction.CREATE, note, "draft")
    return note


def update_draft(
    db_session: Session,
    author: User,
    note: Note,
    kind: NoteKind,
    body: str,
    session: CounsellingSession | None,
) -> None:
    note = _own_draft(db_session, author, note)
    _check_session(note.family, session)
    note.kind, note.draft_body, note.session = kind, body, session
    note.changed_at = utcnow()
    log(db_session, author, AuditAction.UPDATE, note, "draft")


def delete_draft(db_session: Session, author: User, note: Note) -> None:
    note = _own_draft(db_session, author, note)
    log(db_session, author, AuditAction.DELETE, note, "draft")
    db_session.delete(note)
    db_session.flush()


def new_version(
    db_session: Session, note: Note, author: User, body: str, now: datetime
) -> NoteVersion:
    version = NoteVersion(
        note=note,
        number=len(note.versions) + 1,
        body=body,
        body_html=render(body),
        author=author,
        created_at=now,
    )
    db_session.add(version)
    db_session.flush()
    return version


def publish(
    db_session: Session, author: User, note: Note, now: datetime | None = None
) -> NoteVersion:
    """Show the author's draft to the family: its text becomes version 1."""
    note = _own_draft(db_session, author, note)
    now = now or utcnow()
    body = note.draft_body or ""
    note.draft_body, note.published_at, note.changed_at = None, now, now
    version = new_version(db_session, note, author, body, now)
    log(db_session, author, AuditAction.UPDATE, note, "published")
    tell_members_of_news(db_session, note.family)
    return version
