"""What may still happen to a published note: a correction (a new version, the
old ones kept) by an assigned counsellor, and the family's responses, which are
never changed. The family's correction requests: ``corrections``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit import AuditAction
from portal.cases.notes import lock, log, new_version
from portal.cases.notes_models import Note, NoteResponse, NoteVersion
from portal.db import utcnow
from portal.families.news import tell_members_of_news
from portal.families.records import RecordError, check_editable


def correct(
    db_session: Session,
    counsellor: User,
    note: Note,
    body: str,
    now: datetime | None = None,
) -> NoteVersion:
    """A corrected text of a published note: a new version, the old ones kept.
    The same text again is no correction (``no_change``)."""
    note = lock(db_session, note)
    if note.is_draft:
        raise RecordError("note_draft")
    check_editable(note.family)
    if body.strip() == note.current.body.strip():
        raise RecordError("no_change", field="body")
    version = new_version(db_session, note, counsellor, body, now or utcnow())
    log(
        db_session,
        counsellor,
        AuditAction.UPDATE,
        note,
        f"corrected: version {version.number}",
    )
    tell_members_of_news(db_session, note.family)
    return version


def check_may_answer(member: User, note: Note) -> None:
    """A family member answers (a response, a correction request) only a
    published note of their own family, while the family is open."""
    if note.is_draft or member.family_id != note.family_id:
        raise RecordError("note_not_found")
    check_editable(note.family)


def respond(db_session: Session, member: User, note: Note, body: str) -> NoteResponse:
    """A family member's response to a published note of their family."""
    check_may_answer(member, note)
    response = NoteResponse(note=note, author=member, body=body)
    db_session.add(response)
    db_session.flush()
    return response
