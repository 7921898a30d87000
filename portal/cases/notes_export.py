"""The notes in the family's download of their data (``export``'s section
"notes"): every published note with all its versions, the family's responses and
the correction requests with their answers. Drafts are not the family's yet
(private to their author) and are left out. Public ids and ISO times only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.cases.corrections_models import CorrectionRequest
from portal.cases.notes_models import Note
from portal.cases.notes_queries import every_published_note
from portal.families.models import Family


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _request(request: CorrectionRequest) -> dict[str, Any]:
    return {
        "id": request.public_id,
        "asked_by": request.requested_by.name,
        "asked_at": _iso(request.created_at),
        "what_is_wrong": request.body,
        "answered_at": _iso(request.answered_at),
        "answered_by": request.answered_by.name if request.answered_by else None,
        "reason": request.answer_reason,
        "corrected_version": (
            request.answer_version.number if request.answer_version else None
        ),
    }


def _note(note: Note) -> dict[str, Any]:
    return {
        "id": note.public_id,
        "kind": str(note.kind),
        "written_by": note.author.name,
        "published_at": _iso(note.published_at),
        "session": note.session.public_id if note.session else None,
        "session_starts_at": _iso(note.session.starts_at) if note.session else None,
        "versions": [
            {
                "number": version.number,
                "written_by": version.author.name,
                "written_at": _iso(version.created_at),
                "text": version.body,
                "html": version.body_html,
            }
            for version in note.versions
        ],
        "responses": [
            {
                "id": response.public_id,
                "written_by": response.author.name,
                "written_at": _iso(response.created_at),
                "text": response.body,
            }
            for response in note.responses
        ],
        "correction_requests": [_request(r) for r in note.correction_requests],
    }


def notes_for_export(db_session: Session, family: Family) -> list[dict[str, Any]]:
    """Every published note of ``family``, oldest first, JSON-ready."""
    notes = every_published_note(db_session, family)
    return [_note(note) for note in reversed(notes)]
