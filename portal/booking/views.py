"""The anonymous booking flow: topic, mode, language, time, contact, review, confirm.

Every step is a plain form that works without JavaScript; answers are kept in the
encrypted draft (see draft.py), so going back keeps them. Nothing is stored in the
database before the parent confirms, except a ten-minute hold on the chosen time.
"""

from __future__ import annotations

import functools
from datetime import datetime

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal import db
from portal.booking import bp, courses, draft, replay, timepicker
from portal.booking.draft import Draft
from portal.booking.sensitive_text import looks_sensitive
from portal.booking.step_forms import (
    NO_TOPIC,
    LanguageForm,
    ModeForm,
    TimeForm,
    TopicForm,
)
from portal.booking.steps import locale, render_step, require
from portal.booking.time_step import give_back, hold_chosen_time
from portal.i18n import format_datetime, language_label, mode_label
from portal.security import mark_no_store


@bp.before_request
def no_store() -> None:
    """Booking pages show what the parent wrote: no copies in any cache."""
    mark_no_store()


@bp.get("/anonym-raadgivning")
def start() -> ResponseReturnValue:
    return render_template("booking/start.html")


@bp.post("/anonym-raadgivning")
def begin() -> ResponseReturnValue:
    """Start afresh: forget any earlier, unfinished booking."""
    give_back(draft.load())
    draft.save({"idempotency_key": replay.new_idempotency_key()})
    return redirect(url_for("booking.topic"))


@bp.route("/anonym-raadgivning/emne", methods=["GET", "POST"])
def topic() -> ResponseReturnValue:
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
    form.set_topics(topics, locale())
    sensitive = False
    if form.validate_on_submit():
        text = (form.topic_text.data or "").strip()
        # Warn once; "Gem alligevel" sends the same answers with save_anyway.
        sensitive = looks_sensitive(text) and not request.form.get("save_anyway")
        if not sensitive:
            chosen = (
                form.topic.data if form.topic.data not in (None, "None") else NO_TOPIC
            )
            draft.update(topic=chosen, topic_text=text)
            return redirect(url_for("booking.mode"))
    return render_step(
        "topic",
        "topic",
        answers,
        400 if form.errors else 200,
        form=form,
        sensitive=sensitive,
    )


def _answer(
    name: str, value: str, answers: Draft, next_step: str
) -> ResponseReturnValue:
    """Keep the answer and go on; another mode or language gives the held time
    back, since it may not suit it."""
    changed = value != answers.get(name)
    answers = draft.update(**{name: value})
    if changed:
        give_back(answers)
    return redirect(url_for(next_step))


@bp.route("/anonym-raadgivning/hvordan", methods=["GET", "POST"])
def mode() -> ResponseReturnValue:
    answers = draft.load()
    form = ModeForm(
        data={"mode": answers.get("mode")} if request.method == "GET" else None
    )
    if form.validate_on_submit():
        return _answer("mode", form.mode.data, answers, "booking.language")
    return render_step("mode", "mode", answers, 400 if form.errors else 200, form=form)


@bp.route("/anonym-raadgivning/sprog", methods=["GET", "POST"])
def language() -> ResponseReturnValue:
    answers = draft.load()
    if (back := require("language", answers)) is not None:
        return back
    default = answers.get("language") or (
        locale() if locale() in ("da", "en", "ar") else "da"
    )
    form = LanguageForm(data={"language": default} if request.method == "GET" else None)
    if form.validate_on_submit():
        return _answer("language", form.language.data, answers, "booking.time")
    return render_step(
        "language", "language", answers, 400 if form.errors else 200, form=form
    )


def _time_page(
    answers: Draft,
    form: TimeForm,
    *,
    problem: str | None = None,
    around: datetime | None = None,
    chosen: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    return render_step(
        "time",
        "time",
        answers,
        status,
        form=form,
        problem=problem,
        chosen=chosen or answers.get("starts_at"),
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
def time() -> ResponseReturnValue:
    answers = draft.load()
    if (back := require("time", answers)) is not None:
        return back
    form = TimeForm()
    if request.method == "GET" and (expired := answers.pop("expired_time", None)):
        draft.save(answers)  # said once: a reload shows the week as usual
        when = datetime.fromisoformat(expired)
        gone = _("We no longer keep %(time)s for you.", time=format_datetime(when))
        return _time_page(
            answers,
            form,
            problem=gone,
            around=when,
            chosen=expired,
        )
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return _time_page(answers, form, status=status)
    page = hold_chosen_time(
        answers,
        form,
        language=answers["language"],
        draft_name=draft.DRAFT_KEY,
        render=functools.partial(_time_page, answers, form),
    )
    if page is not None:
        return page
    return redirect(url_for("booking.contact"))
