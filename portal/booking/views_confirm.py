"""The booking flow's last steps: check, and confirm (with the booking code shown
once). The contact step before them is ``views_contact``."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal import db
from portal.booking import bp, courses, draft, rates, replay, session_limit
from portal.booking.access import remember_course
from portal.booking.draft import Draft
from portal.booking.errors import (
    BookingError,
    HoldExpired,
    InvalidBooking,
    SlotTaken,
    TooManyCourses,
)
from portal.booking.forms import ConfirmForm
from portal.booking.messages import error_message
from portal.booking.models import SlotHold, Topic
from portal.booking.qr import booking_qr_svg
from portal.booking.step_forms import NO_TOPIC
from portal.booking.steps import (
    booking_made,
    expired_hold_redirect,
    held_time,
    locale,
    render_step,
    require,
)
from portal.booking.time_step import give_back
from portal.forms import validated
from portal.i18n import language_label, mode_label


@bp.get("/anonym-raadgivning/tjek")
def review() -> ResponseReturnValue:
    answers = draft.load()
    if (back := require("review", answers)) is not None:
        return back
    hold = held_time(answers)
    if hold is None:
        return expired_hold_redirect(answers)
    form = ConfirmForm(data={"idempotency_key": answers.get("idempotency_key")})
    return _review_page(answers, form, hold)


def _review_page(
    answers: Draft, form: ConfirmForm, hold: SlotHold, status: int = 200
) -> ResponseReturnValue:
    topic_name = None
    if answers.get("topic") not in (None, NO_TOPIC):
        chosen = db.session().get(Topic, int(answers["topic"]))
        topic_name = chosen.name_for(locale()) if chosen else None
    return render_step(
        "review",
        "review",
        answers,
        status,
        form=form,
        hold=hold,
        topic_name=topic_name,
        mode=answers["mode"],
        mode_name=mode_label(answers["mode"]),
        language_name=language_label(answers["language"]),
    )


@bp.post("/anonym-raadgivning/bekraeft")
def confirm() -> ResponseReturnValue:
    answers = draft.load()
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    key = validated(form.idempotency_key.data)
    if answers.get("idempotency_key") != key:
        # Not this browser's draft: the key alone never shows a booking code.
        return _booking_made_elsewhere(key)
    if _course_limit_reached(key):
        db.session().rollback()
        give_back(answers)
        flash(error_message(TooManyCourses()), "warning")
        return redirect(url_for("booking.start"))
    topic_id = answers.get("topic")
    try:
        with db.commit_or_rollback():
            booking = courses.create_course(
                db.session(),
                hold_token=answers.get("hold_token") or "",
                language=answers.get("language") or "da",
                idempotency_key=key,
                topic_id=int(topic_id) if topic_id not in (None, NO_TOPIC) else None,
                topic_text=answers.get("topic_text", ""),
                contact_email=answers.get("email") or None,
                contact_phone=answers.get("phone") or None,
                wants_reminders=answers.get("wants_reminders", False),
                address=answers.get("address") or None,
                call_phone=answers.get("call_phone") or None,
            )
    except HoldExpired:
        return expired_hold_redirect(answers)
    except SlotTaken as error:
        give_back(answers)
        flash(error_message(error), "warning")
        return redirect(url_for("booking.time"))
    except InvalidBooking as error:
        flash(error_message(error), "error")
        step = {"topic": "booking.topic", "topic_text": "booking.topic"}.get(
            error.field or "", "booking.contact"
        )
        return redirect(url_for(step))
    except BookingError as error:
        flash(error_message(error), "error")
        return redirect(url_for("booking.review"))
    if not booking.replayed:
        rates.count("course")
    if booking.code is None:
        return _booking_made_elsewhere(key)
    remember_course(booking.course)
    draft.update(confirmed=True)
    return render_template(
        "booking/confirmation.html",
        booking=booking,
        code=booking.code,
        qr_svg=booking_qr_svg(booking.code),
        mode=booking.session.mode,
        mode_name=mode_label(booking.session.mode),
        used=session_limit.sessions_used(booking.course),
    )


def _booking_made_elsewhere(key: str) -> ResponseReturnValue:
    """A confirm that cannot show the code (another browser, or too late): say
    whether the booking exists and send the parent to Min booking or the start."""
    try:
        made = replay.replayed_booking(db.session(), key)
    except HoldExpired:
        made = None
    db.session().rollback()
    if made is None:
        flash(_("Your booking was not finished. Start again."), "warning")
        return redirect(url_for("booking.start"))
    return booking_made()


def _course_limit_reached(key: str) -> bool:
    """Over BOOKING_COURSES_PER_DAY, unless this confirm repeats one that booked."""
    if rates.allowed("course"):
        return False
    try:
        return replay.replayed_booking(db.session(), key) is None
    except HoldExpired:
        return True
