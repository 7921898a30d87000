"""Booking on behalf of a parent who phones: a new anonymous course (the code is
read aloud from the screen, once). The same rules as the public flow; the next
session of a course whose code the parent reads aloud is ``on_behalf_next_views``."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from portal import db
from portal.accounts.models import User
from portal.availability.forms import language_choices
from portal.availability.models import Mode
from portal.availability.settings import settings_for
from portal.booking import codes, replay
from portal.booking.meeting import needs_call_phone
from portal.calendar import bp, on_behalf, web
from portal.calendar.booking_forms import WayForm
from portal.calendar.chosen_time import book_at_chosen_time, untried
from portal.calendar.on_behalf_forms import OnBehalfForm
from portal.forms import EmptyForm

NEW_STATE = "calendar_on_behalf"
#: Time to talk with the parent before the form must be opened again.
KEY_LIFETIME = timedelta(hours=1)


def owner_or_404() -> User:
    """Booking on behalf puts the session in the viewer's (or, for a leader, the
    chosen counsellor's) calendar."""
    owner = web.owner(optional=True)
    if owner is None:
        abort(404)
    return owner


def _code_page(made: replay.Booking, owner: User) -> ResponseReturnValue:
    """The code, read aloud once; a replay after CODE_REPLAY_WINDOW gets none."""
    if made.code is None:
        web.clear_state(NEW_STATE)
        flash(_("The talk is booked. The code can no longer be shown."), "info")
        return redirect(
            url_for("calendar.session_page", public_id=made.session.public_id)
        )
    return render_template(
        "calendar/code.html",
        code=codes.format_code(codes.normalise(made.code)),
        session=made.session,
        owner=owner,
        done_form=EmptyForm(),
    )


@bp.route("/kalender/book", methods=["GET", "POST"])
@web.staff_only
def book_new() -> ResponseReturnValue:
    owner = owner_or_404()
    settings = settings_for(db.session(), owner.id)
    spoken = settings.language_codes or ["da"]
    mode = request.args.get("mode")
    mode = mode if mode in set(Mode) else str(Mode.CENTRE)
    language = request.args.get("language")
    language = language if language in spoken else spoken[0]
    way = WayForm(formdata=None, data={"mode": mode, "language": language})
    way.language.choices = language_choices(spoken)
    state = web.load_state(NEW_STATE, KEY_LIFETIME) or {}
    if not state.get("key") or state.get("booked"):
        if request.method == "GET":
            state = {"key": replay.new_idempotency_key()}
            web.save_state(NEW_STATE, state)
    form = OnBehalfForm(data={"idempotency_key": state.get("key")})
    if request.method == "POST" and form.idempotency_key.data != state.get("key"):
        flash(_("The form was too old. Choose the time again."), "warning")
        return redirect(web.cal_url("calendar.book_new", mode=mode, language=language))
    if form.validate_on_submit():
        key = form.idempotency_key.data or ""  # required: never empty here
        if state.get("booked"):
            made = on_behalf.replay_new_course(db.session(), key)
            if made is not None:
                return _code_page(made, owner)
        attempt = book_at_chosen_time(
            form,
            lambda starts_at: on_behalf.book_new_course(
                db.session(),
                owner.id,
                starts_at=starts_at,
                mode=mode,
                language=language,
                idempotency_key=key,
                address=(form.address.data or "").strip() or None,
                contact_email=(form.email.data or "").strip() or None,
                contact_phone=(form.phone.data or "").strip() or None,
                call_phone=form.call_phone.data or None,
                wants_reminders=form.wants_reminders.data,
                actor=current_user,
            ),
            fields=("email", "phone", "address", "call_phone"),
        )
        if attempt.made is not None:
            web.save_state(NEW_STATE, {"key": key, "booked": True})
            return _code_page(attempt.made, owner)
        if attempt.status == 409:
            made = on_behalf.replay_new_course(db.session(), key)
            if made is not None:  # the other click of a double click won
                return _code_page(made, owner)
    else:
        attempt = untried(form)
    return render_template(
        "calendar/book_new.html",
        owner=owner,
        way=way,
        mode=mode,
        needs_call=needs_call_phone(mode),
        language=language,
        form=form,
        problem=attempt.problem,
        week=web.free_week(
            owner.id,
            mode=mode,
            language=language,
            offset=web.week_offset(),
            weeks_ahead=settings.horizon_weeks,
        ),
    ), attempt.status


@bp.post("/kalender/book/faerdig")
@web.staff_only
def book_done() -> ResponseReturnValue:
    """The code has been read aloud: forget everything that could show it again."""
    web.clear_state(NEW_STATE)
    public_id = request.form.get("session", "")
    if EmptyForm().validate_on_submit() and public_id:
        return redirect(url_for("calendar.session_page", public_id=public_id))
    return redirect(web.cal_url("calendar.week"))
