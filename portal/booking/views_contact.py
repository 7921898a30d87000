"""The booking flow's contact step: e-mail, phone, reminders and, for a home
visit, the address, all optional but the address; checked before the review."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.availability.models import Mode
from portal.booking import bp, contact_checks, draft
from portal.booking import contact as booking_contact
from portal.booking.contact_checks import validate_phone
from portal.booking.errors import InvalidBooking
from portal.booking.forms import ContactForm
from portal.booking.meeting import needs_call_phone
from portal.booking.messages import error_message
from portal.booking.steps import expired_hold_redirect, held_time, render_step, require
from portal.forms import add_error


@bp.route("/anonym-raadgivning/kontakt", methods=["GET", "POST"])
def contact() -> ResponseReturnValue:
    answers = draft.load()
    if (back := require("contact", answers)) is not None:
        return back
    hold = held_time(answers)
    if hold is None:
        return expired_hold_redirect(answers)
    home_visit = answers["mode"] == Mode.HOME
    form = ContactForm(
        data={
            "email": answers.get("email", ""),
            "phone": answers.get("phone", ""),
            "wants_reminders": answers.get("wants_reminders", False),
            "address": answers.get("address", ""),
        }
        if request.method == "GET"
        else None
    )
    if not home_visit:
        del form.address
    needs_call = needs_call_phone(answers["mode"])
    if needs_call and request.method == "GET":
        form.call_phone.data = answers.get("call_phone", "")
    if not needs_call:
        del form.call_phone
    if form.validate_on_submit():
        cleaned = _clean_contact(form, home_visit)
        call_phone = checked_call_phone(form) if needs_call else ""
        if cleaned is not None and call_phone is not None:
            draft.update(contact_done=True, call_phone=call_phone, **cleaned)
            return redirect(url_for("booking.review"))
    return render_step(
        "contact",
        "contact",
        answers,
        400 if form.errors else 200,
        form=form,
        needs_call=needs_call,
        hold=hold,
        home_visit=home_visit,
    )


def checked_call_phone(form: ContactForm) -> str | None:
    """The number we call, required and checked; None with the error on the form."""
    if not (form.call_phone.data or "").strip():
        add_error(form.call_phone, _("Write the phone number we should call you on."))
        return None
    try:
        return validate_phone(form.call_phone.data or "")
    except InvalidBooking as error:
        add_error(form.call_phone, error_message(error))
        return None


def _clean_contact(form: ContactForm, home_visit: bool) -> dict[str, str | bool] | None:
    """Validated contact answers, or None with the errors put on the form."""
    cleaned: dict[str, str | bool] = {
        "email": "",
        "phone": "",
        "wants_reminders": False,
        "address": "",
    }
    try:
        if form.email.data:
            cleaned["email"] = contact_checks.validate_email_address(form.email.data)
    except InvalidBooking as error:
        add_error(form.email, error_message(error))
    try:
        if form.phone.data:
            cleaned["phone"] = contact_checks.validate_phone(form.phone.data)
    except InvalidBooking as error:
        add_error(form.phone, error_message(error))
    try:
        cleaned["wants_reminders"] = booking_contact.reminders_wanted(
            bool(form.wants_reminders.data), form.email.data
        )
    except InvalidBooking as error:
        add_error(form.email, error_message(error))
    if home_visit:
        address = (form.address.data or "").strip()
        if not address:
            add_error(form.address, _("Write the address where we should visit you."))
        cleaned["address"] = address
    if form.errors:
        return None
    return cleaned
