"""Booking on behalf of a parent who phones, for a course they already have: the
parent reads the booking code aloud (looked up under a rate limit, never shown
again), then the counsellor books the next session by the public flow's rules."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import db
from portal.availability.models import Mode
from portal.availability.settings import settings_for
from portal.booking import course_lookup, replay, session_limit
from portal.booking.meeting import needs_call_phone
from portal.booking.models import MAX_SESSIONS, Course
from portal.calendar import bp, on_behalf, web
from portal.calendar.chosen_time import book_when_sent, open_booked
from portal.calendar.on_behalf_forms import CodeForm, NextSessionForm
from portal.calendar.on_behalf_views import owner_or_404
from portal.forms import add_error
from portal.security import limiter

NEXT_STATE = "calendar_next_session"
NEXT_LIFETIME = timedelta(minutes=20)

code_lookup_limit = limiter.limit(
    "10 per minute;30 per hour",
    methods=["POST"],
    deduct_when=lambda response: response.status_code != 302,
)


@bp.route("/kalender/book/kode", methods=["GET", "POST"])
@web.staff_only
@code_lookup_limit
def book_lookup() -> ResponseReturnValue:
    owner = owner_or_404()
    form = CodeForm()
    if form.validate_on_submit():
        code = form.code.data or ""  # required: never empty here
        course = course_lookup.find_course_by_code(db.session(), code)
        if course is not None:
            db.session().commit()
            web.save_state(
                NEXT_STATE,
                {
                    "course": course.public_id,
                    "owner": owner.public_id,
                    "key": replay.new_idempotency_key(),
                },
            )
            return redirect(web.cal_url("calendar.book_next"))
        add_error(
            form.code,
            _("There is no course with that code. Ask the parent to read it again."),
        )
    form.code.data = ""  # the code is a secret: never shown again
    return render_template("calendar/book_lookup.html", form=form, owner=owner), (
        400 if form.errors else 200
    )


@bp.route("/kalender/book/naeste", methods=["GET", "POST"])
@web.staff_only
def book_next() -> ResponseReturnValue:
    owner = owner_or_404()
    state = web.load_state(NEXT_STATE, NEXT_LIFETIME)
    if not state or state.get("owner") != owner.public_id:
        flash(_("Write the parent's booking code first."), "info")
        return redirect(web.cal_url("calendar.book_lookup"))
    if state.get("booked"):
        return redirect(url_for("calendar.session_page", public_id=state["booked"]))
    course = db.session().scalar(
        select(Course).where(Course.public_id == state["course"])
    )
    if course is None:
        web.clear_state(NEXT_STATE)
        abort(404)
    settings = settings_for(db.session(), owner.id)
    mode = request.args.get("mode")
    if mode not in set(Mode):
        mode = str(course.sessions[-1].mode) if course.sessions else Mode.CENTRE
    form = NextSessionForm(data={"idempotency_key": state["key"]})
    attempt = book_when_sent(
        form,
        lambda starts_at: on_behalf.book_next_for_course(
            db.session(),
            owner.id,
            course,
            starts_at=starts_at,
            mode=mode,
            idempotency_key=state["key"],
            address=(form.address.data or "").strip() or None,
            call_phone=form.call_phone.data or None,
            actor=current_user,
        ),
        fields=("address", "call_phone"),
        current=form.idempotency_key.data == state["key"],
    )
    if attempt.made is not None:
        booked = _("The next talk is booked.")
        return open_booked(NEXT_STATE, state, attempt.made.public_id, booked)
    speaks = course.language in settings.language_codes
    return render_template(
        "calendar/book_next.html",
        owner=owner,
        course=course,
        mode=mode,
        needs_call=needs_call_phone(mode),
        form=form,
        problem=attempt.problem,
        used=session_limit.sessions_used(course),
        limit=MAX_SESSIONS,
        full=not session_limit.can_book_more(course),
        speaks=speaks,
        week=web.free_week(
            owner.id,
            mode=mode,
            language=course.language,
            offset=web.week_offset(),
            weeks_ahead=settings.horizon_weeks,
        )
        if speaks
        else None,
    ), attempt.status
