"""Rating a session: from Min booking (an anonymous course, opened with its
code) and from ``/familie`` (a logged-in family member). Each view loads the
session through its owner (the course or the member's family), so nobody rates
another's talk; a refusal is shown on the form and nothing is stored."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from portal import db
from portal.accounts.models import Role
from portal.booking.access import course_or_code_page, own_session, session_or_404
from portal.booking.models import CounsellingSession
from portal.families.access import family_for_member
from portal.feedback import bp, ratings
from portal.feedback.errors import FeedbackError, message
from portal.feedback.forms import RatingForm
from portal.forms import add_error
from portal.security import mark_no_store, roles_required


def _rate(session: CounsellingSession, back: str, layout: str) -> ResponseReturnValue:
    """The form, or the stored rating and a redirect to ``back`` (PRG)."""
    form = RatingForm()
    refused = None
    if ratings.rating_of(db.session(), session) is not None:
        refused = FeedbackError("already_rated")
    elif not ratings.may_be_rated(session):
        refused = FeedbackError("not_held")
    elif form.validate_on_submit():
        try:
            with db.commit_or_rollback():
                ratings.rate_session(
                    db.session(), session, form.scores(), form.comment.data
                )
        except FeedbackError as error:
            if error.field is None:
                refused = error
            else:
                add_error(form[error.field], message(error))
        else:
            flash(_("Thank you. Your answer is saved."), "success")
            return redirect(back)
    if refused is not None:
        flash(message(refused), "info")
        return redirect(back)
    status = 400 if form.errors else 200
    return render_template(
        "feedback/rate.html", form=form, session=session, back=back, layout=layout
    ), status


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
    mark_no_store()
    family = family_for_member(current_user)
    session = session_or_404(public_id, CounsellingSession.family_id == family.id)
    return _rate(session, url_for("families.family_home"), "base.html")
