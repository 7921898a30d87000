"""The counsellor's week view, part of ``make bench`` (``python -m bench.calendar_week``
runs it alone).

Seeds a throwaway PostgreSQL schema with one counsellor and 5,000 sessions over two
and a half years, then

* counts the SQL statements of one week view in-process (it must not grow with
  the number of sessions: no N+1), and
* load-tests it with 10 logged-in clients against gunicorn on 127.0.0.1 (the same
  server set-up as the slot page, ``bench.server``), next to the bare hello route:
  the ceiling of the machine it runs on.

``run(database_url) -> dict`` is what ``make bench`` calls; the schema is dropped
and gunicorn stopped whatever happens. Environment: ``BENCH_DATABASE_URL``,
``BENCH_SECONDS``.
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

from sqlalchemy import insert, text

from bench import (
    HELLO,
    bench_app,
    bench_schema,
    count_statements,
    database_url,
    environment,
    settle,
    throwaway_secrets,
)
from bench import load as http_load
from bench.logins import log_in_staff, staff_test_client

SESSIONS = 5_000
CLIENTS = 10
LOAD_SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WARMUP_SECONDS = 2
P95_TARGET_MS = 100
PASSWORD = "benchmark-password-" + secrets.token_hex(4)
EMAIL = "bench.raadgiver@example.dk"


def _seed(app, monday: date) -> tuple[str, int]:
    """One counsellor with 5,000 sessions (1,000 courses of five); returns the
    TOTP secret and the number of sessions in the measured week."""
    import pyotp

    from portal import db
    from portal.accounts import services as accounts
    from portal.accounts.models import Role
    from portal.availability.models import AvailabilitySpan, CounsellorSettings
    from portal.booking.models import CounsellingSession, Course
    from portal.db import Base
    from portal.i18n import LOCAL

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


def _count_queries(app, client, path: str) -> tuple[int, int]:
    """Statements of one week view, in-process; and the entries it shows."""
    count, page = count_statements(app, client, path)
    return count, page.count("cal-entry ")


def _load(port: int, path: str, cookies: dict[str, str]) -> http_load.Result:
    return http_load.run_logged_in(
        port, path, [cookies] * CLIENTS, LOAD_SECONDS, WARMUP_SECONDS
    )


def run(url: str) -> dict:
    """Seed, count the week view's queries, load-test it; return the figures."""
    from bench.server import gunicorn
    from portal.i18n import LOCAL

    today = datetime.now(UTC).astimezone(LOCAL).date()
    monday = today - timedelta(days=today.weekday())
    path = f"/kalender?dato={monday.isoformat()}"
    env = throwaway_secrets()
    with bench_schema(url) as schema, environment(env):
        app = bench_app(url, schema)
        try:
            totp_secret, in_week = _seed(app, monday)
            settle(app.extensions["db_engine"])
            client = staff_test_client(app, EMAIL, PASSWORD, totp_secret)
            queries, shown = _count_queries(app, client, path)
            # Fewer sessions in the week must not change the count (no N+1).
            empty_week = f"/kalender?dato={(monday + timedelta(weeks=200)).isoformat()}"
            queries_empty, _ = _count_queries(app, client, empty_week)
        finally:
            app.extensions["db_engine"].dispose()
        server_env = {**env, "BENCH_DATABASE_URL": url, "BENCH_SCHEMA": schema}
        with gunicorn(server_env) as port:
            counsellor = http_load.Client("127.0.0.1", port)
            cookies = log_in_staff(counsellor, EMAIL, PASSWORD, totp_secret)
            counsellor.close()
            week = _load(port, path, cookies)
            ceiling = _load(port, HELLO, {})
    return {
        "calendar_sessions_total": SESSIONS,
        "calendar_week_sessions": in_week,
        "calendar_week_entries_shown": shown,
        "calendar_week_queries": queries,
        "calendar_empty_week_queries": queries_empty,
        "calendar_week_clients": CLIENTS,
        **week.figures("calendar_week"),
        "calendar_week_p95_target_ms": P95_TARGET_MS,
        **ceiling.figures("calendar_hello", counts=False),
    }


def main() -> int:
    from bench.server import WORKER_CLASS, WORKERS

    print(
        f"Week view benchmark: {SESSIONS} sessions, {CLIENTS} clients, "
        f"gunicorn {WORKERS} {WORKER_CLASS} workers, {LOAD_SECONDS:g} s"
    )
    figures = run(database_url())
    for key, value in figures.items():
        print(f"{key}: {value}")
    same = figures["calendar_week_queries"] == figures["calendar_empty_week_queries"]
    fast = figures["calendar_week_p95_ms"] < P95_TARGET_MS
    print(
        f"constant queries: {'yes' if same else 'NO'}; "
        f"p95 under {P95_TARGET_MS} ms: {'yes' if fast else 'NO'}"
    )
    return 0 if same and fast and not figures["calendar_week_errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
