"""Anonymous counselling: up to five sessions booked and managed with a booking code."""

from flask import Blueprint

bp = Blueprint("booking", __name__)

from portal.booking import my_booking, views  # noqa: E402,F401  (registers routes)
