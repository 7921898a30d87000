"""The leader's rating statistics, part of ``make bench`` (``python -m
bench.feedback_stats`` runs it alone).

Seeds a throwaway PostgreSQL schema with 20 counsellors, 10 topics, 100,000
sessions (20,000 anonymous courses of five, over two and a half years) and
60,000 ratings of them, then

* counts the SQL statements of ``/leder/vurderinger`` in-process, with a tenth
  of the ratings and with all of them (the same: the database aggregates, no
  Python loop over rows), and times one uncached aggregation (what the first
  request after a new answer pays; later ones reuse the worker's table), and
* load-tests the page grouped by month and by counsellor with 20 clients
  logged in as one leader against gunicorn on 127.0.0.1 (``bench.server``),
  next to the bare hello route: the ceiling of the machine it runs on.

Target: p95 < 150 ms. ``run(database_url) -> dict`` is what ``make bench``
calls; the schema is dropped and gunicorn stopped whatever happens.
Environment: ``BENCH_DATABASE_URL``, ``BENCH_SECONDS``.
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

from sqlalchemy import func, insert, select

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

SESSIONS = 100_000
RATINGS = 60_000
COUNSELLORS = 20
TOPICS = 10
CLIENTS = 20
LOAD_SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WARMUP_SECONDS = 2
P95_TARGET_MS = 150
PASSWORD = "benchmark-password-" + secrets.token_hex(4)
EMAIL = "bench.leder@example.dk"
MODES = ("centre", "home", "phone", "video")
PAGES = ("/leder/vurderinger?efter=month", "/leder/vurderinger?efter=counsellor")


def _starts(first: date, count: int) -> list[datetime]:
    """``count`` one-hour starts, eight per weekday from ``first`` on."""
    from portal.i18n import LOCAL

    starts: list[datetime] = []
    day = first
    while len(starts) < count:
        if day.weekday() < 5:
            for hour in range(8, 16):
                local = datetime.combine(day, clock_time(hour), tzinfo=LOCAL)
                starts.append(local.astimezone(UTC))
        day += timedelta(days=1)
    return starts[:count]


def _seed_sessions(session, now: datetime) -> list[dict]:
    """Counsellors, topics, courses and sessions; the rows to rate."""
    from portal.accounts.models import Role, User
    from portal.booking.models import CounsellingSession, Course, Topic
    from portal.i18n import LOCAL

    counsellors = [
        User(
            email=f"bench.raadgiver{n}@example.dk",
            name=f"Rådgiver {n}",
            role=Role.COUNSELLOR,
            password_hash=None,  # never logs in
        )
        for n in range(COUNSELLORS)
    ]
    topics = [
        Topic(name_da=f"Emne {n}", name_en=f"Topic {n}", name_ar=f"Topic {n}")
        for n in range(TOPICS)
    ]
    session.add_all([*counsellors, *topics])
    session.flush()
    courses = [
        {
            "code_hash": secrets.token_hex(32),
            "pseudonym": f"Bench {n}",
            "topic_id": topics[n % TOPICS].id,
            "sessions_counted": 5,
            "created_at": now,
            "last_activity_at": now,
        }
        for n in range(SESSIONS // 5)
    ]
    course_ids = list(
        session.scalars(
            insert(Course).returning(Course.id, sort_by_parameter_order=True), courses
        )
    )
    per_counsellor = SESSIONS // COUNSELLORS
    starts = _starts(
        now.date() - timedelta(days=per_counsellor // 8 * 7 // 5), per_counsellor
    )
    rows = []
    for n in range(SESSIONS):
        start = starts[n // COUNSELLORS]
        rows.append(
            {
                "course_id": course_ids[n // 5],
                "counsellor_id": counsellors[n % COUNSELLORS].id,
                "starts_at": start,
                "ends_at": start + timedelta(minutes=50),
                "mode": MODES[n % 4],
                "status": "held",
                "created_at": now,
            }
        )
    ids = list(
        session.scalars(
            insert(CounsellingSession).returning(
                CounsellingSession.id, sort_by_parameter_order=True
            ),
            rows,
        )
    )
    step = SESSIONS / RATINGS
    rated = []
    for k in range(RATINGS):
        n = int(k * step)
        row = rows[n]
        scores = [(n * 7 + item * 3) % 11 for item in range(4)]
        rated.append(
            {
                "session_id": ids[n],
                "counsellor_id": row["counsellor_id"],
                "anonymous": True,
                "mode": row["mode"],
                "topic_id": courses[n // 5]["topic_id"],
                "month": row["starts_at"].astimezone(LOCAL).strftime("%Y-%m"),
                "heard": scores[0],
                "focus": scores[1],
                "method": scores[2],
                "overall": scores[3],
                "comment": "",
                "created_at": now,
            }
        )
    return rated


def _seed_leader(session) -> str:
    import pyotp

    from portal.accounts import services as accounts
    from portal.accounts.models import Role

    leader = accounts.create_user(
        session, email=EMAIL, name="Bench Leder", role=Role.LEADER, password=PASSWORD
    )
    leader.totp_secret = pyotp.random_base32()
    return leader.totp_secret


def _queries(app, client) -> list[int]:
    return [count_statements(app, client, path)[0] for path in PAGES]


def _aggregate_ms(app) -> float:
    """The median time of one uncached aggregation by month (5 runs): what the
    first request after a new answer pays."""
    import statistics
    import time

    from portal import db
    from portal.feedback.stats import rating_table

    times = []
    with app.app_context():
        for _ in range(5):
            began = time.perf_counter()
            rating_table(db.session(), "month")
            times.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(times), 1)


def _load(port: int, path: str, cookies: dict[str, str]) -> http_load.Result:
    return http_load.run_logged_in(
        port, path, [cookies] * CLIENTS, LOAD_SECONDS, WARMUP_SECONDS
    )


def run(url: str) -> dict:
    """Seed, count the page's queries at a tenth and at all ratings, load-test
    it; return the figures."""
    from bench.server import gunicorn
    from portal import db
    from portal.db import Base
    from portal.feedback.models import SessionRating

    env = throwaway_secrets()
    now = datetime.now(UTC)
    with bench_schema(url) as schema, environment(env):
        app = bench_app(url, schema)
        try:
            Base.metadata.create_all(app.extensions["db_engine"])
            with app.app_context():
                session = db.session()
                totp_secret = _seed_leader(session)
                rated = _seed_sessions(session, now)
                tenth = RATINGS // 10
                session.execute(insert(SessionRating), rated[:tenth])
                session.commit()
            client = staff_test_client(app, EMAIL, PASSWORD, totp_secret)
            few = _queries(app, client)
            with app.app_context():
                session = db.session()
                session.execute(insert(SessionRating), rated[tenth:])
                session.commit()
                stored = session.scalar(select(func.count(SessionRating.id)))
            settle(app.extensions["db_engine"])
            many = _queries(app, client)
            aggregate_ms = _aggregate_ms(app)
        finally:
            app.extensions["db_engine"].dispose()
        server_env = {**env, "BENCH_DATABASE_URL": url, "BENCH_SCHEMA": schema}
        with gunicorn(server_env) as port:
            leader = http_load.Client("127.0.0.1", port)
            cookies = log_in_staff(leader, EMAIL, PASSWORD, totp_secret)
            leader.close()
            loads = [_load(port, path, cookies) for path in PAGES]
            ceiling = _load(port, HELLO, {})
    figures: dict = {
        "feedback_stats_sessions": SESSIONS,
        "feedback_stats_ratings": stored,
        "feedback_stats_queries_tenth": few,
        "feedback_stats_queries_all": many,
        "feedback_stats_uncached_aggregate_ms": aggregate_ms,
        "feedback_stats_clients": CLIENTS,
    }
    for path, result in zip(PAGES, loads, strict=True):
        by = path.rsplit("=", 1)[1]
        figures |= result.figures(f"feedback_stats_{by}")
    return figures | {
        "feedback_stats_p95_target_ms": P95_TARGET_MS,
        **ceiling.figures("feedback_stats_hello", counts=False),
    }


def main() -> int:
    from bench.server import WORKER_CLASS, WORKERS

    print(
        f"Leader statistics benchmark: {SESSIONS} sessions, {RATINGS} ratings, "
        f"{CLIENTS} clients, gunicorn {WORKERS} {WORKER_CLASS} workers, "
        f"{LOAD_SECONDS:g} s per page"
    )
    figures = run(database_url())
    for key, value in figures.items():
        print(f"{key}: {value}")
    same = (
        figures["feedback_stats_queries_tenth"] == figures["feedback_stats_queries_all"]
    )
    fast = all(
        figures[f"feedback_stats_{path.rsplit('=', 1)[1]}_p95_ms"] < P95_TARGET_MS
        for path in PAGES
    )
    errors = sum(figures[f"feedback_stats_{p.rsplit('=', 1)[1]}_errors"] for p in PAGES)
    print(
        f"constant queries: {'yes' if same else 'NO'}; "
        f"p95 under {P95_TARGET_MS} ms: {'yes' if fast else 'NO'}"
    )
    return 0 if same and fast and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
