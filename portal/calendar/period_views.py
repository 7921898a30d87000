"""The day, week and list views of a counsellor's calendar (or, for a leader, the
counsellor they chose)."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask_login import current_user

from portal import db
from portal.accounts.models import Role
from portal.calendar import access, bp, web
from portal.calendar.grid import monday_of
from portal.calendar.period import load_period

LIST_DAYS = 28


def _period_page(view: str, first_day, n_days: int, previous, following, day):
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
        view=view,
        owner=owner,
        period=period,
        day=day,
        previous=previous,
        following=following,
        today=web.today(),
        words=web.words(),
        counsellors=access.counsellors(db.session())
        if current_user.role == Role.LEADER
        else [],
    )


@bp.get("/kalender")
@web.staff_only
def week():
    day = web.chosen_day()
    monday = monday_of(day)
    return _period_page(
        "week", monday, 7, monday - timedelta(weeks=1), monday + timedelta(weeks=1), day
    )


@bp.get("/kalender/dag")
@web.staff_only
def day_view():
    day = web.chosen_day()
    return _period_page(
        "day", day, 1, day - timedelta(days=1), day + timedelta(days=1), day
    )


@bp.get("/kalender/liste")
@web.staff_only
def list_view():
    day = web.chosen_day()
    return _period_page(
        "list",
        day,
        LIST_DAYS,
        day - timedelta(days=LIST_DAYS),
        day + timedelta(days=LIST_DAYS),
        day,
    )
