"""Error pages in the portal's layout and the reader's language.

Refused requests (403, 429, a failed CSRF check) are security events: each is
logged with the account, if one is known, and the page's URL rule.
"""

from __future__ import annotations

import logging

from flask import Flask, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from limits import RateLimitItemPerMinute
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    InternalServerError,
    SecurityError,
)

from portal import audit, db
from portal.accounts import services as account_services
from portal.accounts.models import User
from portal.audit import AuditAction
from portal.security import limiter

log = logging.getLogger(__name__)

#: One row a minute per event, account and page: a flood of refused requests
#: cannot fill the append-only log.
_SAME_EVENT_LOGGED = RateLimitItemPerMinute(1)
_LOGGED_REFUSALS = {403: AuditAction.FORBIDDEN, 429: AuditAction.RATE_LIMITED}

ERROR_TEXTS = {
    400: (
        _l("We could not understand the request"),
        _l(
            "Something in what was sent was wrong or incomplete. Go back and try again."
        ),
    ),
    403: (
        _l("You do not have access to this page"),
        _l("The page exists, but you are not allowed to see it."),
    ),
    404: (
        _l("The page does not exist"),
        _l("Maybe there is an error in the link."),
    ),
    405: (
        _l("That cannot be done here"),
        _l("The page cannot be used that way. Go to the front page."),
    ),
    413: (
        _l("Too much was sent"),
        _l("What you sent was too large. Try again with less."),
    ),
    429: (
        _l("Too many attempts"),
        _l(
            "You have tried too many times in a short time. "
            "Wait a little, and try again."
        ),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l(
            "It is not your fault. Try again in a little while. "
            "Call us if it keeps happening."
        ),
    ),
}


def render_error(code: int) -> tuple[str, int]:
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    return render_template("errors/error.html", code=code, title=title, text=text), code


def _account_of_request() -> User | None:
    """The account a refused request was about: the user logged in, the one half
    way through the staff log-in, or the account a log-in form names."""
    if current_user.is_authenticated:
        user: User = current_user._get_current_object()
        return user
    db_session = db.session()
    pending = session.get("pending_login")
    if pending:
        return db_session.scalar(select(User).where(User.public_id == pending["user"]))
    email = request.form.get("email", "") if request.method == "POST" else ""
    if not email:
        return None
    return account_services.find_user_by_email(
        db_session, email
    ) or account_services.find_member_by_email(db_session, email)


def _first_in_a_minute(action: AuditAction, account: User | None, rule: str) -> bool:
    key = account.public_id if account is not None else "-"
    try:
        return limiter.limiter.hit(_SAME_EVENT_LOGGED, "audit", action, key, rule)
    except Exception:  # noqa: BLE001 - limit storage down: log every event
        return True


def log_refusal(action: AuditAction) -> None:
    """Record a refused request, at most once a minute for the same account and
    page. Never lets logging turn the refusal into a 500."""
    db_session = db.session()
    try:
        # Nothing the refused request did may be committed with the event.
        db_session.rollback()
        account = _account_of_request()
        rule = request.url_rule.rule if request.url_rule is not None else ""
        if not _first_in_a_minute(action, account, rule):
            return
        audit.record_security_event(
            db_session,
            action,
            actor=account if current_user.is_authenticated else None,
            account=account,
        )
        db_session.commit()
    except SQLAlchemyError:
        db_session.rollback()
        log.warning("could not log a security event (%s)", action)


def handle_http_exception(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    if code not in ERROR_TEXTS:
        return error
    if code in _LOGGED_REFUSALS:
        log_refusal(_LOGGED_REFUSALS[code])
    return render_error(code)


def handle_csrf_error(_error: CSRFError) -> tuple[str, int]:
    log_refusal(AuditAction.CSRF_FAILED)
    return render_template(
        "errors/error.html",
        code=400,
        title=_l("The page was too old"),
        text=_l(
            "The form had expired or was not sent from our site. "
            "Go back, reload the page and try again."
        ),
    ), 400


def handle_untrusted_host(error: SecurityError) -> BadRequest:
    """A Host header outside TRUSTED_HOSTS: a plain 400. No page of ours, since
    nothing may build an address from that host; the log tells the operator
    (a proxy that does not pass the Host on ends here too)."""
    log.warning("Refused a request: %s (see TRUSTED_HOSTS)", error.description)
    return BadRequest()


def handle_unexpected(_error: Exception) -> tuple[str, int]:
    return render_error(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(SecurityError, handle_untrusted_host)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(InternalServerError, handle_unexpected)
