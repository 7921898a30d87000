"""Min booking: a parent opens their course with the booking code, sees it, closes
it, changes contact details or deletes everything.

The code is typed (or filled in from the QR code's ``#fragment`` by a script) and
sent in a POST body only.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal import db
from portal.booking import (
    bp,
    course_lookup,
    draft,
    privacy,
    session_limit,
)
from portal.booking import contact as booking_contact
from portal.booking.access import (
    course_or_code_page,
    current_course,
    forget_course,
    remember_course,
)
from portal.booking.errors import InvalidBooking
from portal.booking.forms import (
    CodeForm,
    ContactForm,
)
from portal.booking.messages import error_message, spread_sentence
from portal.booking.models import MAX_SESSIONS
from portal.db import utcnow
from portal.forms import EmptyForm, add_error, validated
from portal.i18n import mode_label
from portal.security import limiter

# Counted per client (a keyed, daily-rotating hash, never the address itself) and
# only for failed look-ups: a parent who types the code right is never slowed.
code_lookup_limit = limiter.limit(
    "10 per minute;30 per hour;60 per day",
    methods=["POST"],
    deduct_when=lambda response: response.status_code != 302,
)


@bp.get("/min-booking")
def my_booking() -> ResponseReturnValue:
    course = current_course()
    if course is None:
        return render_template("booking/code.html", form=CodeForm())
    return render_template(
        "booking/my_booking.html",
        course=course,
        used=session_limit.sessions_used(course),
        limit=MAX_SESSIONS,
        can_book=session_limit.can_book_more(course),
        room_ahead=session_limit.has_room_ahead(db.session(), course, utcnow()),
        spread=spread_sentence(),
        upcoming=course_lookup.upcoming_sessions(course),
        past=course_lookup.past_sessions(course),
        button=EmptyForm(),
        mode_label=mode_label,
    )


@bp.post("/min-booking")
@code_lookup_limit
def look_up() -> ResponseReturnValue:
    form = CodeForm()
    if form.validate_on_submit():
        course = course_lookup.find_course_by_code(
            db.session(), validated(form.code.data)
        )
        if course is not None:
            db.session().commit()
            forget_course()
            remember_course(course)
            return redirect(url_for("booking.my_booking"))
        # The same words whether the code never existed, was deleted or mistyped.
        add_error(
            form.code,
            _(
                "We could not find a booking with that code. "
                "Check the code and try again."
            ),
        )
    # What was typed is not shown again: the code is a secret.
    form.code.data = ""
    return render_template("booking/code.html", form=form), 400


@bp.post("/min-booking/luk")
def close() -> ResponseReturnValue:
    course = current_course()
    if course is not None:
        with db.commit_or_rollback():
            course_lookup.close_access(db.session(), course)
    forget_course()
    # Closed for good: sending the confirm form again from the history must not
    # show the code (the draft that could replay it goes too).
    draft.clear()
    flash(_("Min booking is closed. Type your code to open it again."), "success")
    return redirect(url_for("booking.my_booking"))


@bp.route("/min-booking/kontakt", methods=["GET", "POST"])
def contact_details() -> ResponseReturnValue:
    course = course_or_code_page()
    form = ContactForm(
        data={
            "email": course.contact_email or "",
            "phone": course.contact_phone or "",
            "wants_reminders": course.wants_reminders,
        }
        if request.method == "GET"
        else None
    )
    del form.address
    del form.call_phone
    if form.validate_on_submit():
        try:
            with db.commit_or_rollback():
                booking_contact.set_contact(
                    db.session(),
                    course,
                    email=form.email.data or None,
                    phone=form.phone.data or None,
                    wants_reminders=form.wants_reminders.data,
                )
        except InvalidBooking as error:
            target = form.phone if error.field == "phone" else form.email
            add_error(target, error_message(error))
        else:
            flash(_("Your contact details are saved."), "success")
            return redirect(url_for("booking.my_booking"))
    return render_template(
        "booking/contact_details.html",
        form=form,
        course=course,
        remove=EmptyForm(prefix="remove"),
    ), (400 if form.errors else 200)


@bp.post("/min-booking/kontakt/slet")
def remove_contact_details() -> ResponseReturnValue:
    course = course_or_code_page()
    if EmptyForm(prefix="remove").validate_on_submit():
        with db.commit_or_rollback():
            booking_contact.remove_contact(db.session(), course)
        flash(_("Your contact details are deleted."), "success")
    return redirect(url_for("booking.my_booking"))


@bp.route("/min-booking/slet", methods=["GET", "POST"])
def delete_everything() -> ResponseReturnValue:
    course = course_or_code_page()
    form = EmptyForm()
    if form.validate_on_submit():
        with db.commit_or_rollback():
            privacy.erase_course(db.session(), course)
        forget_course()
        return render_template("booking/deleted.html")
    return render_template(
        "booking/delete.html",
        form=form,
        course=course,
        used=session_limit.sessions_used(course),
    )
