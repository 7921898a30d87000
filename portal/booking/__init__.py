"""Anonymous counselling: up to five sessions booked and managed with a booking code."""

from flask import Blueprint

bp = Blueprint("booking", __name__)

from portal.booking import (  # noqa: E402,F401  (registers routes)
    views,
    views_change_session,
    views_confirm,
    views_contact,
    views_my_booking,
    views_next_session,
)
