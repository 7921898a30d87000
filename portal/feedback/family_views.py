"""What ``/familie`` asks a logged-in member beyond a talk's rating: how things
are going at a held talk, and whether an intervention that ended made a
difference. Each object is loaded through the member's own family (else 404),
so nobody answers for another family."""

from __future__ import annotations

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import db
from portal.accounts.models import Role
from portal.booking.access import session_or_404
from portal.booking.models import CounsellingSession
from portal.cases.goals_web import family_row
from portal.cases.interventions_models import Intervention, InterventionStatus
from portal.families.access import family_for_member
from portal.families.models import Family
from portal.feedback import bp, ratings, reviews, wellbeing
from portal.feedback.errors import FeedbackError
from portal.feedback.forms import ReviewForm, WellbeingForm
from portal.feedback.web import ask
from portal.security import mark_no_store, roles_required


def own_family() -> Family:
    mark_no_store()
    return family_for_member(current_user)


def family_session(family: Family, public_id: str) -> CounsellingSession:
    """The family's session with ``public_id``, else 404."""
    return session_or_404(public_id, CounsellingSession.family_id == family.id)


@bp.route("/familie/samtaler/<public_id>/trivsel", methods=["GET", "POST"])
@roles_required(Role.FAMILY)
def wellbeing_form(public_id: str) -> ResponseReturnValue:
    family = own_family()
    session = family_session(family, public_id)
    form = WellbeingForm()
    refused = None
    if wellbeing.answer_of(db.session(), session) is not None:
        refused = FeedbackError("already_answered")
    elif not ratings.may_be_rated(session):
        refused = FeedbackError("not_held")
    return ask(
        form,
        refused,
        lambda: wellbeing.answer(db.session(), family, session, form.scores()),
        back=url_for("families.family_home"),
        template="feedback/wellbeing.html",
        session=session,
    )


@bp.route("/familie/indsatser/<intervention_id>/vurdering", methods=["GET", "POST"])
@roles_required(Role.FAMILY)
def review_form(intervention_id: str) -> ResponseReturnValue:
    family = own_family()
    intervention = family_row(Intervention, family, intervention_id)
    form = ReviewForm()
    refused = None
    if reviews.review_of(db.session(), intervention) is not None:
        refused = FeedbackError("already_answered")
    elif intervention.status != InterventionStatus.ENDED:
        refused = FeedbackError("not_ended")
    return ask(
        form,
        refused,
        lambda: reviews.review(
            db.session(),
            family,
            intervention,
            form.difference.data,
            form.helped.data,
            form.change.data,
        ),
        back=url_for("families.family_home"),
        template="feedback/review.html",
        intervention=intervention,
    )
