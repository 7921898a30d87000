"""Cross-cutting security: headers, role guards, rate-limit keys, the reverse proxy
and absolute addresses. Log-in sessions live in ``login_sessions``.

Nothing here stores or logs a client's IP address: rate-limit counters are keyed by
a keyed hash that changes every day, held only in memory or Redis.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache, wraps
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response as WerkzeugResponse

from portal.login_sessions import CLEAR_SITE_DATA, enforce_session_limits

P = ParamSpec("P")
R = TypeVar("R")
#: Set in the WSGI environment of a request whose page shows personal data.
NO_STORE = "portal.no_store"

login_manager = LoginManager()
csrf = CSRFProtect()


def client_key() -> str:
    """A rate-limit key for the client that is never its IP address in clear.

    Behind TRUSTED_PROXIES proxies, ProxyFix has put the client's own address (from
    X-Forwarded-For) in ``remote_addr``; otherwise it is the connecting peer's.

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


def content_security_policy() -> str:
    """The policy of every response. Forms go to us only, except that the MitID
    buttons (log in, log out) answer with a redirect to the provider, and browsers
    hold a form's redirects to ``form-action`` too: the provider's origin is let in."""
    issuer = urlsplit(current_app.config["OIDC_ISSUER"])
    return _policy(f"{issuer.scheme}://{issuer.netloc}" if issuer.netloc else "")


@cache
def _policy(mitid_origin: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            f"form-action 'self' {mitid_origin}".strip(),
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy()
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if response.status_code == 200 and session.pop(CLEAR_SITE_DATA, False):
        headers["Clear-Site-Data"] = '"cookies", "storage"'
    if current_user.is_authenticated or request.environ.get(NO_STORE, False):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def mark_no_store() -> None:
    """Ask for ``Cache-Control: no-store`` on a page that shows personal data."""
    request.environ[NO_STORE] = True


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute address on PORTAL_BASE_URL, for QR codes and calendar clients.

    Never ``url_for(_external=True)``: that takes the host from the request, so a
    forged Host header would put someone else's address in front of the user.
    ``url_for`` includes the mount point, which PORTAL_BASE_URL already names."""
    path = url_for(endpoint, **values).removeprefix(request.script_root)
    base_url: str = current_app.config["PORTAL_BASE_URL"]
    return base_url + path


# --- role guards --------------------------------------------------------------


def roles_required(
    *roles: str,
) -> Callable[[Callable[P, R]], Callable[P, R | WerkzeugResponse]]:
    """Let only logged-in users with one of ``roles`` in; others get 403."""

    def decorator(view: Callable[P, R]) -> Callable[P, R | WerkzeugResponse]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | WerkzeugResponse:
            if not current_user.is_authenticated:
                to_log_in: WerkzeugResponse = login_manager.unauthorized()
                return to_log_in
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


HOST_ONLY_PREFIX = "__Host-"


def _name_session_cookie(app: Flask) -> None:
    """Prefix a Secure session cookie with ``__Host-``: browsers then refuse it
    unless it came over HTTPS from this very host (Path=/, no Domain), so neither a
    sibling subdomain nor a plain-HTTP page can plant or overwrite it. Browsers also
    drop a ``__Host-`` cookie that is not Secure, so development keeps the plain
    name."""
    name = app.config["SESSION_COOKIE_NAME"]
    if app.config["SESSION_COOKIE_SECURE"] and not name.startswith(HOST_ONLY_PREFIX):
        app.config["SESSION_COOKIE_NAME"] = HOST_ONLY_PREFIX + name


def _trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address and the
    scheme from the X-Forwarded-For and X-Forwarded-Proto entries those proxies
    added (and only those): rate limits then count each client, and HTTPS is seen
    as HTTPS. Without proxies the headers are ignored, as any client can send them.
    The Host header must be passed on by the proxy; TRUSTED_HOSTS checks it."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        # Flask's documented way to wrap the WSGI app; mypy sees a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops
        )


def init_app(app: Flask) -> None:
    _trust_proxies(app)
    _name_session_cookie(app)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = None  # we rotate and version sessions ourselves
    app.after_request(set_security_headers)
    app.before_request(enforce_session_limits)
    logging.getLogger("werkzeug").addFilter(_NoClientAddress())
