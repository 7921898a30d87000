"""Benchmarks for Familieportalen: ``make bench`` (``python -m bench``).

A script, not a test. It seeds a throwaway PostgreSQL schema ``bench_<random>``
with 20 counsellors, six weeks of Monday-Friday availability and 5,000 booked
sessions, times ``free_slots`` in-process, then load-tests the slot page under
gunicorn (2 workers) next to a bare "hello" route, and drops the schema again.

Shared here: where the database is, the throwaway schema, and the bench app.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from cryptography.fernet import Fernet
from flask.testing import FlaskClient
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
#: The bench app's bare route: what the same server does without real work.
HELLO = "/_bench/hello"
#: How long to wait for PostgreSQL before saying it is not there.
CONNECT_TIMEOUT_SECONDS = 5


class BenchError(RuntimeError):
    """The benchmark cannot run; the message says why and what to do."""


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    if not url.startswith("postgresql"):
        raise BenchError(
            f"BENCH_DATABASE_URL must be a PostgreSQL URL, got {safe_url(url)!r}"
        )
    return url


def safe_url(url: str) -> str:
    """The URL for printing: never the password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is printed as "?"
        return "?"


def throwaway_secrets() -> dict[str, str]:
    """Secrets for this run only: production mode, nothing written to instance/."""
    return {
        "PORTAL_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BOOKING_CODE_KEY": secrets.token_urlsafe(32),
        "IDENTITY_KEY": secrets.token_urlsafe(32),
        # The code look-up and log-ins have rate limits, and every client here
        # comes from 127.0.0.1: limits would turn the load test into a 429 test.
        "RATELIMIT_ENABLED": "false",
        # Production requires its public address; the clients reach it on loopback.
        "PORTAL_BASE_URL": "https://familieportalen.invalid",
        "TRUSTED_HOSTS": "127.0.0.1",
    }


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """The throwaway settings for the in-process app, restored afterwards."""
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


def engine_options(schema: str | None = None) -> dict:
    connect_args: dict = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    return {"connect_args": connect_args}


@contextmanager
def bench_schema(url: str) -> Iterator[str]:
    """A fresh schema ``bench_<random>``, dropped at the end even on error.

    Raises BenchError when PostgreSQL cannot be reached.
    """
    from portal.db import make_engine

    admin = make_engine(url, **engine_options())
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        admin.dispose()
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise BenchError(
            f"PostgreSQL is not reachable at {safe_url(url)}: {reason}\n"
            "Start PostgreSQL or point BENCH_DATABASE_URL at one, e.g. "
            f"BENCH_DATABASE_URL={DEFAULT_DATABASE_URL} make bench"
        ) from None
    try:
        yield schema
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def settle(engine) -> None:
    """VACUUM ANALYZE after seeding: planner statistics for the new rows, and
    nothing left for autovacuum to do while the timings run."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


def bench_app(url: str, schema: str):
    """The real portal app on the bench schema, plus the bare hello route.

    The hello route exists only in this app (never in ``portal``): it is the
    ceiling, i.e. what the same server, app and middleware do without real work.
    """
    from portal import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(schema),
            # Plain HTTP on loopback: a Secure cookie would never come back.
            "SESSION_COOKIE_SECURE": False,
        }
    )

    @app.get(HELLO)
    def bench_hello():
        return "hello"

    app.test_client_class = LoopbackClient
    return app


class LoopbackClient(FlaskClient):
    """Flask's test client, addressed as the load clients address gunicorn: in
    production mode TRUSTED_HOSTS is 127.0.0.1, and "localhost" gets a 400."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", "http://127.0.0.1")
        return super().open(*args, **kwargs)


def count_statements(app, client, path: str) -> tuple[int, str]:
    """The SQL statements of one GET of ``path`` by the in-process ``client``,
    and the page (it must answer 200)."""
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
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return len(statements), response.get_data(as_text=True)
