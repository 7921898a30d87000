"""Logging in for the benchmarks: in-process (Flask's test client, to count a
page's statements) and over HTTP (``bench.load.Client``, for the load test).

Staff codes work once per time step: the in-process log-in uses this step's
code, the HTTP one the next step's (accepted too), so one account can do both.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp

from bench import load as http_load

STAFF_LOG_IN = "/medarbejder/log-ind"
MEMBER_LOG_IN = "/log-ind"


def _token(page: str) -> str:
    match = http_load.CSRF_INPUT.search(page)
    if match is None:
        raise RuntimeError("no CSRF token in the page")
    return next(group for group in match.groups() if group)


def _test_client_posting(app, steps: list[tuple[str, dict[str, str]]]):
    """A test client that posted each form of ``steps`` (GET it, POST it with its
    CSRF token); the last answer must be a redirect."""
    client = app.test_client()
    response = None
    for url, data in steps:
        token = _token(client.get(url).get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token, **data})
    if response is None or response.status_code != 302:
        status = response.status_code if response is not None else "nothing"
        raise RuntimeError(f"in-process log-in answered {status}")
    return client


def staff_test_client(app, email: str, password: str, totp_secret: str):
    """The in-process test client, logged in as a staff member."""
    return _test_client_posting(
        app,
        [
            (STAFF_LOG_IN, {"email": email, "password": password}),
            (f"{STAFF_LOG_IN}/kode", {"code": pyotp.TOTP(totp_secret).now()}),
        ],
    )


def member_test_client(app, email: str, password: str):
    """The in-process test client, logged in as a family member ("uden MitID")."""
    return _test_client_posting(
        app, [(MEMBER_LOG_IN, {"email": email, "password": password})]
    )


def log_in_staff(
    client: http_load.Client, email: str, password: str, totp_secret: str
) -> dict[str, str]:
    """Log a load client in as staff with the next step's code; its cookies."""
    totp = pyotp.TOTP(totp_secret)
    client.post_form(STAFF_LOG_IN, {"email": email, "password": password})
    code = totp.generate_otp(totp.timecode(datetime.now(UTC)) + 1)
    client.post_form(f"{STAFF_LOG_IN}/kode", {"code": code})
    return dict(client.cookies)


def log_in_member(
    client: http_load.Client, email: str, password: str
) -> dict[str, str]:
    """Log a load client in as a family member by password; its cookies."""
    client.post_form(MEMBER_LOG_IN, {"email": email, "password": password})
    return dict(client.cookies)
