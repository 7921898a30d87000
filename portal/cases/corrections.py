"""The family asks for a correction of a published note ("Anmod om rettelse"),
and a counsellor answers: with a corrected version of the note (linked from the
answer), a reason why not, or both. The request shows on the counsellor's family
page and overview until answered; request and answer stay visible. An answer is
final (``request_answered``; the database refuses changing it too)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.accounts.models import User
from portal.audit import AuditAction
from portal.cases.corrections_models import CorrectionRequest
from portal.cases.notes import log
from portal.cases.notes_models import Note
from portal.cases.notes_published import check_may_answer, correct
from portal.db import utcnow
from portal.families.models import Family
from portal.families.news import tell_members_of_news
from portal.families.records import RecordError, check_editable


def request_correction(
    db_session: Session, member: User, note: Note, what_is_wrong: str
) -> CorrectionRequest:
    """A member of the note's family asks for a correction of a published note."""
    check_may_answer(member, note)
    request = CorrectionRequest(note=note, requested_by=member, body=what_is_wrong)
    db_session.add(request)
    db_session.flush()
    return request


def answer(
    db_session: Session,
    counsellor: User,
    request: CorrectionRequest,
    *,
    body: str,
    reason: str,
    now: datetime | None = None,
) -> CorrectionRequest:
    """Answer an open request. ``body`` is the note's text as the counsellor
    leaves it: changed, it becomes a new version; unchanged, ``reason`` must say
    why the note stays as it is. A reason may go with a correction too."""
    request = db_session.scalars(
        select(CorrectionRequest)
        .where(CorrectionRequest.id == request.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if not request.is_open:
        raise RecordError("request_answered")
    check_editable(request.note.family)
    now = now or utcnow()
    changed = body.strip() != request.note.current.body.strip()
    if not changed and not reason.strip():
        raise RecordError("reason_or_correction", field="reason")
    if changed:
        request.answer_version = correct(
            db_session, counsellor, request.note, body, now
        )
    request.answer_reason = reason.strip() or None
    request.answered_by, request.answered_at = counsellor, now
    log(db_session, counsellor, AuditAction.UPDATE, request.note, "correction answered")
    tell_members_of_news(db_session, request.note.family)
    db_session.flush()
    return request


def open_correction_requests(
    db_session: Session, family_ids: Iterable[int]
) -> list[CorrectionRequest]:
    """The unanswered requests of these families (internal ids, e.g. a
    counsellor's assigned families), oldest first, with their note and family:
    one query, for the counsellor's overview."""
    ids = list(family_ids)
    if not ids:
        return []
    return list(
        db_session.scalars(
            select(CorrectionRequest)
            .join(CorrectionRequest.note)
            .where(Note.family_id.in_(ids), CorrectionRequest.answered_at.is_(None))
            .options(
                joinedload(CorrectionRequest.note).joinedload(Note.family),
                joinedload(CorrectionRequest.requested_by),
            )
            .order_by(CorrectionRequest.created_at, CorrectionRequest.id)
        )
    )


def request_of_family(
    db_session: Session, family: Family, request_public_id: str
) -> CorrectionRequest | None:
    """A correction request on one of ``family``'s notes, or None."""
    return db_session.scalar(
        select(CorrectionRequest)
        .join(CorrectionRequest.note)
        .where(
            CorrectionRequest.public_id == request_public_id,
            Note.family_id == family.id,
        )
    )
