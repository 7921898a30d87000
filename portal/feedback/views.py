"""Rating a session: from Min booking (an anonymous course, opened with its
code) and from ``/familie`` (a logged-in family member). Each view loads the
session through its owner (the course or the member's family), so nobody rates
another's talk; a refusal is shown on the form and nothing is stored."""

from __future__ import annotations

from flask import url_for
from flask.typing import ResponseReturnValue

from portal import db
from portal.accounts.models import Role
from portal.booking.access import course_or_code_page, own_session
from portal.booking.models import CounsellingSession
from portal.feedback import bp, ratings
from portal.feedback.errors import FeedbackError
from portal.feedback.family_views import family_session, own_family
from portal.feedback.forms import RatingForm
from portal.feedback.web import ask
from portal.security import mark_no_store, roles_required


def _rate(session: CounsellingSession, back: str, layout: str) -> ResponseReturnValue:
    """The form, or the stored rating and a redirect to ``back`` (PRG)."""
    form = RatingForm()
    refused = None
    if ratings.rating_of(db.session(), session) is not None:
        refused = FeedbackError("already_rated")
    elif not ratings.may_be_rated(session):
        refused = FeedbackError("not_held")
    return ask(
        form,
        refused,
        lambda: ratings.rate_session(
            db.session(), session, form.scores(), form.comment.data
        ),
        back=back,
        template="feedback/rate.html",
        session=session,
        layout=layout,
    )


@bp.route("/min-booking/vurdering/<public_id>", methods=["GET", "POST"])
def rate_anonymous(public_id: str) -> ResponseReturnValue:
    mark_no_store()
    course = course_or_code_page()
    return _rate(
        own_session(course, public_id),
        url_for("booking.my_booking"),
        "booking/_booking_page.html",
    )


@bp.route("/familie/samtaler/<public_id>/vurdering", methods=["GET", "POST"])
@roles_required(Role.FAMILY)
def rate_family(public_id: str) -> ResponseReturnValue:
    session = family_session(own_family(), public_id)
    return _rate(session, url_for("families.family_home"), "base.html")
