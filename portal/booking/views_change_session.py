"""Min booking: move a talk to another time, or cancel it."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal import db
from portal.booking import (
    bp,
    draft,
    holds,
)
from portal.booking import sessions as booking_sessions
from portal.booking.access import (
    MOVE_DRAFT,
    course_or_code_page,
    own_session,
)
from portal.booking.errors import BookingError, HoldExpired
from portal.booking.messages import error_message
from portal.booking.time_step import choose_time, give_back, to_my_booking
from portal.forms import EmptyForm
from portal.i18n import mode_label


@bp.route("/min-booking/flyt/<public_id>", methods=["GET", "POST"])
def move_time(public_id: str) -> ResponseReturnValue:
    course = course_or_code_page()
    moving = own_session(course, public_id)
    answers = draft.load(MOVE_DRAFT)
    if answers.get("session") != public_id:
        give_back(answers, MOVE_DRAFT)
        answers = {"session": public_id, "mode": str(moving.mode)}
        draft.save(answers, MOVE_DRAFT)
    page = choose_time(
        course,
        answers,
        draft_name=MOVE_DRAFT,
        action=url_for("booking.move_time", public_id=public_id),
        back=url_for("booking.my_booking"),
        heading=_("Choose a new time"),
        moving=moving,
    )
    if page is not None:
        return page
    return redirect(url_for("booking.move_review", public_id=public_id))


@bp.route("/min-booking/flyt/<public_id>/tjek", methods=["GET", "POST"])
def move_review(public_id: str) -> ResponseReturnValue:
    course = course_or_code_page()
    moving = own_session(course, public_id)
    answers = draft.load(MOVE_DRAFT)
    hold = holds.find_hold(db.session(), answers.get("hold_token"))
    if hold is None or answers.get("session") != public_id:
        flash(error_message(HoldExpired()), "warning")
        return redirect(url_for("booking.move_time", public_id=public_id))
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            with db.commit_or_rollback():
                booking_sessions.move_session(
                    db.session(), moving, hold_token=hold.token
                )
        except BookingError as error:
            return to_my_booking(MOVE_DRAFT, error_message(error), "warning", answers)
        return to_my_booking(MOVE_DRAFT, _("Your talk has been moved."))
    return render_template(
        "booking/manage_review.html",
        form=form,
        address_form=None,
        hold=hold,
        moving=moving,
        mode=moving.mode,
        mode_name=mode_label(moving.mode),
        heading=_("Check the new time"),
        action=url_for("booking.move_review", public_id=public_id),
        back=url_for("booking.move_time", public_id=public_id),
        button=_("Move the talk"),
    )


@bp.route("/min-booking/aflys/<public_id>", methods=["GET", "POST"])
def cancel(public_id: str) -> ResponseReturnValue:
    course = course_or_code_page()
    cancelling = own_session(course, public_id)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            with db.commit_or_rollback():
                booking_sessions.cancel_session(db.session(), cancelling)
        except BookingError as error:
            flash(error_message(error), "warning")
            return redirect(url_for("booking.my_booking"))
        flash(
            _("The talk is cancelled. It does not count as one of your five."),
            "success",
        )
        return redirect(url_for("booking.my_booking"))
    return render_template(
        "booking/cancel.html",
        form=form,
        cancelling=cancelling,
        mode_name=mode_label(cancelling.mode),
    )
