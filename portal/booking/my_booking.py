"""Min booking: a parent manages an anonymous course with the booking code.

The code is typed (or filled in from the QR code's ``#fragment`` by a script) and
sent in a POST body only. After a successful look-up the course is remembered in
the session for 30 minutes without use; "Luk Min booking" forgets it, and bumping
the course's access version makes any copy of that cookie useless as well.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from portal import db
from portal.availability.models import Mode
from portal.booking import (
    anti_automation,
    bp,
    courses,
    draft,
    errors,
    holds,
    privacy,
    session_limit,
    timepicker,
)
from portal.booking import contact as booking_contact
from portal.booking import sessions as booking_sessions
from portal.booking.errors import BookingError, HoldExpired, InvalidBooking, SlotTaken
from portal.booking.forms import (
    CodeForm,
    ConfirmForm,
    ContactForm,
    EmptyForm,
    ModeForm,
    TimeForm,
)
from portal.booking.messages import error_message
from portal.booking.models import MAX_SESSIONS, CounsellingSession, Course
from portal.i18n import mode_label
from portal.security import limiter
from portal.timeutil import parse_time

MY_BOOKING_KEY = "my_booking"
IDLE_LIMIT = timedelta(minutes=30)
NEXT_DRAFT = "next_session_draft"
MOVE_DRAFT = "move_session_draft"

# Counted per client (a keyed, daily-rotating hash, never the address itself) and
# only for failed look-ups: a parent who types the code right is never slowed.
code_lookup_limit = limiter.limit(
    "10 per minute;30 per hour;60 per day",
    methods=["POST"],
    deduct_when=lambda response: response.status_code != 302,
)


def remember_course(course: Course) -> None:
    session[MY_BOOKING_KEY] = {
        "course": course.public_id,
        "version": course.access_version,
        "seen": int(datetime.now(UTC).timestamp()),
    }


def forget_course() -> None:
    session.pop(MY_BOOKING_KEY, None)
    draft.clear(NEXT_DRAFT)
    draft.clear(MOVE_DRAFT)


def current_course() -> Course | None:
    """The remembered course, if used within 30 minutes and not closed since."""
    remembered = session.get(MY_BOOKING_KEY)
    if not remembered:
        return None
    seen = datetime.fromtimestamp(remembered.get("seen", 0), UTC)
    if datetime.now(UTC) - seen > IDLE_LIMIT:
        forget_course()
        return None
    course = db.session().scalar(
        select(Course).where(Course.public_id == remembered.get("course"))
    )
    if course is None or course.access_version != remembered.get("version"):
        forget_course()
        return None
    remembered["seen"] = int(datetime.now(UTC).timestamp())
    session[MY_BOOKING_KEY] = remembered
    return course


def _course_or_code_page() -> Course:
    course = current_course()
    if course is None:
        flash(_("Type your booking code to see your booking."), "info")
        abort(redirect(url_for("booking.my_booking")))
    return course


def _own_session(course: Course, public_id: str) -> CounsellingSession:
    """A session of this course, or 404: never another course's session."""
    found = db.session().scalar(
        select(CounsellingSession).where(
            CounsellingSession.public_id == public_id,
            CounsellingSession.course_id == course.id,
        )
    )
    if found is None:
        abort(404)
    return found


@bp.get("/min-booking")
def my_booking():
    course = current_course()
    if course is None:
        return render_template("booking/code.html", form=CodeForm())
    db.session().commit()  # the look-up counted as activity
    return render_template(
        "booking/my_booking.html",
        course=course,
        used=session_limit.sessions_used(course),
        limit=MAX_SESSIONS,
        can_book=session_limit.can_book_more(course),
        upcoming=courses.upcoming_sessions(course),
        past=courses.past_sessions(course),
        button=EmptyForm(),
        mode_label=mode_label,
    )


@bp.post("/min-booking")
@code_lookup_limit
def look_up():
    form = CodeForm()
    if form.validate_on_submit():
        course = courses.find_course_by_code(db.session(), form.code.data)
        if course is not None:
            db.session().commit()
            forget_course()
            remember_course(course)
            return redirect(url_for("booking.my_booking"))
        # The same words whether the code never existed, was deleted or mistyped.
        form.code.errors.append(
            _(
                "We could not find a booking with that code. "
                "Check the code and try again."
            )
        )
    # What was typed is not shown again: the code is a secret.
    form.code.data = ""
    return render_template("booking/code.html", form=form), 400


@bp.post("/min-booking/luk")
def close():
    course = current_course()
    if course is not None:
        course.access_version += 1
        db.session().commit()
    forget_course()
    flash(_("Min booking is closed. Type your code to open it again."), "success")
    return redirect(url_for("booking.my_booking"))


# --- book the next session ------------------------------------------------------


def _time_choice(
    course: Course,
    answers: dict,
    form,
    *,
    action: str,
    back: str,
    heading: str,
    ignore_session_id: int | None = None,
    problem: str | None = None,
    around=None,
    status: int = 200,
):
    return render_template(
        "booking/manage_time.html",
        form=form,
        problem=problem,
        chosen=answers.get("starts_at"),
        action=action,
        back=back,
        heading=heading,
        mode_name=mode_label(answers["mode"]),
        **timepicker.page_context(
            db.session(),
            mode=answers["mode"],
            language=course.language,
            offset=timepicker.week_offset(request.args),
            hold_token=answers.get("hold_token"),
            ignore_session_id=ignore_session_id,
            around=around,
        ),
    ), status


def _hold_chosen_time(
    course: Course,
    answers: dict,
    form,
    *,
    draft_name: str,
    render,
    ignore_session_id: int | None = None,
):
    """Hold the time from ``form``; returns a redirect target or a page with errors."""
    starts_at = parse_time(form.time.data)
    if starts_at is None:
        form.time.errors.append(_("Choose a time on the list."))
        return None, render(status=400)
    prefer = None
    if course.sessions:
        prefer = course.sessions[-1].counsellor_id
    try:
        hold = anti_automation.hold_for_parent(
            db.session(),
            starts_at=starts_at,
            mode=answers["mode"],
            language=course.language,
            replace_token=answers.get("hold_token"),
            prefer_counsellor_id=prefer,
            ignore_session_id=ignore_session_id,
        )
        db.session().commit()
    except anti_automation.LimitReached as error:
        db.session().rollback()
        return None, render(problem=error_message(error), status=429)
    except SlotTaken as error:
        db.session().rollback()
        return None, render(problem=error_message(error), around=starts_at, status=409)
    except InvalidBooking as error:
        db.session().rollback()
        form.time.errors.append(error_message(error))
        return None, render(status=400)
    draft.update(
        draft_name,
        hold_token=hold.token,
        starts_at=hold.starts_at.isoformat(),
        hold_expires_at=hold.expires_at.isoformat(),
    )
    return hold, None


@bp.route("/min-booking/ny-samtale", methods=["GET", "POST"])
def next_session_mode():
    course = _course_or_code_page()
    if not session_limit.can_book_more(course):
        flash(error_message(errors.CourseFull()), "info")
        return redirect(url_for("booking.my_booking"))
    answers = draft.load(NEXT_DRAFT)
    if not answers.get("idempotency_key"):
        answers = {"idempotency_key": courses.new_idempotency_key()}
        draft.save(answers, NEXT_DRAFT)
    last_mode = course.sessions[-1].mode if course.sessions else Mode.CENTRE
    form = ModeForm(
        data={"mode": answers.get("mode", last_mode)}
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        if form.mode.data != answers.get("mode"):
            draft.release_hold(answers, NEXT_DRAFT)
        draft.update(NEXT_DRAFT, mode=form.mode.data)
        return redirect(url_for("booking.next_session_time"))
    return render_template("booking/next_mode.html", form=form, course=course), (
        400 if form.errors else 200
    )


@bp.route("/min-booking/ny-samtale/tid", methods=["GET", "POST"])
def next_session_time():
    course = _course_or_code_page()
    answers = draft.load(NEXT_DRAFT)
    if not answers.get("mode"):
        return redirect(url_for("booking.next_session_mode"))
    form = TimeForm()

    def render(**kwargs):
        return _time_choice(
            course,
            answers,
            form,
            action=url_for("booking.next_session_time"),
            back=url_for("booking.next_session_mode"),
            heading=_("Choose a time for your next talk"),
            **kwargs,
        )

    if not form.validate_on_submit():
        return render(status=400 if form.errors else 200)
    hold, page = _hold_chosen_time(
        course, answers, form, draft_name=NEXT_DRAFT, render=render
    )
    if page is not None:
        return page
    return redirect(url_for("booking.next_session_review"))


@bp.route("/min-booking/ny-samtale/tjek", methods=["GET", "POST"])
def next_session_review():
    course = _course_or_code_page()
    answers = draft.load(NEXT_DRAFT)
    if not answers.get("mode"):
        return redirect(url_for("booking.next_session_mode"))
    hold = holds.find_hold(db.session(), answers.get("hold_token"))
    home_visit = answers.get("mode") == Mode.HOME
    form = ConfirmForm(
        data={"idempotency_key": answers.get("idempotency_key")}
        if request.method == "GET"
        else None
    )
    address_form = ContactForm(prefix="visit") if home_visit else None
    if form.validate_on_submit():
        address = None
        if home_visit:
            address = (address_form.address.data or "").strip()
        try:
            booking_sessions.book_next_session(
                db.session(),
                course,
                hold_token=answers.get("hold_token") or "",
                idempotency_key=form.idempotency_key.data,
                address=address,
            )
            db.session().commit()
        except InvalidBooking as error:
            db.session().rollback()
            address_form.address.errors.append(error_message(error))
        except (HoldExpired, SlotTaken) as error:
            db.session().rollback()
            draft.release_hold(answers, NEXT_DRAFT)
            flash(error_message(error), "warning")
            return redirect(url_for("booking.next_session_time"))
        except BookingError as error:
            db.session().rollback()
            # E.g. another tab used the last of the five: give the time back now
            # rather than block it for everyone until the hold runs out.
            draft.release_hold(answers, NEXT_DRAFT)
            flash(error_message(error), "error")
            return redirect(url_for("booking.my_booking"))
        else:
            draft.clear(NEXT_DRAFT)
            flash(_("Your next talk is booked."), "success")
            return redirect(url_for("booking.my_booking"))
    if hold is None:  # nothing to show: the hold ran out (or was never made)
        draft.release_hold(answers, NEXT_DRAFT)
        flash(error_message(HoldExpired()), "warning")
        return redirect(url_for("booking.next_session_time"))
    return render_template(
        "booking/manage_review.html",
        form=form,
        address_form=address_form,
        hold=hold,
        mode_name=mode_label(answers["mode"]),
        heading=_("Check your next talk"),
        action=url_for("booking.next_session_review"),
        back=url_for("booking.next_session_time"),
        button=_("Book the talk"),
    ), (400 if request.method == "POST" else 200)


# --- move, cancel ---------------------------------------------------------------


@bp.route("/min-booking/flyt/<public_id>", methods=["GET", "POST"])
def move_time(public_id: str):
    course = _course_or_code_page()
    moving = _own_session(course, public_id)
    answers = draft.load(MOVE_DRAFT)
    if answers.get("session") != public_id:
        draft.release_hold(answers, MOVE_DRAFT)
        answers = {"session": public_id, "mode": str(moving.mode)}
        draft.save(answers, MOVE_DRAFT)
    form = TimeForm()

    def render(**kwargs):
        return _time_choice(
            course,
            answers,
            form,
            action=url_for("booking.move_time", public_id=public_id),
            back=url_for("booking.my_booking"),
            heading=_("Choose a new time"),
            ignore_session_id=moving.id,
            **kwargs,
        )

    if not form.validate_on_submit():
        return render(status=400 if form.errors else 200)
    hold, page = _hold_chosen_time(
        course,
        answers,
        form,
        draft_name=MOVE_DRAFT,
        render=render,
        ignore_session_id=moving.id,
    )
    if page is not None:
        return page
    return redirect(url_for("booking.move_review", public_id=public_id))


@bp.route("/min-booking/flyt/<public_id>/tjek", methods=["GET", "POST"])
def move_review(public_id: str):
    course = _course_or_code_page()
    moving = _own_session(course, public_id)
    answers = draft.load(MOVE_DRAFT)
    hold = holds.find_hold(db.session(), answers.get("hold_token"))
    if hold is None or answers.get("session") != public_id:
        flash(error_message(HoldExpired()), "warning")
        return redirect(url_for("booking.move_time", public_id=public_id))
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            booking_sessions.move_session(db.session(), moving, hold_token=hold.token)
            db.session().commit()
        except BookingError as error:
            db.session().rollback()
            draft.release_hold(answers, MOVE_DRAFT)
            flash(error_message(error), "warning")
            return redirect(url_for("booking.my_booking"))
        draft.clear(MOVE_DRAFT)
        flash(_("Your talk has been moved."), "success")
        return redirect(url_for("booking.my_booking"))
    return render_template(
        "booking/manage_review.html",
        form=form,
        address_form=None,
        hold=hold,
        moving=moving,
        mode_name=mode_label(moving.mode),
        heading=_("Check the new time"),
        action=url_for("booking.move_review", public_id=public_id),
        back=url_for("booking.move_time", public_id=public_id),
        button=_("Move the talk"),
    )


@bp.route("/min-booking/aflys/<public_id>", methods=["GET", "POST"])
def cancel(public_id: str):
    course = _course_or_code_page()
    cancelling = _own_session(course, public_id)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            booking_sessions.cancel_session(db.session(), cancelling)
            db.session().commit()
        except BookingError as error:
            db.session().rollback()
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


# --- contact details, delete everything ------------------------------------------


def _withdraw_queued_mail(course: Course) -> None:
    """Queued reminders and notices hold the e-mail address: they go at once too."""
    # Imported here: the calendar feature imports booking, not the other way round.
    from portal.booking.notify import withdraw_course_mail

    withdraw_course_mail(db.session(), course)


@bp.route("/min-booking/kontakt", methods=["GET", "POST"])
def contact_details():
    course = _course_or_code_page()
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
    if form.validate_on_submit():
        try:
            booking_contact.set_contact(
                db.session(),
                course,
                email=form.email.data or None,
                phone=form.phone.data or None,
                wants_reminders=form.wants_reminders.data,
            )
        except InvalidBooking as error:
            db.session().rollback()
            target = form.phone if error.field == "phone" else form.email
            target.errors.append(error_message(error))
        else:
            db.session().commit()
            flash(_("Your contact details are saved."), "success")
            return redirect(url_for("booking.my_booking"))
    return render_template(
        "booking/contact_details.html",
        form=form,
        course=course,
        remove=EmptyForm(prefix="remove"),
    ), (400 if form.errors else 200)


@bp.post("/min-booking/kontakt/slet")
def remove_contact_details():
    course = _course_or_code_page()
    if EmptyForm(prefix="remove").validate_on_submit():
        _withdraw_queued_mail(course)
        booking_contact.remove_contact(db.session(), course)
        db.session().commit()
        flash(_("Your contact details are deleted."), "success")
    return redirect(url_for("booking.my_booking"))


@bp.route("/min-booking/slet", methods=["GET", "POST"])
def delete_everything():
    course = _course_or_code_page()
    form = EmptyForm()
    if form.validate_on_submit():
        _withdraw_queued_mail(course)
        privacy.delete_course(db.session(), course)
        db.session().commit()
        forget_course()
        return render_template("booking/deleted.html")
    return render_template(
        "booking/delete.html",
        form=form,
        course=course,
        used=session_limit.sessions_used(course),
    )
