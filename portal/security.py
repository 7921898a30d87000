"""Cross-cutting security: headers, log-in sessions, role guards, rate-limit keys.

Nothing here stores or logs a client's IP address: rate-limit counters are keyed by
a keyed hash that changes every day, held only in memory or Redis.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_login import LoginManager, current_user, logout_user
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()


def client_key() -> str:
    """A rate-limit key for the client that is never its IP address in clear.

    HMAC of the address with a key derived from SECRET_KEY and today's date: the
    counters work, yet yesterday's keys cannot be linked to today's or reversed.
    """
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    daily_key = hmac.new(
        current_app.config["SECRET_KEY"].encode(), day.encode(), hashlib.sha256
    ).digest()
    address = (request.remote_addr or "unknown").encode()
    return hmac.new(daily_key, address, hashlib.sha256).hexdigest()[:32]


def keyed_value(value: str) -> str:
    """A daily-rotating keyed hash of a value, e.g. an e-mail as a rate-limit key."""
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    key = hmac.new(
        current_app.config["SECRET_KEY"].encode(), b"v:" + day.encode(), hashlib.sha256
    ).digest()
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()[
        :32
    ]


limiter = Limiter(key_func=client_key)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if current_user.is_authenticated or getattr(request, "no_store", False):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def mark_no_store() -> None:
    """Ask for ``Cache-Control: no-store`` on a page that shows personal data."""
    request.no_store = True


# --- log-in sessions ----------------------------------------------------------


def start_login_session(user) -> None:
    """Begin a fresh session for ``user``: nothing from before log-in survives.

    Clearing the cookie session rotates it; the user id Flask-Login stores carries the
    user's session version, so bumping the version ends every older session.
    """
    from flask_login import login_user

    session.clear()
    login_user(user)
    now = int(datetime.now(UTC).timestamp())
    session["login_at"] = now
    session["seen_at"] = now
    session.permanent = False


def end_login_session() -> None:
    logout_user()
    session.clear()


def enforce_session_limits() -> Response | None:
    """End logged-in sessions that were idle too long or are too old, server-side."""
    if not current_user.is_authenticated:
        return None
    now = datetime.now(UTC)
    login_at = datetime.fromtimestamp(session.get("login_at", 0), UTC)
    seen_at = datetime.fromtimestamp(session.get("seen_at", 0), UTC)
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    if now - seen_at > idle or now - login_at > absolute:
        end_login_session()
        flash(
            _l("You were logged in too long without using the page. Log in again."),
            "info",
        )
        return redirect(url_for("main.index"))
    session["seen_at"] = int(now.timestamp())
    return None


# --- role guards --------------------------------------------------------------


def roles_required(*roles: str) -> Callable:
    """Let only logged-in users with one of ``roles`` in; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


_LEADING_ADDRESS = re.compile(r"^\S+ - - \[")


class _NoClientAddress(logging.Filter):
    """Strip the client address from the development server's request log."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _LEADING_ADDRESS.sub("client - - [", str(record.msg), count=1)
        return True


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = None  # we rotate and version sessions ourselves
    app.after_request(set_security_headers)
    app.before_request(enforce_session_limits)
    logging.getLogger("werkzeug").addFilter(_NoClientAddress())
