"""The leader's overview at /leder: numbers per week, no personal data."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template, request
from flask.typing import ResponseReturnValue

from portal import db
from portal.accounts.models import Role
from portal.calendar import bp, stats, web
from portal.calendar.grid import monday_of
from portal.security import roles_required

WEEKS_SHOWN = 12
#: Weeks after the current one in the default view (booked sessions lie ahead).
WEEKS_AHEAD = 3


@bp.get("/leder")
@roles_required(Role.LEADER)
def leader_overview() -> ResponseReturnValue:
    if "til" in request.args:
        last_monday = monday_of(web.chosen_day("til"))
    else:
        last_monday = monday_of(web.today()) + timedelta(weeks=WEEKS_AHEAD)
    first_monday = last_monday - timedelta(weeks=WEEKS_SHOWN - 1)
    return render_template(
        "calendar/leader.html",
        overview=stats.overview(db.session(), first_monday, WEEKS_SHOWN),
        earlier=last_monday - timedelta(weeks=WEEKS_SHOWN),
        later=last_monday + timedelta(weeks=WEEKS_SHOWN),
        current_week=monday_of(web.today()),
    )
