"""The counsellor's calendar: availability, day/week/list views, session actions,
booking on behalf of a caller, and the leader's overview."""

from flask import Blueprint

bp = Blueprint("calendar", __name__)

from portal.calendar import (  # noqa: E402, F401
    availability_views,
    conflict_views,
    family_views,
    feed_views,
    leader_views,
    on_behalf_next_views,
    on_behalf_views,
    period_views,
    settings_views,
    views,
)
