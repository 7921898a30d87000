"""A family's word on an intervention when it ends: did it make a difference in
our life (0-10), what helped, what should change. Asked once, on ``/familie``;
the counsellor sees it on the family's interventions page.

As with a session's rating, the unique key on the intervention keeps the first
answer against two tabs, and bleach strips every tag from the words before they
are stored (the staff pages escape them again). Only an ended intervention of
the member's own family can be answered.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.cases.interventions_models import Intervention, InterventionStatus
from portal.families.models import Family
from portal.feedback.errors import FeedbackError
from portal.feedback.family_models import InterventionReview
from portal.feedback.models import MAX_COMMENT
from portal.feedback.once import checked_scores, insert_once
from portal.feedback.ratings import clean_comment


def review(
    db: Session,
    family: Family,
    intervention: Intervention,
    difference: int | None,
    helped: str | None,
    change: str | None,
) -> InterventionReview:
    """Store the family's answer. Raises FeedbackError ``not_ended`` (also for
    another family's intervention), ``score_out_of_range``,
    ``comment_too_long`` (on ``helped`` or ``change``) or ``already_answered``."""
    if (
        intervention.family_id != family.id
        or intervention.status != InterventionStatus.ENDED
    ):
        raise FeedbackError("not_ended")
    checked = checked_scores({"difference": difference}, ("difference",))
    words = {"helped": clean_comment(helped), "change": clean_comment(change)}
    for name, text in words.items():
        if len(text) > MAX_COMMENT:
            raise FeedbackError("comment_too_long", field=name)
    if review_of(db, intervention) is not None:
        raise FeedbackError("already_answered")
    row = InterventionReview(
        intervention_id=intervention.id,
        family_id=family.id,
        type_id=intervention.type_id,
        **checked,
        **words,
    )
    return insert_once(db, row, "already_answered")


def review_of(db: Session, intervention: Intervention) -> InterventionReview | None:
    return db.scalar(
        select(InterventionReview).where(
            InterventionReview.intervention_id == intervention.id
        )
    )


def family_reviews(db: Session, family: Family) -> dict[int, InterventionReview]:
    """The family's answers by intervention id: one query."""
    return {
        row.intervention_id: row
        for row in db.scalars(
            select(InterventionReview).where(InterventionReview.family_id == family.id)
        )
    }


def to_review(db: Session, family: Family) -> list[Intervention]:
    """The family's ended interventions nobody has answered for yet: one query."""
    return list(
        db.scalars(
            select(Intervention)
            .where(
                Intervention.family_id == family.id,
                Intervention.status == InterventionStatus.ENDED,
                ~select(InterventionReview.id)
                .where(InterventionReview.intervention_id == Intervention.id)
                .exists(),
            )
            .order_by(Intervention.ends_on.desc(), Intervention.id)
        )
    )
