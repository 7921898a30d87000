"""How things are going for a known family: four 0-10 items (own wellbeing; the
family; school, work or friends; overall), at most once per held session, and
the trend the family and their counsellor see next to the goals.

The threat is a skewed trend: two tabs or a double click adding a second point
for one session. The unique key on the session keeps the first. A member
answers only for their own family's held sessions: the view loads the session
through the family, and the service checks it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.booking.models import CounsellingSession
from portal.families.models import Family
from portal.feedback.errors import FeedbackError
from portal.feedback.family_models import WELLBEING_ITEMS, WellbeingAnswer
from portal.feedback.once import checked_scores, insert_once
from portal.feedback.ratings import may_be_rated
from portal.i18n import LOCAL


def answer(
    db: Session,
    family: Family,
    session: CounsellingSession,
    scores: Mapping[str, int | None],
) -> WellbeingAnswer:
    """Store how things are going for ``family`` at ``session``. Raises
    FeedbackError ``not_held`` (also for another family's session),
    ``score_out_of_range`` or ``already_answered`` (also when a concurrent
    submit won)."""
    if session.family_id != family.id or not may_be_rated(session):
        raise FeedbackError("not_held")
    checked = checked_scores(scores, WELLBEING_ITEMS)
    if answer_of(db, session) is not None:
        raise FeedbackError("already_answered")
    row = WellbeingAnswer(
        family_id=family.id,
        session_id=session.id,
        answered_for=session.starts_at.astimezone(LOCAL).date(),
        **checked,
    )
    return insert_once(db, row, "already_answered")


def answer_of(db: Session, session: CounsellingSession) -> WellbeingAnswer | None:
    return db.scalar(
        select(WellbeingAnswer).where(WellbeingAnswer.session_id == session.id)
    )


def trend(db: Session, family: Family) -> list[WellbeingAnswer]:
    """The family's answers, oldest first: one query."""
    return list(
        db.scalars(
            select(WellbeingAnswer)
            .where(WellbeingAnswer.family_id == family.id)
            .order_by(WellbeingAnswer.answered_for, WellbeingAnswer.id)
        )
    )


def session_to_answer(
    db: Session, past: Sequence[CounsellingSession]
) -> CounsellingSession | None:
    """The latest held session among ``past`` (newest first), if nobody has
    answered for it yet: the family is asked about now, not about old talks."""
    latest = next((s for s in past if may_be_rated(s)), None)
    if latest is None or answer_of(db, latest) is not None:
        return None
    return latest
