"""Anonymous counselling: up to five sessions booked and managed with a booking code."""

from flask import Blueprint

bp = Blueprint("booking", __name__)

from portal.booking.meeting import meeting_text  # noqa: E402

bp.add_app_template_global(meeting_text, "meeting_text")

from portal.booking import (  # noqa: E402,F401  (registers routes)
    views,
    views_change_session,
    views_confirm,
    views_contact,
    views_my_booking,
    views_next_session,
    views_print,
)
