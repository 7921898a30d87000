"""Fixtures: a fresh database per test (SQLite file, or a PostgreSQL schema when
TEST_DATABASE_URL is set), a client, log-in helpers and callable factories."""

from __future__ import annotations

import os
import re
import uuid

import pyotp
import pytest
import time_machine
from argon2 import PasswordHasher
from cryptography.fernet import Fernet
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event, text

# Secrets for the test run only; set before the app reads its environment.
os.environ.update(
    PORTAL_ENV="testing",
    SECRET_KEY="test-secret-key-not-for-production",
    FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
    BOOKING_CODE_KEY="test-booking-code-key",
    IDENTITY_KEY="test-identity-key",
)
os.environ.pop("DATABASE_URL", None)
os.environ.pop("RATELIMIT_STORAGE_URI", None)

from portal import create_app  # noqa: E402
from portal import db as portal_db  # noqa: E402
from portal.accounts import passwords as account_passwords  # noqa: E402
from portal.accounts.models import Role, User  # noqa: E402
from portal.db import Base, make_engine, utcnow  # noqa: E402
from tests import factories  # noqa: E402
from tests.factories import NOW, PASSWORD  # noqa: E402

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")

requires_postgresql = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"),
    reason="needs PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://...",
)
requires_redis = pytest.mark.skipif(
    not TEST_REDIS_URL, reason="needs Redis: set TEST_REDIS_URL=redis://..."
)


def database_config(tmp_path) -> tuple[dict, callable]:
    """Configuration for an empty database of its own, and how to drop it."""
    if not TEST_DATABASE_URL:
        url = f"sqlite:///{tmp_path / 'test.db'}"
        return {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}}, (
            lambda: None
        )
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = make_engine(TEST_DATABASE_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    options = {"connect_args": {"options": f"-csearch_path={schema}"}}
    return {
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL,
        "SQLALCHEMY_ENGINE_OPTIONS": options,
    }, drop


class FreshRequestClient(FlaskClient):
    """A test client whose requests do not see each other's ``g``.

    pytest-flask pushes a request context for each test and Flask's test client
    reuses its app context, so ``g`` (CSRF token, chosen locale) would leak from one
    request to the next. Only the database session is shared, on purpose: the test
    body then sees what the requests committed.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            for name in [name for name in vars(g) if name != "db_session"]:
                g.pop(name)
        return super().open(*args, **kwargs)


@pytest.fixture
def app(tmp_path, request):
    """The app on a fresh database; ``@pytest.mark.app_config(NAME=value, ...)``
    adds configuration (e.g. production's secure cookies behind a proxy)."""
    config, drop = database_config(tmp_path)
    marker = request.node.get_closest_marker("app_config")
    app = create_app(
        {
            "TESTING": True,
            "SERVER_NAME": None,
            "SESSION_COOKIE_SECURE": False,
            **config,
            **(marker.kwargs if marker else {}),
        }
    )
    app.test_client_class = FreshRequestClient
    engine = app.extensions["db_engine"]
    Base.metadata.create_all(engine)
    yield app
    engine.dispose()
    drop()


@pytest.fixture(autouse=True)
def fast_password_hashing(request, monkeypatch):
    """Argon2id at ASVS strength costs ~0.3 s a hash; tests that do not check the
    hash itself use a cheap one, so the suite stays fast. Mark a test with
    ``real_password_hashing`` to keep the production parameters."""
    if request.node.get_closest_marker("real_password_hashing"):
        return
    monkeypatch.setattr(
        account_passwords,
        "password_hasher",
        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    )


@pytest.fixture
def db_session(app):
    return portal_db.session()


@pytest.fixture
def clock():
    """The clock stopped at ``factories.NOW`` (``clock.shift``/``clock.move_to``
    move it): no test depends on the wall clock or the time of day."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def make_family(db_session):
    return factories.family_factory(db_session)


@pytest.fixture
def make_user(db_session, make_family):
    return factories.user_factory(db_session, make_family)


@pytest.fixture
def make_known_family(db_session, make_user):
    return factories.known_family_factory(db_session, make_user)


@pytest.fixture
def make_counsellor(db_session):
    return factories.counsellor_factory(db_session)


@pytest.fixture
def give_calendar(db_session):
    return factories.calendar_giver(db_session)


@pytest.fixture
def make_topic(db_session):
    return factories.topic_factory(db_session)


@pytest.fixture
def hold(db_session):
    return factories.holder(db_session)


@pytest.fixture
def make_course(db_session, hold):
    return factories.course_factory(db_session, hold)


@pytest.fixture
def book_next(db_session, hold):
    return factories.next_session_booker(db_session, hold)


@pytest.fixture
def book(db_session, hold):
    return factories.booker(db_session, hold)


@pytest.fixture
def book_more(db_session, hold):
    return factories.more_booker(db_session, hold)


CSRF_INPUT = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'type="hidden" name="csrf_token" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def csrf_token_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token in the page"
    return next(group for group in match.groups() if group)


def count_queries(app, client, url) -> int:
    """The SQL statements one GET of ``url`` runs (it must answer 200)."""
    engine = app.extensions["db_engine"]
    statements = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", remember)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    return len(statements)


class Browserless:
    """Form-filling helpers for the Flask test client (flaskr's ``auth``, extended)."""

    def __init__(self, client, db_session):
        self.client = client
        self.db_session = db_session

    def post_form(self, url: str, data: dict, *, page: str | None = None, **kwargs):
        """GET ``page`` (default ``url``) for its CSRF token, then POST ``data``."""
        html = self.client.get(page or url).get_data(as_text=True)
        return self.client.post(
            url, data={"csrf_token": csrf_token_from(html), **data}, **kwargs
        )

    def next_totp(self, user: User) -> str:
        """A valid code the user has not used yet (codes work once)."""
        self.db_session.refresh(user)
        totp = pyotp.TOTP(user.totp_secret)
        step = totp.timecode(utcnow())
        if user.totp_last_step is not None and user.totp_last_step >= step:
            step = user.totp_last_step + 1
        return totp.generate_otp(step)

    def login_family(self, user: User, password: str = PASSWORD):
        return self.post_form(
            "/log-ind", {"email": user.contact_email, "password": password}
        )

    def login_staff(self, user: User, password: str = PASSWORD):
        response = self.post_form(
            "/medarbejder/log-ind", {"email": user.email, "password": password}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return self.post_form(
            "/medarbejder/log-ind/kode", {"code": self.next_totp(user)}
        )

    def login(self, user: User):
        if user.role == Role.FAMILY:
            response = self.login_family(user)
        else:
            response = self.login_staff(user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        return self.post_form("/log-ud", {}, page="/")


@pytest.fixture
def auth(client, db_session):
    return Browserless(client, db_session)
