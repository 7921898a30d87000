"""Choosing a time: the week of free times in Min booking (the next talk, or a new
time for one), and, for the booking flow too, holding the chosen time and giving
a hold back."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.booking import anti_automation, draft, timepicker
from portal.booking.draft import Draft
from portal.booking.errors import InvalidBooking, SlotTaken
from portal.booking.messages import error_message
from portal.booking.models import CounsellingSession, Course
from portal.booking.step_forms import TimeForm
from portal.forms import add_error
from portal.i18n import mode_label
from portal.timeutil import parse_time


class TimePage(Protocol):
    """The view's time page again: with a problem, around a time that was taken."""

    def __call__(
        self,
        *,
        problem: str | None = None,
        around: datetime | None = None,
        status: int = 200,
    ) -> ResponseReturnValue: ...


def give_back(answers: Draft, name: str = draft.DRAFT_KEY) -> None:
    """Forget the chosen time and give it back to everyone at once (committed)."""
    with db.commit_or_rollback():
        draft.release_hold(answers, name)


def to_my_booking(
    name: str, message: str, category: str = "success", refused: Draft | None = None
) -> WerkzeugResponse:
    """Back to Min booking with ``message``: a change that was ``refused`` gives its
    held time back; one that went through is done, and its draft cleared."""
    if refused is not None:
        give_back(refused, name)
    else:
        draft.clear(name)
    flash(message, category)
    return redirect(url_for("booking.my_booking"))


def time_choice_page(
    course: Course,
    answers: Draft,
    form: TimeForm,
    *,
    action: str,
    back: str,
    heading: str,
    ignore_session_id: int | None = None,
    moving: CounsellingSession | None = None,
    problem: str | None = None,
    around: datetime | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    return render_template(
        "booking/manage_time.html",
        form=form,
        moving=moving,
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
            current=moving.starts_at if moving is not None else None,
        ),
    ), status


def choose_time(
    course: Course,
    answers: Draft,
    *,
    draft_name: str,
    action: str,
    back: str,
    heading: str,
    moving: CounsellingSession | None = None,
) -> ResponseReturnValue | None:
    """Min booking's time page (the next talk, or a new time for ``moving``): show
    the week, or hold the time the parent chose. None once it is held, else the
    page. Choosing the time a moved talk already has changes nothing."""
    ignore_session_id = moving.id if moving is not None else None
    form = TimeForm()

    def render(
        *,
        problem: str | None = None,
        around: datetime | None = None,
        status: int = 200,
    ) -> ResponseReturnValue:
        return time_choice_page(
            course,
            answers,
            form,
            action=action,
            back=back,
            heading=heading,
            ignore_session_id=ignore_session_id,
            moving=moving,
            problem=problem,
            around=around,
            status=status,
        )

    if not form.validate_on_submit():
        return render(status=400 if form.errors else 200)
    if moving is not None and parse_time(form.time.data) == moving.starts_at:
        return to_my_booking(
            draft_name,
            _("You chose the time your talk already has, so nothing is changed."),
            "info",
            answers,
        )
    prefer = course.sessions[-1].counsellor_id if course.sessions else None
    return hold_chosen_time(
        answers,
        form,
        language=course.language,
        draft_name=draft_name,
        render=render,
        prefer_counsellor_id=prefer,
        ignore_session_id=ignore_session_id,
    )


def hold_chosen_time(
    answers: Draft,
    form: TimeForm,
    *,
    language: str,
    draft_name: str,
    render: TimePage,
    prefer_counsellor_id: int | None = None,
    ignore_session_id: int | None = None,
) -> ResponseReturnValue | None:
    """Hold the time from ``form`` and note it in the draft; None then, else the
    page with the problem. The booking flow and Min booking both choose here."""
    starts_at = parse_time(form.time.data)
    if starts_at is None:
        add_error(form.time, _("Choose a time on the list."))
        return render(status=400)
    try:
        with db.commit_or_rollback():
            hold = anti_automation.hold_for_parent(
                db.session(),
                starts_at=starts_at,
                mode=answers["mode"],
                language=language,
                replace_token=answers.get("hold_token"),
                prefer_counsellor_id=prefer_counsellor_id,
                ignore_session_id=ignore_session_id,
            )
    except anti_automation.LimitReached as error:
        return render(problem=error_message(error), status=429)
    except SlotTaken as error:
        return render(problem=error_message(error), around=starts_at, status=409)
    except InvalidBooking as error:
        add_error(form.time, error_message(error))
        return render(status=400)
    draft.update(
        draft_name,
        hold_token=hold.token,
        starts_at=hold.starts_at.isoformat(),
        hold_expires_at=hold.expires_at.isoformat(),
    )
    return None
