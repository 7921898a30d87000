"""The counsellor's overview, their start page: for each assigned family what
asks for their attention (open correction requests, goals the family disagrees
with, their own notes in draft) and the next session. A fixed number of queries,
however many families the counsellor has."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.booking.models import CounsellingSession, SessionStatus
from portal.cases.corrections import open_correction_requests
from portal.cases.corrections_models import CorrectionRequest
from portal.cases.goals_models import Goal
from portal.cases.goals_overview import goals_family_disagrees_with
from portal.cases.notes_models import Note
from portal.cases.overview_sources import AttentionItem, attention_items
from portal.consent.attention import ConsentAttention, consents_needing_attention
from portal.families.access import visible_families
from portal.families.models import Family


@dataclass
class FamilyOverview:
    family: Family
    correction_requests: list[CorrectionRequest] = field(default_factory=list)
    disagreed_goals: list[Goal] = field(default_factory=list)
    drafts: list[Note] = field(default_factory=list)
    next_session: CounsellingSession | None = None
    # From features above cases (``overview_sources``), e.g. a low session rating.
    attention: list[AttentionItem] = field(default_factory=list)
    consents: list[ConsentAttention] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return bool(
            self.correction_requests
            or self.disagreed_goals
            or self.drafts
            or self.attention
            or self.consents
        )


def counsellor_overview(
    db_session: Session, counsellor: User, now: datetime
) -> list[FamilyOverview]:
    """The counsellor's assigned families, those asking for attention first (by
    name within each group)."""
    families = db_session.scalars(visible_families(counsellor)).all()
    found = {family.id: FamilyOverview(family) for family in families}
    ids = list(found)
    for request in open_correction_requests(db_session, ids):
        found[request.note.family_id].correction_requests.append(request)
    for family_id, goals in goals_family_disagrees_with(db_session, ids).items():
        found[family_id].disagreed_goals = goals
    for note in _own_drafts(db_session, counsellor, ids):
        found[note.family_id].drafts.append(note)
    for family_id, session in _next_sessions(db_session, ids, now).items():
        found[family_id].next_session = session
    for family_id, items in attention_items(db_session, counsellor, ids).items():
        found[family_id].attention = items
    for family_id, consents in consents_needing_attention(db_session, ids, now).items():
        found[family_id].consents = consents
    overview = list(found.values())  # already in name order
    return sorted(overview, key=lambda row: not row.needs_attention)


def _own_drafts(db_session: Session, author: User, ids: list[int]) -> list[Note]:
    if not ids:
        return []
    return list(
        db_session.scalars(
            select(Note)
            .where(
                Note.family_id.in_(ids),
                Note.author_id == author.id,
                Note.published_at.is_(None),
            )
            .order_by(Note.changed_at.desc(), Note.id)
        )
    )


def _next_sessions(
    db_session: Session, ids: list[int], now: datetime
) -> dict[int, CounsellingSession]:
    """Each family's next booked session (the first row per family of one query)."""
    if not ids:
        return {}
    upcoming = db_session.scalars(
        select(CounsellingSession)
        .where(
            CounsellingSession.family_id.in_(ids),
            CounsellingSession.status == SessionStatus.BOOKED,
            CounsellingSession.ends_at > now,
        )
        .order_by(CounsellingSession.starts_at, CounsellingSession.id)
    )
    first: dict[int, CounsellingSession] = {}
    for session in upcoming:
        if session.family_id is not None:
            first.setdefault(session.family_id, session)
    return dict(first)
