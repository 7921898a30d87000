"""What a counsellor sees of their own sessions' ratings, as soon as they
arrive: the list, the low ones on their overview (until a later session with the
family has been held, so they can raise it there) and in their calendar.

Low means any item below ``FEEDBACK_LOW_SCORE`` (default 6). A counsellor sees
only the ratings of sessions they held; leaders see aggregates (``stats``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from portal.accounts.models import User
from portal.booking.models import CounsellingSession, Course, SessionStatus
from portal.cases.overview_sources import AttentionItem
from portal.families.models import Family
from portal.feedback.models import ITEMS, SessionRating
from portal.i18n import format_date

#: The list shows the newest ratings; older ones are in the statistics.
LIST_LIMIT = 200


def low_score() -> int:
    threshold: int = current_app.config["FEEDBACK_LOW_SCORE"]
    return threshold


def is_low(threshold: int) -> ColumnElement[bool]:
    """Any item below ``threshold``, in SQL."""
    return or_(*(getattr(SessionRating, item) < threshold for item in ITEMS))


@dataclass(frozen=True)
class RatedSession:
    """One rating in the counsellor's list, with whom it came from."""

    rating: SessionRating
    starts_at: datetime
    who: str  # the family's name or the anonymous course's pseudonym
    family_id: str | None  # the family's public id, for a link
    low: bool


def own_ratings(db: Session, counsellor: User) -> list[RatedSession]:
    """The counsellor's sessions' ratings, newest first: one query."""
    threshold = low_score()
    rows = db.execute(
        select(
            SessionRating,
            CounsellingSession.starts_at,
            Course.pseudonym,
            Family.display_name,
            Family.public_id,
        )
        .join(CounsellingSession, CounsellingSession.id == SessionRating.session_id)
        .outerjoin(Course, Course.id == CounsellingSession.course_id)
        .outerjoin(Family, Family.id == CounsellingSession.family_id)
        .where(SessionRating.counsellor_id == counsellor.id)
        .order_by(SessionRating.created_at.desc(), SessionRating.id.desc())
        .limit(LIST_LIMIT)
    )
    return [
        RatedSession(
            rating=rating,
            starts_at=starts_at,
            who=family_name or pseudonym or _("Deleted course"),
            family_id=family_id,
            low=rating.lowest() < threshold,
        )
        for rating, starts_at, pseudonym, family_name, family_id in rows
    ]


def low_rated_ids(
    db: Session, counsellor_id: int, session_ids: Iterable[int]
) -> set[int]:
    """Which of ``session_ids`` (the counsellor's) were rated low: one query."""
    ids = list(session_ids)
    if not ids:
        return set()
    return set(
        db.scalars(
            select(SessionRating.session_id).where(
                SessionRating.counsellor_id == counsellor_id,
                SessionRating.session_id.in_(ids),
                is_low(low_score()),
            )
        )
    )


def overview_attention(
    db: Session, counsellor: User, family_ids: list[int]
) -> dict[int, list[AttentionItem]]:
    """Low ratings of the counsellor's sessions with these families that no
    later held session has followed yet: one query."""
    later = aliased(CounsellingSession)
    rows = db.execute(
        select(CounsellingSession.family_id, CounsellingSession.starts_at)
        .join(SessionRating, SessionRating.session_id == CounsellingSession.id)
        .where(
            SessionRating.counsellor_id == counsellor.id,
            CounsellingSession.family_id.in_(family_ids),
            is_low(low_score()),
            ~exists().where(
                and_(
                    later.family_id == CounsellingSession.family_id,
                    later.status == SessionStatus.HELD,
                    later.starts_at > CounsellingSession.starts_at,
                )
            ),
        )
        .order_by(CounsellingSession.starts_at)
    )
    href = url_for("feedback.counsellor_ratings")
    found: dict[int, list[AttentionItem]] = {}
    for family_id, starts_at in rows:
        if family_id is None:
            continue
        found.setdefault(family_id, []).append(
            AttentionItem(
                text=_(
                    "The family gave the talk on %(date)s a low rating. "
                    "Talk about it next time.",
                    date=format_date(starts_at),
                ),
                href=href,
                link_text=_("See the ratings"),
            )
        )
    return found
