"""Error pages in the portal's layout and the reader's language."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    InternalServerError,
    SecurityError,
)

logger = logging.getLogger(__name__)

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
        _l("Check the address, or go to the front page."),
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


def render_error(code: int):
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    return render_template("errors/error.html", code=code, title=title, text=text), code


def handle_http_exception(error: HTTPException):
    code = error.code or 500
    if code not in ERROR_TEXTS:
        return error
    return render_error(code)


def handle_csrf_error(_error: CSRFError):
    return render_template(
        "errors/error.html",
        code=400,
        title=_l("The page was too old"),
        text=_l(
            "The form had expired or was not sent from our site. "
            "Go back, reload the page and try again."
        ),
    ), 400


def handle_untrusted_host(error: SecurityError):
    """A Host header outside TRUSTED_HOSTS: a plain 400. No page of ours, since
    nothing may build an address from that host; the log tells the operator
    (a proxy that does not pass the Host on ends here too)."""
    logger.warning("Refused a request: %s (see TRUSTED_HOSTS)", error.description)
    return BadRequest()


def handle_unexpected(_error: Exception):
    return render_error(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(SecurityError, handle_untrusted_host)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(InternalServerError, handle_unexpected)
