"""The day, week and list views of a counsellor's calendar (or, for a leader, the
counsellor they chose)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import db
from portal.accounts.models import Role, User
from portal.calendar import access, bp, web
from portal.calendar.grid import Period, monday_of
from portal.calendar.period import load_period
from portal.feedback.counsellor import low_rated_ids

LIST_DAYS = 28


def _low_rated(owner: User | None, period: Period | None) -> set[int]:
    """The owner's sessions in the period that families rated low, marked for the
    counsellor only (leaders see aggregates, not single ratings)."""
    if owner is None or period is None or owner.id != current_user.id:
        return set()
    return low_rated_ids(db.session(), owner.id, (s.id for s in period.sessions))


def _period_page(
    view: str, n_days: int, first_day_of: Callable[[date], date] = lambda day: day
) -> str:
    """The period of ``n_days`` from ``first_day_of`` the chosen day; the arrows
    step a whole period back or on."""
    day = web.chosen_day()
    first_day = first_day_of(day)
    step = timedelta(days=n_days)
    owner = web.owner(optional=True)
    period = None
    if owner is not None:
        period = load_period(
            db.session(),
            owner.id,
            first_day,
            n_days,
            closed_dates=web.closed_dates(),
            today=web.today(),
            holiday_language=web.holiday_language(),
            with_grid=view != "list",
        )
    return render_template(
        f"calendar/{view}.html",
        low_rated=_low_rated(owner, period),
        view=view,
        owner=owner,
        period=period,
        day=day,
        previous=first_day - step,
        following=first_day + step,
        today=web.today(),
        words=web.words(),
        counsellors=access.counsellors(db.session())
        if current_user.role == Role.LEADER
        else [],
    )


@bp.get("/kalender")
@web.staff_only
def week() -> ResponseReturnValue:
    return _period_page("week", 7, monday_of)


@bp.get("/kalender/dag")
@web.staff_only
def day_view() -> ResponseReturnValue:
    return _period_page("day", 1)


@bp.get("/kalender/liste")
@web.staff_only
def list_view() -> ResponseReturnValue:
    return _period_page("list", LIST_DAYS)
