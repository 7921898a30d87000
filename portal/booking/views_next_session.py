"""Min booking: book the next talk of the course (way of talking, time, check)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal import db
from portal.availability.models import Mode
from portal.booking import bp, draft, errors, holds, replay, session_limit
from portal.booking import sessions as booking_sessions
from portal.booking.access import NEXT_DRAFT, course_or_code_page
from portal.booking.draft import Draft
from portal.booking.errors import BookingError, HoldExpired, InvalidBooking, SlotTaken
from portal.booking.forms import ConfirmForm, ContactForm
from portal.booking.meeting import needs_call_phone
from portal.booking.messages import error_message, spread_sentence
from portal.booking.models import Course, SlotHold
from portal.booking.step_forms import ModeForm
from portal.booking.time_step import choose_time, give_back, to_my_booking
from portal.booking.views_contact import checked_call_phone
from portal.db import utcnow
from portal.forms import add_error
from portal.i18n import mode_label


@bp.route("/min-booking/ny-samtale", methods=["GET", "POST"])
def next_session_mode() -> ResponseReturnValue:
    course = course_or_code_page()
    if not session_limit.can_book_more(course):
        flash(error_message(errors.CourseFull()), "info")
        return redirect(url_for("booking.my_booking"))
    if not session_limit.has_room_ahead(db.session(), course, utcnow()):
        flash(spread_sentence(), "info")
        return redirect(url_for("booking.my_booking"))
    answers = draft.load(NEXT_DRAFT)
    if not answers.get("idempotency_key"):
        answers = {"idempotency_key": replay.new_idempotency_key()}
        draft.save(answers, NEXT_DRAFT)
    last_mode = course.sessions[-1].mode if course.sessions else Mode.CENTRE
    form = ModeForm(
        data={"mode": answers.get("mode", last_mode)}
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        if form.mode.data != answers.get("mode"):
            give_back(answers, NEXT_DRAFT)
        draft.update(NEXT_DRAFT, mode=form.mode.data)
        return redirect(url_for("booking.next_session_time"))
    return render_template(
        "booking/next_mode.html", form=form, course=course, spread=spread_sentence()
    ), (400 if form.errors else 200)


@bp.route("/min-booking/ny-samtale/tid", methods=["GET", "POST"])
def next_session_time() -> ResponseReturnValue:
    course = course_or_code_page()
    answers = draft.load(NEXT_DRAFT)
    if not answers.get("mode"):
        return redirect(url_for("booking.next_session_mode"))
    page = choose_time(
        course,
        answers,
        draft_name=NEXT_DRAFT,
        action=url_for("booking.next_session_time"),
        back=url_for("booking.next_session_mode"),
        heading=_("Choose a time for your next talk"),
    )
    if page is not None:
        return page
    return redirect(url_for("booking.next_session_review"))


@bp.route("/min-booking/ny-samtale/tjek", methods=["GET", "POST"])
def next_session_review() -> ResponseReturnValue:
    course = course_or_code_page()
    answers = draft.load(NEXT_DRAFT)
    if not answers.get("mode"):
        return redirect(url_for("booking.next_session_mode"))
    hold = holds.find_hold(db.session(), answers.get("hold_token"))
    home_visit = answers.get("mode") == Mode.HOME
    needs_call = needs_call_phone(answers.get("mode") or "")
    form = ConfirmForm(
        data={"idempotency_key": answers.get("idempotency_key")}
        if request.method == "GET"
        else None
    )
    address_form = visit_form(home_visit, needs_call)
    if form.validate_on_submit():
        address = call_phone = None
        if home_visit and address_form is not None:
            address = (address_form.address.data or "").strip()
        if needs_call and address_form is not None:
            call_phone = checked_call_phone(address_form)
            if call_phone is None:
                return review_page(course, answers, form, address_form, hold, 400)
        try:
            with db.commit_or_rollback():
                booking_sessions.book_next_session(
                    db.session(),
                    course,
                    hold_token=answers.get("hold_token") or "",
                    idempotency_key=form.idempotency_key.data,
                    address=address,
                    call_phone=call_phone,
                )
        except InvalidBooking as error:
            if address_form is None:  # only the address can be invalid here
                raise
            add_error(address_form.address, error_message(error))
        except (HoldExpired, SlotTaken) as error:
            give_back(answers, NEXT_DRAFT)
            flash(error_message(error), "warning")
            return redirect(url_for("booking.next_session_time"))
        except BookingError as error:
            # E.g. another tab used the last of the five: give the time back now
            # rather than block it for everyone until the hold runs out.
            return to_my_booking(NEXT_DRAFT, error_message(error), "error", answers)
        else:
            return to_my_booking(NEXT_DRAFT, _("Your next talk is booked."))
    if hold is None:  # nothing to show: the hold ran out (or was never made)
        give_back(answers, NEXT_DRAFT)
        flash(error_message(HoldExpired()), "warning")
        return redirect(url_for("booking.next_session_time"))
    status = 400 if request.method == "POST" else 200
    return review_page(course, answers, form, address_form, hold, status)


def visit_form(home_visit: bool, needs_call: bool) -> ContactForm | None:
    """The address of a home visit or the number we call, as the mode needs."""
    if not (home_visit or needs_call):
        return None
    visit = ContactForm(prefix="visit")
    if not home_visit:
        del visit.address
    if not needs_call:
        del visit.call_phone
    return visit


def review_page(
    course: Course,
    answers: Draft,
    form: ConfirmForm,
    address_form: ContactForm | None,
    hold: SlotHold | None,
    status: int,
) -> ResponseReturnValue:
    return render_template(
        "booking/manage_review.html",
        form=form,
        address_form=address_form,
        hold=hold,
        mode=answers["mode"],
        mode_name=mode_label(answers["mode"]),
        heading=_("Check your next talk"),
        action=url_for("booking.next_session_review"),
        back=url_for("booking.next_session_time"),
        button=_("Book the talk"),
    ), status
