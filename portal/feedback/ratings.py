"""Rating a session: once, only when it was held, four scores from 0 to 10 and
words without markup.

The threats: a second rating (two tabs, a double click) skewing the counsellor's
picture, and stored cross-site scripting through the free text in the staff
pages. The unique key on the session keeps the first; bleach strips every tag
before the text is stored, and templates escape it again when they show it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import bleach
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.booking.models import CounsellingSession, SessionStatus
from portal.feedback.errors import FeedbackError
from portal.feedback.models import ITEMS, MAX_COMMENT, SessionRating
from portal.feedback.once import checked_scores, insert_once
from portal.i18n import LOCAL


def clean_comment(text: str | None) -> str:
    """The family's words as plain text: every tag and comment removed.

    bleach escapes what it keeps ("a < b" becomes "a &lt; b"); the templates
    escape once more, so the text is stored unescaped. Unescaping can reveal a
    tag typed as entities ("&lt;b&gt;"), so clean again until nothing changes."""
    cleaned = text or ""
    for _round in range(5):
        again = html.unescape(_strip_tags(cleaned))
        if again == cleaned:
            return cleaned.strip()
        cleaned = again
    return _strip_tags(cleaned).strip()  # entities nested deeper stay escaped


def _strip_tags(text: str) -> str:
    stripped: str = bleach.clean(text, tags=set(), strip=True, strip_comments=True)
    return stripped


def may_be_rated(session: CounsellingSession) -> bool:
    return session.status == SessionStatus.HELD


def rate_session(
    db: Session,
    session: CounsellingSession,
    scores: Mapping[str, int | None],
    comment: str | None,
) -> SessionRating:
    """Store the family's rating of ``session``; the caller has checked that the
    session is theirs. Raises FeedbackError ``not_held``, ``score_out_of_range``,
    ``comment_too_long`` or ``already_rated`` (also when a concurrent submit won:
    the unique key refuses the second insert inside a savepoint)."""
    if not may_be_rated(session):
        raise FeedbackError("not_held")
    checked = checked_scores(scores, ITEMS)
    text = clean_comment(comment)
    if len(text) > MAX_COMMENT:
        raise FeedbackError("comment_too_long", field="comment")
    if rating_of(db, session) is not None:
        raise FeedbackError("already_rated")
    course = session.course
    rating = SessionRating(
        session_id=session.id,
        counsellor_id=session.counsellor_id,
        anonymous=session.family_id is None,
        mode=session.mode,
        topic_id=course.topic_id if course is not None else None,
        month=session.starts_at.astimezone(LOCAL).strftime("%Y-%m"),
        comment=text,
        **checked,
    )
    return insert_once(db, rating, "already_rated")


def rating_of(db: Session, session: CounsellingSession) -> SessionRating | None:
    return db.scalar(
        select(SessionRating).where(SessionRating.session_id == session.id)
    )


def rated_ids(db: Session, sessions: Iterable[CounsellingSession]) -> set[int]:
    """Which of ``sessions`` have a rating: one query."""
    ids = [session.id for session in sessions]
    if not ids:
        return set()
    return set(
        db.scalars(
            select(SessionRating.session_id).where(SessionRating.session_id.in_(ids))
        )
    )


def to_rate(
    db: Session, sessions: Iterable[CounsellingSession]
) -> list[CounsellingSession]:
    """The held sessions among ``sessions`` that nobody has rated yet."""
    held = [session for session in sessions if may_be_rated(session)]
    done = rated_ids(db, held)
    return [session for session in held if session.id not in done]


def is_low(rating: SessionRating, threshold: int) -> bool:
    """Any item below ``threshold`` (FEEDBACK_LOW_SCORE) asks for attention."""
    return rating.lowest() < threshold
