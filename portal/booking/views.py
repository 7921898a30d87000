"""The anonymous booking flow: topic, mode, language, time, contact, review, confirm.

Every step is a plain form that works without JavaScript; answers are kept in the
encrypted draft (see draft.py), so going back keeps them. Nothing is stored in the
database before the parent confirms, except a ten-minute hold on the chosen time.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import db
from portal.availability.models import Mode
from portal.booking import (
    anti_automation,
    bp,
    courses,
    draft,
    holds,
    session_limit,
    timepicker,
)
from portal.booking import contact as booking_contact
from portal.booking.access import remember_course
from portal.booking.anti_automation import LimitReached
from portal.booking.errors import (
    BookingError,
    HoldExpired,
    InvalidBooking,
    SlotTaken,
    TooManyCourses,
)
from portal.booking.forms import (
    NO_TOPIC,
    ConfirmForm,
    ContactForm,
    LanguageForm,
    ModeForm,
    TimeForm,
    TopicForm,
)
from portal.booking.messages import error_message
from portal.booking.models import Topic
from portal.booking.qr import booking_qr_svg
from portal.booking.time_step import give_back
from portal.i18n import language_label, mode_label
from portal.security import mark_no_store
from portal.timeutil import parse_time

STEPS = [
    ("topic", _l("Topic"), "booking.topic"),
    ("mode", _l("How"), "booking.mode"),
    ("language", _l("Language"), "booking.language"),
    ("time", _l("Time"), "booking.time"),
    ("contact", _l("Contact"), "booking.contact"),
    ("review", _l("Check and confirm"), "booking.review"),
]


@bp.before_request
def no_store():
    """Booking pages show what the parent wrote: no copies in any cache."""
    mark_no_store()


def _locale() -> str:
    return str(get_locale() or "da")


def _reachable(answers: dict) -> set[str]:
    """The steps the parent may open, given the answers so far."""
    reachable = {"topic", "mode"}
    if answers.get("mode"):
        reachable.add("language")
    if answers.get("mode") and answers.get("language"):
        reachable.add("time")
    if answers.get("hold_token"):
        reachable.add("contact")
    if answers.get("hold_token") and answers.get("contact_done"):
        reachable.add("review")
    return reachable


def _steps(current: str, answers: dict) -> list[dict]:
    """The step indicator: earlier steps are done and can be opened again."""
    reachable = _reachable(answers)
    current_index = [name for name, *_ in STEPS].index(current)
    return [
        {
            "label": label,
            "href": url_for(endpoint) if name in reachable else None,
            "current": index == current_index,
            "done": index < current_index,
        }
        for index, (name, label, endpoint) in enumerate(STEPS)
    ]


def _render_step(step: str, template: str, answers: dict, status: int = 200, **context):
    return render_template(
        f"booking/{template}.html",
        steps=_steps(step, answers),
        step_number=[name for name, *_ in STEPS].index(step) + 1,
        step_count=len(STEPS),
        answers=answers,
        **context,
    ), status


def _require(step: str, answers: dict):
    """Send the parent back to the furthest step they can answer now."""
    reachable = _reachable(answers)
    if step in reachable:
        return None
    furthest = [endpoint for name, _label, endpoint in STEPS if name in reachable][-1]
    flash(_("Answer this step first."), "info")
    return redirect(url_for(furthest))


@bp.get("/anonym-raadgivning")
def start():
    return render_template("booking/start.html")


@bp.post("/anonym-raadgivning")
def begin():
    """Start afresh: forget any earlier, unfinished booking."""
    give_back(draft.load())
    draft.save({"idempotency_key": courses.new_idempotency_key()})
    return redirect(url_for("booking.topic"))


@bp.route("/anonym-raadgivning/emne", methods=["GET", "POST"])
def topic():
    answers = draft.load()
    topics = courses.active_topics(db.session())
    form = TopicForm(
        data={
            "topic": answers.get("topic", None),
            "topic_text": answers.get("topic_text", ""),
        }
        if request.method == "GET"
        else None
    )
    form.set_topics(topics, _locale())
    if form.validate_on_submit():
        chosen = form.topic.data if form.topic.data not in (None, "None") else NO_TOPIC
        draft.update(topic=chosen, topic_text=(form.topic_text.data or "").strip())
        return redirect(url_for("booking.mode"))
    return _render_step(
        "topic", "topic", answers, 400 if form.errors else 200, form=form
    )


@bp.route("/anonym-raadgivning/hvordan", methods=["GET", "POST"])
def mode():
    answers = draft.load()
    form = ModeForm(
        data={"mode": answers.get("mode")} if request.method == "GET" else None
    )
    if form.validate_on_submit():
        changed = form.mode.data != answers.get("mode")
        answers = draft.update(mode=form.mode.data)
        if changed:
            give_back(answers)
        return redirect(url_for("booking.language"))
    return _render_step("mode", "mode", answers, 400 if form.errors else 200, form=form)


@bp.route("/anonym-raadgivning/sprog", methods=["GET", "POST"])
def language():
    answers = draft.load()
    if (back := _require("language", answers)) is not None:
        return back
    default = answers.get("language") or (
        _locale() if _locale() in ("da", "en", "ar") else "da"
    )
    form = LanguageForm(data={"language": default} if request.method == "GET" else None)
    if form.validate_on_submit():
        changed = form.language.data != answers.get("language")
        answers = draft.update(language=form.language.data)
        if changed:
            give_back(answers)
        return redirect(url_for("booking.time"))
    return _render_step(
        "language", "language", answers, 400 if form.errors else 200, form=form
    )


def _time_page(
    answers: dict,
    form: TimeForm,
    *,
    problem: str | None = None,
    around=None,
    status: int = 200,
):
    return _render_step(
        "time",
        "time",
        answers,
        status,
        form=form,
        problem=problem,
        chosen=answers.get("starts_at"),
        mode_name=mode_label(answers["mode"]),
        language_name=language_label(answers["language"]),
        **timepicker.page_context(
            db.session(),
            mode=answers["mode"],
            language=answers["language"],
            offset=timepicker.week_offset(request.args),
            hold_token=answers.get("hold_token"),
            around=around,
        ),
    )


@bp.route("/anonym-raadgivning/tid", methods=["GET", "POST"])
def time():
    answers = draft.load()
    if (back := _require("time", answers)) is not None:
        return back
    form = TimeForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return _time_page(answers, form, status=status)
    starts_at = parse_time(form.time.data)
    if starts_at is None:
        form.time.errors.append(_("Choose a time on the list."))
        return _time_page(answers, form, status=400)
    try:
        with db.commit_or_rollback():
            hold = anti_automation.hold_for_parent(
                db.session(),
                starts_at=starts_at,
                mode=answers["mode"],
                language=answers["language"],
                replace_token=answers.get("hold_token"),
            )
    except LimitReached as error:
        return _time_page(answers, form, problem=error_message(error), status=429)
    except SlotTaken as error:
        return _time_page(
            answers, form, problem=error_message(error), around=starts_at, status=409
        )
    except InvalidBooking as error:
        form.time.errors.append(error_message(error))
        return _time_page(answers, form, status=400)
    draft.update(
        hold_token=hold.token,
        starts_at=hold.starts_at.isoformat(),
        hold_expires_at=hold.expires_at.isoformat(),
    )
    return redirect(url_for("booking.contact"))


def _held(answers: dict):
    """The parent's hold if it is still valid, else None."""
    return holds.find_hold(db.session(), answers.get("hold_token"))


def _expired_hold_redirect(answers: dict):
    give_back(answers)
    flash(error_message(HoldExpired()), "warning")
    return redirect(url_for("booking.time"))


@bp.route("/anonym-raadgivning/kontakt", methods=["GET", "POST"])
def contact():
    answers = draft.load()
    if (back := _require("contact", answers)) is not None:
        return back
    hold = _held(answers)
    if hold is None:
        return _expired_hold_redirect(answers)
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
    if form.validate_on_submit():
        cleaned = _clean_contact(form, home_visit)
        if cleaned is not None:
            draft.update(contact_done=True, **cleaned)
            return redirect(url_for("booking.review"))
    return _render_step(
        "contact",
        "contact",
        answers,
        400 if form.errors else 200,
        form=form,
        hold=hold,
        home_visit=home_visit,
    )


def _clean_contact(form: ContactForm, home_visit: bool) -> dict | None:
    """Validated contact answers, or None with the errors put on the form."""
    cleaned = {"email": "", "phone": "", "wants_reminders": False, "address": ""}
    try:
        if form.email.data:
            cleaned["email"] = booking_contact.validate_email_address(form.email.data)
    except InvalidBooking as error:
        form.email.errors.append(error_message(error))
    try:
        if form.phone.data:
            cleaned["phone"] = booking_contact.validate_phone(form.phone.data)
    except InvalidBooking as error:
        form.phone.errors.append(error_message(error))
    try:
        cleaned["wants_reminders"] = booking_contact.reminders_wanted(
            bool(form.wants_reminders.data), form.email.data
        )
    except InvalidBooking as error:
        form.email.errors.append(error_message(error))
    if home_visit:
        address = (form.address.data or "").strip()
        if not address:
            form.address.errors.append(
                _("Write the address where we should visit you.")
            )
        cleaned["address"] = address
    if form.errors:
        return None
    return cleaned


@bp.get("/anonym-raadgivning/tjek")
def review():
    answers = draft.load()
    if (back := _require("review", answers)) is not None:
        return back
    hold = _held(answers)
    if hold is None:
        return _expired_hold_redirect(answers)
    form = ConfirmForm(data={"idempotency_key": answers.get("idempotency_key")})
    return _review_page(answers, form, hold)


def _review_page(answers: dict, form: ConfirmForm, hold, status: int = 200):
    topic_name = None
    if answers.get("topic") not in (None, NO_TOPIC):
        chosen = db.session().get(Topic, int(answers["topic"]))
        topic_name = chosen.name_for(_locale()) if chosen else None
    return _render_step(
        "review",
        "review",
        answers,
        status,
        form=form,
        hold=hold,
        topic_name=topic_name,
        mode_name=mode_label(answers["mode"]),
        language_name=language_label(answers["language"]),
    )


@bp.post("/anonym-raadgivning/bekraeft")
def confirm():
    answers = draft.load()
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    key = form.idempotency_key.data
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
            )
    except (HoldExpired, SlotTaken) as error:
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
        anti_automation.count("course")
    if booking.code is None:
        return _booking_made_elsewhere(key)
    remember_course(booking.course)
    draft.update(confirmed=True)
    return render_template(
        "booking/confirmation.html",
        booking=booking,
        code=booking.code,
        qr_svg=booking_qr_svg(booking.code),
        mode_name=mode_label(booking.session.mode),
        used=session_limit.sessions_used(booking.course),
    )


def _booking_made_elsewhere(key: str):
    """A confirm that cannot show the code (another browser, or too late): say
    whether the booking exists and send the parent to Min booking or the start."""
    try:
        made = courses.replayed_booking(db.session(), key)
    except HoldExpired:
        made = None
    db.session().rollback()
    if made is None:
        flash(_("Your booking was not finished. Start again."), "warning")
        return redirect(url_for("booking.start"))
    flash(
        _(
            "Your booking is made. Type your booking code in My booking "
            "to see, move or cancel it."
        ),
        "info",
    )
    return redirect(url_for("booking.my_booking"))


def _course_limit_reached(key: str) -> bool:
    """Over BOOKING_COURSES_PER_DAY, unless this confirm repeats one that booked."""
    if anti_automation.allowed("course"):
        return False
    try:
        return courses.replayed_booking(db.session(), key) is None
    except HoldExpired:
        return True
