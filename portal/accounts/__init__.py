"""Accounts: log-in for families and staff, TOTP for staff, staff administration."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from portal.accounts import (  # noqa: E402,F401  (routes)
    leader_views,
    password_views,
    staff_views,
    totp_views,
    views,
)
