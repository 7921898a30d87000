"""Helpers the calendar's views share: whose calendar, which day, URLs, and the
small state kept in the (encrypted) session between two requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypedDict

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from flask import abort, current_app, g, redirect, request, session, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import crypto, db, parsing
from portal.accounts.models import Role, User
from portal.availability.changes import (
    Blocker,
    Change,
    change_from_dict,
    change_to_dict,
)
from portal.booking.slots import Slot
from portal.calendar import access, bp, services
from portal.calendar.grid import monday_of
from portal.calendar.words import Words, session_title, status_name
from portal.db import utcnow
from portal.i18n import LOCAL, WEEKDAYS, language_label, mode_name
from portal.security import mark_no_store, roles_required
from portal.timeutil import local_midnight, time_value

staff_only = roles_required(Role.COUNSELLOR, Role.LEADER)
COUNSELLOR_ARG = "raadgiver"


@bp.before_request
def no_store() -> None:
    """Calendar pages show sessions and notes: never in any cache."""
    mark_no_store()


def today() -> date:
    return utcnow().astimezone(LOCAL).date()


def chosen_day(name: str = "dato") -> date:
    """The ``?dato=YYYY-MM-DD`` of the page; today if missing or nonsense, 400 if
    outside the calendar's range (the week around it would overflow)."""
    try:
        day = date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return today()
    if not parsing.in_calendar_range(day):
        abort(400)
    return day


def owner(optional: bool = False) -> User | None:
    """The counsellor whose calendar is shown: 403 if the viewer may not see it,
    404 for an unknown counsellor; None for a leader when nobody counsels yet."""
    try:
        found = access.calendar_owner(
            db.session(), current_user, request.args.get(COUNSELLOR_ARG)
        )
    except PermissionError:
        abort(403)
    except LookupError:
        abort(404)
    if found is None and not optional:
        abort(404)
    g.calendar_owner = found
    return found


def counsellor() -> User:
    """The counsellor whose availability is shown (``owner`` answers 403/404;
    without ``optional`` it has answered 404 for nobody already)."""
    found = owner()
    if found is None:
        abort(404)
    return found


def to_availability() -> WerkzeugResponse:
    return redirect(cal_url("calendar.availability"))


@bp.app_template_global()
def cal_url(endpoint: str, **values: Any) -> str:  # url_for's own values: Any
    """``url_for`` that keeps a leader on the counsellor they chose."""
    chosen = g.get("calendar_owner")
    if (
        chosen is not None
        and current_user.is_authenticated
        and current_user.role == Role.LEADER
    ):
        values.setdefault(COUNSELLOR_ARG, chosen.public_id)
    return url_for(endpoint, **values)


def words() -> Words:
    """The calendar's repeated words for this page, in the reader's language."""
    time_format = "%H.%M" if str(get_locale() or "da") == "da" else "%H:%M"
    return Words(url_for("calendar.session_page", public_id="_"), time_format)


def holiday_language() -> str:
    return "da" if str(get_locale() or "da") == "da" else "en_US"


def closed_dates() -> list[str]:
    dates: list[str] = current_app.config["BOOKING_CLOSED_DATES"]
    return dates


@bp.record_once
def _template_globals(state: BlueprintSetupState) -> None:
    """Globals, not context: macros imported without context use them too."""
    state.app.jinja_env.globals.update(
        session_title=session_title,
        status_name=status_name,
        mode_name=mode_name,
        language_name=language_label,
        weekdays=WEEKDAYS,
        number=number,
    )


@bp.app_context_processor
def calendar_helpers() -> dict[str, bool]:
    return {
        "feed_available": "calendar.feed_settings" in current_app.view_functions,
    }


def number(value: float | None) -> str:
    """A figure in the reader's form (``3,5`` in Danish); a dash for none."""
    if value is None:
        return "–"
    return format_decimal(value, locale=str(get_locale() or "da"))


# --- short-lived state between requests (encrypted in the session cookie) -------------

#: What ``save_state`` keeps: JSON, so its values are whatever JSON decodes to.
State = dict[str, Any]


def save_state(name: str, value: State) -> None:
    value = {**value, "at": int(datetime.now(UTC).timestamp())}
    session[name] = crypto.encrypt(json.dumps(value))


def load_state(name: str, max_age: timedelta) -> State | None:
    token = session.get(name)
    if not token:
        return None
    try:
        value: State = json.loads(crypto.decrypt(token))
    except Exception:  # noqa: BLE001 - an old key or a damaged cookie: forget it
        session.pop(name, None)
        return None
    if datetime.now(UTC).timestamp() - value.get("at", 0) > max_age.total_seconds():
        session.pop(name, None)
        return None
    return value


def clear_state(name: str) -> None:
    session.pop(name, None)


PENDING = "calendar_pending_change"
PENDING_LIFETIME = timedelta(hours=2)


def pending_change(owner: User) -> Change | None:
    """The change waiting for its conflicts to be resolved, if it is ``owner``'s."""
    state = load_state(PENDING, PENDING_LIFETIME)
    if not state or state.get("owner") != owner.public_id:
        return None
    return change_from_dict(state["change"])


def keep_pending(owner: User, change: Change) -> None:
    save_state(PENDING, {"owner": owner.public_id, "change": change_to_dict(change)})


def week_offset() -> int:
    try:
        return max(0, int(request.args.get("uge", "0")))
    except ValueError:
        return 0


def free_week(
    counsellor_id: int,
    *,
    mode: str,
    language: str,
    offset: int,
    weeks_ahead: int,
    ignore_session_id: int | None = None,
    blocks: Blocker | None = None,
) -> FreeWeek:
    """One week (``offset`` from this one) of the counsellor's free slots, by day."""
    offset = max(0, min(offset, weeks_ahead))
    monday = monday_of(today()) + timedelta(weeks=offset)
    now = utcnow()
    found = services.own_free_slots(
        db.session(),
        counsellor_id,
        max(now, local_midnight(monday)),
        local_midnight(monday + timedelta(weeks=1)),
        mode=mode,
        language=language,
        ignore_session_id=ignore_session_id,
        blocks=blocks,
        now=now,
    )
    days: dict[date, list[Slot]] = {}
    for slot in found:
        days.setdefault(slot.starts_at.astimezone(LOCAL).date(), []).append(slot)
    return {
        "offset": offset,
        "monday": monday,
        "week_number": monday.isocalendar().week,
        "days": days,
        "has_previous": offset > 0,
        "has_next": offset < weeks_ahead,
        "time_value": time_value,
    }


class FreeWeek(TypedDict):
    """What the time-choice templates get for one week of free times."""

    offset: int
    monday: date
    week_number: int
    days: dict[date, list[Slot]]
    has_previous: bool
    has_next: bool
    time_value: Callable[[datetime], str]


_DAY_PATTERNS = {"da": "EEEE d. MMMM", "en": "EEEE d MMMM"}
_SHORT_PATTERNS = {"da": "d. MMMM y", "en": "d MMMM y"}


@bp.app_template_filter("weekday_date")
def weekday_date(value: date) -> str:
    """``mandag 23. marts``: a day column's heading."""
    locale = str(get_locale() or "da")
    return babel_format_date(
        value, _DAY_PATTERNS.get(locale, "EEEE d MMMM"), locale=locale
    )


@bp.app_template_filter("short_date")
def short_date(value: date) -> str:
    """``23. marts 2026``."""
    locale = str(get_locale() or "da")
    return babel_format_date(
        value, _SHORT_PATTERNS.get(locale, "d MMMM y"), locale=locale
    )
