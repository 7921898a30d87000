"""Log-in sessions: a fresh session at log-in, an ended one at log-out, and the
idle and absolute limits checked on every request."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from flask import current_app, flash, redirect, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response as WerkzeugResponse

if TYPE_CHECKING:
    from portal.accounts.models import User

#: How the current session was started, for decisions that must say it (a consent).
LOGIN_METHOD = "login_method"
LOGIN_LEVEL = "login_level"


class LoginMethod(enum.StrEnum):
    PASSWORD = "password"  # noqa: S105 - a method's name, not a secret
    MITID = "mitid"


@dataclass(frozen=True)
class HowLoggedIn:
    """How the person behind a request logged in: MitID with the assurance level
    the provider vouched for, or a password (``level`` empty)."""

    method: LoginMethod
    level: str = ""


#: Set in the session at log-out: the next page asks the browser to clear the site.
CLEAR_SITE_DATA = "clear_site_data"


def start_login_session(
    user: User, *, method: LoginMethod = LoginMethod.PASSWORD, level: str = ""
) -> None:
    """Begin a fresh session for ``user``: nothing from before log-in survives.
    The session remembers how they logged in (``how_logged_in``).

    Clearing the cookie session rotates it; the user id Flask-Login stores carries the
    user's session version, so bumping the version ends every older session.
    """
    from flask_login import login_user

    session.clear()
    login_user(user)
    now = int(datetime.now(UTC).timestamp())
    session["login_at"] = now
    session["seen_at"] = now
    session[LOGIN_METHOD] = str(method)
    session[LOGIN_LEVEL] = level
    session.permanent = False


def how_logged_in() -> HowLoggedIn:
    """How the current session was started; a password when it does not say
    (sessions from before this was recorded)."""
    try:
        method = LoginMethod(session.get(LOGIN_METHOD, LoginMethod.PASSWORD))
    except ValueError:
        method = LoginMethod.PASSWORD
    level = str(session.get(LOGIN_LEVEL, "")) if method == LoginMethod.MITID else ""
    return HowLoggedIn(method, level)


def end_login_session() -> None:
    logout_user()
    session.clear()


def clear_site_data_after_log_out() -> None:
    """Have the page after log-out ask the browser to drop this site's cookies and
    stored data, so nothing of the session stays on a shared computer.

    Not the log-out response itself: the browser would then also drop the new
    cookie that carries "You are logged out" to the next page."""
    session[CLEAR_SITE_DATA] = True


def enforce_session_limits() -> WerkzeugResponse | None:
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
