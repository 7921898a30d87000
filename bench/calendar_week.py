"""Benchmark of the counsellor's week view: ``python -m bench.calendar_week``.

Seeds a throwaway schema (PostgreSQL) or file (SQLite) with one counsellor and
5,000 sessions over two and a half years, then

* counts the SQL statements of one week view in-process (it must not grow with
  the number of sessions: no N+1), and
* measures its latency under 10 concurrent clients against gunicorn (2 workers,
  gthread) on 127.0.0.1, for a bounded time, and prints p50/p95, next to the same
  load on ``/healthz`` (one trivial query): the floor of the machine it runs on.

``run(database_url) -> dict`` is what ``make bench`` can call; the schema it
creates is dropped and gunicorn stopped whatever happens. Environment:
``BENCH_DATABASE_URL`` (default: local PostgreSQL ``test``), ``BENCH_SECONDS``.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from urllib.parse import urlencode

from cryptography.fernet import Fernet
from sqlalchemy import event, insert, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SESSIONS = 5_000
CLIENTS = 10
WORKERS = 2
THREADS = 4
LOAD_SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WARMUP_SECONDS = 1.0
#: A hard cap per client, so the loop ends even if the clock misbehaves.
MAX_REQUESTS_PER_CLIENT = 5_000
P95_TARGET_MS = 100
PASSWORD = "benchmark-password-" + secrets.token_hex(4)
EMAIL = "bench.raadgiver@example.dk"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _secrets() -> dict[str, str]:
    return {
        "PORTAL_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BOOKING_CODE_KEY": secrets.token_urlsafe(32),
        # Every client comes from 127.0.0.1: rate limits would make this a 429 test.
        "RATELIMIT_ENABLED": "false",
    }


@contextmanager
def _environment(values: dict[str, str]):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _throwaway_database(url: str):
    """A URL of an empty database of our own; removed at the end."""
    if url.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'calendar-bench.db'}"
        return
    from portal.db import make_engine

    schema = f"bench_calendar_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _seed(app, monday: date) -> tuple[str, int]:
    """One counsellor with 5,000 sessions (1,000 courses of five); returns the
    TOTP secret and the number of sessions in the measured week."""
    import pyotp

    from portal import db
    from portal.accounts import services as accounts
    from portal.accounts.models import Role
    from portal.booking.models import (
        AvailabilitySpan,
        CounsellingSession,
        CounsellorSettings,
        Course,
    )
    from portal.booking.slots import LOCAL
    from portal.db import Base

    Base.metadata.create_all(app.extensions["db_engine"])
    with app.app_context():
        session = db.session()
        user = accounts.create_user(
            session,
            email=EMAIL,
            name="Bench Rådgiver",
            role=Role.COUNSELLOR,
            password=PASSWORD,
        )
        user.totp_secret = pyotp.random_base32()
        session.add(CounsellorSettings(counsellor_id=user.id, languages="da,en"))
        for weekday in range(5):
            session.add(
                AvailabilitySpan(
                    counsellor_id=user.id,
                    weekday=weekday,
                    start_time=clock_time(8),
                    end_time=clock_time(16),
                    modes="home,centre,phone,video",
                )
            )
        session.flush()
        # Eight one-hour sessions per weekday, the measured week in the middle.
        days_needed = SESSIONS // 8
        first = monday - timedelta(weeks=days_needed // 5 // 2)
        starts = []
        day = first
        while len(starts) < SESSIONS:
            if day.weekday() < 5:
                for hour in range(8, 16):
                    local = datetime.combine(day, clock_time(hour), tzinfo=LOCAL)
                    starts.append(local.astimezone(UTC))
            day += timedelta(days=1)
        starts = starts[:SESSIONS]
        now = datetime.now(UTC)
        course_rows = [
            {
                "code_hash": secrets.token_hex(32),
                "pseudonym": f"Bench {n}",
                "sessions_counted": 5,
                "created_at": now,
                "last_activity_at": now,
            }
            for n in range(SESSIONS // 5)
        ]
        session.execute(insert(Course), course_rows)
        course_ids = list(session.scalars(text("SELECT id FROM anonymous_courses")))
        modes = ("home", "centre", "phone", "video")
        statuses = ("held", "held", "held", "no_show", "cancelled")
        session_rows = []
        for n, start in enumerate(starts):
            past = start < now
            session_rows.append(
                {
                    "course_id": course_ids[n % len(course_ids)],
                    "counsellor_id": user.id,
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=1),
                    "mode": modes[n % 4],
                    "status": statuses[n % 5] if past else "booked",
                    "created_at": now,
                }
            )
        session.execute(insert(CounsellingSession), session_rows)
        session.commit()
        week_start = datetime.combine(monday, clock_time(0), tzinfo=LOCAL)
        in_week = sum(
            1
            for start in starts
            if week_start <= start < week_start + timedelta(weeks=1)
        )
        return user.totp_secret, in_week


class Browser:
    """A tiny HTTP client with a cookie jar and CSRF tokens, over http.client."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None):
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Accept-Language": "da"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, payload
        finally:
            connection.close()

    def post_form(self, path: str, data: dict):
        _status, page = self.request("GET", path)
        token = CSRF.search(page)
        if token is None:
            raise RuntimeError(f"no CSRF token on {path}")
        return self.request("POST", path, {"csrf_token": token.group(1), **data})


def _log_in(browser, totp_secret: str) -> None:
    import pyotp

    status, _ = browser.post_form(
        "/medarbejder/log-ind", {"email": EMAIL, "password": PASSWORD}
    )
    if status != 302:
        raise RuntimeError(f"log-in answered {status}")
    totp = pyotp.TOTP(totp_secret)
    # The in-process count used this time step's code; codes work once.
    code = totp.generate_otp(totp.timecode(datetime.now(UTC)) + 1)
    status, _ = browser.post_form("/medarbejder/log-ind/kode", {"code": code})
    if status != 302:
        raise RuntimeError(f"TOTP step answered {status}")


def _logged_in_client(app, totp_secret: str):
    """The test client, logged in as the counsellor (a TOTP code works once)."""
    import pyotp

    client = app.test_client()

    def post(url, data):
        page = client.get(url).get_data(as_text=True)
        token = CSRF.search(page).group(1)
        return client.post(url, data={"csrf_token": token, **data})

    post("/medarbejder/log-ind", {"email": EMAIL, "password": PASSWORD})
    response = post(
        "/medarbejder/log-ind/kode", {"code": pyotp.TOTP(totp_secret).now()}
    )
    if response.status_code != 302:
        raise RuntimeError(f"in-process log-in answered {response.status_code}")
    return client


def _count_queries(app, client, path: str) -> tuple[int, int]:
    """Statements of one week view, in-process; and the entries it shows."""
    statements: list[str] = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", remember)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    if response.status_code != 200:
        raise RuntimeError(f"week view answered {response.status_code}")
    return len(statements), response.get_data(as_text=True).count("cal-entry ")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _gunicorn(env: dict[str, str]):
    port = _free_port()
    command = [
        str(Path(sys.prefix) / "bin" / "gunicorn"),
        "--workers",
        str(WORKERS),
        "--worker-class",
        "gthread",
        "--threads",
        str(THREADS),
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(ROOT),
        "--log-level",
        "warning",
        "wsgi:app",
    ]
    process = subprocess.Popen(  # noqa: S603 - our own command line
        command, env={**os.environ, **env}, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("gunicorn stopped at start-up")
            try:
                Browser(port).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer within 30 s")
        yield port
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def _load(port: int, cookies: dict, path: str) -> dict:
    """10 clients ask for the week view until LOAD_SECONDS have passed."""
    timings: list[float] = []
    errors = 0
    lock = threading.Lock()
    start_at = time.monotonic() + WARMUP_SECONDS
    stop_at = start_at + LOAD_SECONDS

    def client() -> None:
        nonlocal errors
        browser = Browser(port, cookies)
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            begun = time.monotonic()
            if begun >= stop_at:
                return
            try:
                status, _ = browser.request("GET", path)
            except OSError:
                status = 0
            took = (time.monotonic() - begun) * 1000
            with lock:
                if status != 200:
                    errors += 1
                elif begun >= start_at:
                    timings.append(took)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=LOAD_SECONDS + WARMUP_SECONDS + 60)
    timings.sort()
    if not timings:
        raise RuntimeError(f"no successful requests ({errors} errors)")
    return {
        "requests": len(timings),
        "errors": errors,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
        "requests_per_second": round(len(timings) / LOAD_SECONDS, 1),
    }


def run(database_url: str) -> dict:
    """Seed, count the week view's queries, load-test it; return the figures."""
    from portal import create_app
    from portal.booking.slots import LOCAL

    today = datetime.now(UTC).astimezone(LOCAL).date()
    monday = today - timedelta(days=today.weekday())
    path = f"/kalender?dato={monday.isoformat()}"
    env = _secrets()
    with _throwaway_database(database_url) as url, _environment(env):
        env["DATABASE_URL"] = url
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SESSION_COOKIE_SECURE": False}
        )
        try:
            totp_secret, in_week = _seed(app, monday)
            client = _logged_in_client(app, totp_secret)
            queries, shown = _count_queries(app, client, path)
            # Fewer sessions in the week must not change the count (no N+1).
            empty_week = f"/kalender?dato={(monday + timedelta(weeks=200)).isoformat()}"
            queries_empty, _ = _count_queries(app, client, empty_week)
        finally:
            app.extensions["db_engine"].dispose()
        with _gunicorn(env) as port:
            browser = Browser(port)
            _log_in(browser, totp_secret)
            load = _load(port, browser.cookies, path)
            # The floor on this machine: the same clients on the health check.
            floor = _load(port, {}, "/healthz")
    return {
        "calendar_sessions_total": SESSIONS,
        "calendar_week_sessions": in_week,
        "calendar_week_entries_shown": shown,
        "calendar_week_queries": queries,
        "calendar_empty_week_queries": queries_empty,
        "calendar_week_clients": CLIENTS,
        "calendar_week_requests": load["requests"],
        "calendar_week_errors": load["errors"],
        "calendar_week_p50_ms": load["p50_ms"],
        "calendar_week_p95_ms": load["p95_ms"],
        "calendar_week_rps": load["requests_per_second"],
        "calendar_week_p95_target_ms": P95_TARGET_MS,
        "calendar_healthz_p50_ms": floor["p50_ms"],
        "calendar_healthz_p95_ms": floor["p95_ms"],
        "calendar_healthz_rps": floor["requests_per_second"],
    }


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    print(
        f"Week view benchmark: {SESSIONS} sessions, {CLIENTS} clients, "
        f"gunicorn {WORKERS} workers, {LOAD_SECONDS:g} s"
    )
    figures = run(url)
    for key, value in figures.items():
        print(f"{key}: {value}")
    same = figures["calendar_week_queries"] == figures["calendar_empty_week_queries"]
    fast = figures["calendar_week_p95_ms"] <= P95_TARGET_MS
    print(
        f"constant queries: {'yes' if same else 'NO'}; "
        f"p95 under {P95_TARGET_MS} ms: {'yes' if fast else 'NO'}"
    )
    return 0 if same and fast and not figures["calendar_week_errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
