"""``make bench``: seed PostgreSQL, time free slots, load-test the slot page.

Environment: ``BENCH_DATABASE_URL`` (default in bench/__init__.py) and
``BENCH_SECONDS`` (load per route, default 10). Results: docs/benchmarks.md.
"""

from __future__ import annotations

import importlib
import os
import platform
import random
import signal
import statistics
import sys
import time
import timeit
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bench import (
    HELLO,
    BenchError,
    bench_app,
    bench_schema,
    database_url,
    safe_url,
    settle,
    throwaway_secrets,
)
from bench import load as http_load

#: Other benchmarks, run after ours: modules with ``run(database_url) -> dict``
#: (given BENCH_DATABASE_URL; they seed and drop their own schema). Each figure
#: is printed as "key: value". Adding one is one line here.
EXTRA_BENCHMARKS: tuple[str, ...] = (
    "bench.calendar_week",  # the counsellor's week view
    "bench.families",  # /familie and the counsellors' family list and pages
    "bench.feedback_stats",  # the leader's rating statistics
)

FREE_SLOT_WARMUP_RUNS = 3
FREE_SLOT_RUNS = 20
FREE_SLOTS_TARGET_MS = 50
SLOT_PAGE_P95_TARGET_MS = 100
CLIENTS = 20
LOAD_SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WARMUP_SECONDS = 2
SINGLE_CLIENT_SECONDS = 3
SLOT_PAGE = "/anonym-raadgivning/tid"
#: What the 20 parents chose (cycled): every mode, Danish mostly.
CHOICES = [
    ("centre", "da"),
    ("phone", "da"),
    ("video", "da"),
    ("home", "da"),
    ("centre", "en"),
    ("phone", "ar"),
]


def _terminate(signum, _frame):
    print(f"bench: stopped by signal {signum}; cleaning up", file=sys.stderr)
    raise SystemExit(128 + signum)  # run the finally blocks: stop gunicorn, drop schema


def _verdict(value: float, target: float) -> str:
    return "met" if value < target else "MISSED"


def _python_speed() -> str:
    """A pure-Python yardstick, so figures from busier or slower machines compare:
    this shared machine gave 12.5 ms when quiet and up to 21 ms when not."""
    best = min(timeit.repeat("sum(range(10**6))", number=10, repeat=5)) / 10
    return f"sum(range(10**6)) takes {best * 1000:.1f} ms"


def _load_average() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


def time_free_slots(app) -> dict:
    """free_slots for six weeks, all counsellors, no filter: median and p95."""
    from portal.booking import timepicker
    from portal.booking.slots import free_slots
    from portal.db import utcnow

    make_session = app.extensions["db_sessionmaker"]
    closed = app.config["BOOKING_CLOSED_DATES"]
    now = utcnow()

    def once() -> tuple[float, int]:
        db = make_session()  # a fresh session: nothing cached between runs
        try:
            began = time.perf_counter()
            found = free_slots(
                db, now, now + timedelta(weeks=6), now=now, closed_dates=closed
            )
            return time.perf_counter() - began, len(found)
        finally:
            db.close()

    for _ in range(FREE_SLOT_WARMUP_RUNS):
        once()
    runs = [once() for _ in range(FREE_SLOT_RUNS)]
    seconds = [elapsed for elapsed, _count in runs]
    median = statistics.median(seconds) * 1000
    p95 = http_load.percentile(seconds, 95) * 1000
    print(
        f"free_slots: 20 counsellors x 6 weeks, no filter, {runs[0][1]} free slots; "
        f"{FREE_SLOT_RUNS} runs after {FREE_SLOT_WARMUP_RUNS} warm-up, "
        "its 5 queries included"
    )
    print(
        f"  median {median:.1f} ms, p95 {p95:.1f} ms "
        f"(min {min(seconds) * 1000:.1f}, max {max(seconds) * 1000:.1f})  "
        f"[target median < {FREE_SLOTS_TARGET_MS} ms: "
        f"{_verdict(median, FREE_SLOTS_TARGET_MS)}]"
    )
    # For comparison, all seven weeks the time page can page through, one filter.
    with app.test_request_context():
        db = make_session()
        try:
            timepicker.free_times(db, mode="centre", language="da")
            began = time.perf_counter()
            times = timepicker.free_times(db, mode="centre", language="da")
            filtered_ms = (time.perf_counter() - began) * 1000
        finally:
            db.close()
    print(
        f"  one mode and language (centre, Danish) over {timepicker.WEEKS_SHOWN} "
        f"weeks: {len(times)} free times in {filtered_ms:.1f} ms"
    )
    return {"median_ms": median, "p95_ms": p95}


def load_test(port: int) -> list[http_load.Result]:
    parents = [http_load.Client("127.0.0.1", port) for _ in range(CLIENTS)]
    choices = [CHOICES[n % len(CHOICES)] for n in range(CLIENTS)]

    def walk(pair) -> int:
        client, (mode, language) = pair
        return client.walk_to_time_page(mode=mode, language=language)

    began = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        shown = list(pool.map(walk, zip(parents, choices, strict=True)))
    print(
        f"{CLIENTS} clients walked begin, topic, mode, language to the slot page "
        f"({9 * CLIENTS} requests in {time.perf_counter() - began:.1f} s); "
        f"it shows them {min(shown)}-{max(shown)} free times this week"
    )
    results = []
    # One client alone first: the time a request takes when nobody waits.
    http_load.run(parents[:1], SLOT_PAGE, WARMUP_SECONDS)
    single = http_load.run(parents[:1], SLOT_PAGE, SINGLE_CLIENT_SECONDS)
    single.route += " (1 client)"
    results.append(single)
    hello_clients = [http_load.Client("127.0.0.1", port) for _ in range(CLIENTS)]
    for path, clients in ((SLOT_PAGE, parents), (HELLO, hello_clients)):
        http_load.run(clients, path, WARMUP_SECONDS)
        results.append(http_load.run(clients, path, LOAD_SECONDS))
        for client in clients:
            client.close()
    return results


def print_table(results: list[http_load.Result]) -> None:
    header = (
        f"{'route':<37} {'clients':>7} {'requests':>8} {'rps':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        print(
            f"GET {result.route:<33} {result.clients:>7} {result.requests:>8} "
            f"{result.rps:>7.1f} {result.percentile_ms(50):>7.1f} "
            f"{result.percentile_ms(95):>7.1f} {result.errors:>6}"
        )
        if result.error_kinds:
            print(f"    errors: {result.error_kinds}")
    loaded = next(r for r in results if r.route == SLOT_PAGE)
    p95 = loaded.percentile_ms(95)
    print(
        f"slot page p95 with {CLIENTS} clients: {p95:.1f} ms "
        f"[target < {SLOT_PAGE_P95_TARGET_MS} ms: "
        f"{_verdict(p95, SLOT_PAGE_P95_TARGET_MS)}]"
    )


def run() -> bool:
    """Everything ``make bench`` prints; False if another benchmark failed."""
    from bench.seed import seed
    from bench.server import THREADS, WORKER_CLASS, WORKERS, gunicorn
    from portal import db as portal_db
    from portal.db import Base

    url = database_url()
    env = throwaway_secrets()
    os.environ.update(env)  # the in-process app reads the same settings
    print(
        f"Familieportalen benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} CPU cores, Python {platform.python_version()}, "
        f"load average {_load_average()}; {_python_speed()}"
    )
    with bench_schema(url) as schema:
        app = bench_app(url, schema)
        engine = app.extensions["db_engine"]
        with engine.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar()
        print(f"PostgreSQL {version} at {safe_url(url)}, schema {schema}")
        with app.app_context():
            Base.metadata.create_all(engine)
            session = portal_db.session()
            began = time.perf_counter()
            seeded = seed(
                session,
                now=datetime.now(UTC),
                closed_dates=app.config["BOOKING_CLOSED_DATES"],
                rng=random.Random(2026),  # noqa: S311 - reproducible test data
            )
            session.commit()
            settle(engine)
            print(
                f"Seeded {seeded.counsellors} counsellors "
                f"({seeded.spans} weekly spans, 4 modes, da/en/ar), "
                f"{seeded.sessions} booked sessions in {seeded.courses} courses "
                f"({seeded.sessions / seeded.grid_slots:.0%} of the "
                f"{seeded.grid_slots} slot starts in 6 weeks) "
                f"in {time.perf_counter() - began:.1f} s"
            )
            print()
            time_free_slots(app)
        engine.dispose()

        print()
        print(
            f"gunicorn {WORKERS} {WORKER_CLASS} workers"
            + (f" x {THREADS} threads" if WORKER_CLASS == "gthread" else "")
            + " on 127.0.0.1, PORTAL_ENV=production; the clients are threads "
            "in this process on the same cores (http.client, keep-alive where "
            f"the server allows it); {LOAD_SECONDS:g} s per route after "
            f"{WARMUP_SECONDS} s warm-up."
        )
        print(
            "Rate limiting is OFF (RATELIMIT_ENABLED=false): every client is "
            "127.0.0.1, and the portal's limits would measure 429s, not the portal."
        )
        server_env = {**env, "BENCH_DATABASE_URL": url, "BENCH_SCHEMA": schema}
        with gunicorn(server_env) as port:
            results = load_test(port)
        print()
        print_table(results)
    print(f"Schema {schema} dropped, gunicorn stopped.")

    failed = []
    for name in EXTRA_BENCHMARKS:
        print()
        print(f"{name}:", flush=True)
        try:
            figures = importlib.import_module(name).run(url)
        except Exception as error:  # noqa: BLE001 - report it, run the others
            print(f"  FAILED: {type(error).__name__}: {error}")
            failed.append(name)
            continue
        for key, value in figures.items():
            print(f"  {key}: {value}")
    print()
    print(f"At the end: load average {_load_average()}; {_python_speed()}")
    return not failed


def main() -> int:
    signal.signal(signal.SIGTERM, _terminate)
    try:
        ok = run()
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
