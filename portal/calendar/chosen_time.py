"""Booking at a free time chosen on a calendar page, as every staff booking page
does it (move, on behalf, next session, family session): one transaction; a time
that does not parse is taken; a refused answer is shown at its field (400), a lost
race or a rule as a problem above the form (409)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from flask import flash, redirect, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.booking.errors import BookingError, InvalidBooking, SlotTaken
from portal.calendar import web
from portal.calendar.booking_forms import TimeChoiceForm
from portal.calendar.messages import error_message
from portal.forms import add_error
from portal.timeutil import parse_time

T = TypeVar("T")


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """What came of it: ``made`` when booked, else the page's problem and status."""

    made: T | None = None
    problem: str | None = None
    status: int = 200
    booked: bool = False


def book_at_chosen_time(
    form: TimeChoiceForm,
    book: Callable[[datetime], T],
    fields: Collection[str] = ("address",),
) -> Attempt[T]:
    """Call ``book`` with the chosen start and commit. An InvalidBooking naming
    one of ``fields`` is shown at that field, any other at the time."""
    starts_at = parse_time(form.time.data)
    try:
        with db.commit_or_rollback():
            if starts_at is None:
                raise SlotTaken()
            made = book(starts_at)
    except InvalidBooking as error:
        name = error.field if error.field in fields and error.field else "time"
        add_error(getattr(form, name), error_message(error.code))
        return Attempt(status=400)
    except BookingError as error:
        return Attempt(problem=error_message(error.code), status=409)
    return Attempt(made=made, booked=True)


def book_when_sent(
    form: TimeChoiceForm,
    book: Callable[[datetime], T],
    fields: Collection[str] = ("address",),
    *,
    current: bool = True,
) -> Attempt[T]:
    """Check the form and book at the chosen time. A form not sent, not valid or
    not ``current`` (its idempotency key is an old one) books nothing."""
    if form.validate_on_submit() and current:
        return book_at_chosen_time(form, book, fields)
    return untried(form)


def untried(form: TimeChoiceForm) -> Attempt[Any]:
    """Nothing booked, nothing tried: 400 for a form that did not validate, else a
    plain 200."""
    return Attempt(status=400 if form.errors else 200)


def open_booked(
    state_name: str, state: web.State, public_id: str, message: str
) -> WerkzeugResponse:
    """Mark the page's state booked (a second submit books nothing more), say so,
    and open the new session."""
    web.save_state(state_name, {**state, "booked": public_id})
    flash(message, "success")
    return redirect(url_for("calendar.session_page", public_id=public_id))
