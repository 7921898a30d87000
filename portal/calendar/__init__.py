"""The counsellor's calendar: availability, day/week/list views, session actions,
booking on behalf of a caller, and the leader's overview."""

from importlib.util import find_spec

from flask import Blueprint

bp = Blueprint("calendar", __name__)

from portal.availability import views as availability_views  # noqa: E402, F401
from portal.calendar import (  # noqa: E402, F401
    leader_views,
    on_behalf_views,
    views,
)

# The iCalendar feed registers its own routes on ``bp`` when it is there.
if find_spec("portal.calendar.feed") is not None:
    from portal.calendar import feed  # noqa: E402, F401
