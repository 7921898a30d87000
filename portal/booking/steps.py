"""The booking flow's steps: which the parent may open, the step indicator, and
the page of one step. Shared by the views of the flow."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import db
from portal.booking import (
    draft,
    holds,
)
from portal.booking.draft import Draft
from portal.booking.errors import (
    HoldExpired,
)
from portal.booking.messages import error_message
from portal.booking.models import SlotHold
from portal.booking.time_step import give_back

STEPS = [
    ("topic", _l("Topic"), "booking.topic"),
    ("mode", _l("How"), "booking.mode"),
    ("language", _l("Language"), "booking.language"),
    ("time", _l("Time"), "booking.time"),
    ("contact", _l("Contact"), "booking.contact"),
    ("review", _l("Check and confirm"), "booking.review"),
]


def locale() -> str:
    return str(get_locale() or "da")


def open_steps(answers: Draft) -> set[str]:
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


def step_indicator(current: str, answers: Draft) -> list[dict[str, object]]:
    """The step indicator: earlier steps are done and can be opened again."""
    reachable = open_steps(answers)
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


def render_step(
    step: str, template: str, answers: Draft, status: int = 200, **context: object
) -> ResponseReturnValue:
    return render_template(
        f"booking/{template}.html",
        steps=step_indicator(step, answers),
        step_number=[name for name, *_ in STEPS].index(step) + 1,
        step_count=len(STEPS),
        answers=answers,
        **context,
    ), status


def require(step: str, answers: Draft) -> ResponseReturnValue | None:
    """Send the parent back to the furthest step they can answer now."""
    if answers.get("confirmed"):
        # Back after booking: the booking is made; never "the time was lost",
        # never a second booking with the old answers.
        return booking_made()
    reachable = open_steps(answers)
    if step in reachable:
        return None
    furthest = [endpoint for name, _label, endpoint in STEPS if name in reachable][-1]
    flash(_("Answer this step first."), "info")
    return redirect(url_for(furthest))


def held_time(answers: Draft) -> SlotHold | None:
    """The parent's hold if it is still valid, else None."""
    return holds.find_hold(db.session(), answers.get("hold_token"))


def booking_made() -> ResponseReturnValue:
    """The booking in this draft is made: say so, and lead to Min booking."""
    flash(
        _(
            "Your booking is made. Type your booking code in My booking "
            "to see, move or cancel it."
        ),
        "info",
    )
    return redirect(url_for("booking.my_booking"))


def expired_hold_redirect(answers: Draft) -> ResponseReturnValue:
    """The hold ran out: back to the time page, which says so once and offers
    the same time again if it is still free, else the nearest free ones."""
    expired = answers.get("starts_at")
    give_back(answers)
    if expired:
        draft.update(expired_time=expired)
    else:
        flash(error_message(HoldExpired()), "warning")
    return redirect(url_for("booking.time"))
