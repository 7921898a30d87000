"""Faults degrade gracefully: Redis away means counting in memory, not 500s; the
database away means 503 on /healthz and the Danish error page."""

from __future__ import annotations

import logging

import pytest

from portal import create_app
from portal.accounts.models import Role
from portal.security import limiter
from tests.conftest import PASSWORD, csrf_token_from

#: Nothing listens on port 1: connections are refused at once.
REFUSING_REDIS = "redis://127.0.0.1:1/0"
REFUSING_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/familieportal"


@pytest.fixture
def redis_down(monkeypatch, caplog, clock):
    """Redis refuses; the limiter is module-wide, so what a test marks as dead is
    restored afterwards."""
    monkeypatch.setattr(limiter, "_storage_dead", False)
    caplog.set_level(logging.WARNING, logger="flask-limiter")
    return caplog


def post_code(client, code: str):
    token = csrf_token_from(client.get("/min-booking").get_data(True))
    return client.post("/min-booking", data={"csrf_token": token, "code": code})


@pytest.mark.app_config(RATELIMIT_STORAGE_URI=REFUSING_REDIS)
def test_code_look_up_counts_in_memory_while_redis_is_away(client, redis_down):
    statuses = [
        post_code(client, f"AAAA-AAAA-AAAA-{n:04d}").status_code for n in range(11)
    ]
    # The wrong codes are answered, and still limited, by the in-memory counters.
    assert statuses == [400] * 10 + [429]
    assert "falling back to in-memory storage" in redis_down.text


@pytest.mark.app_config(RATELIMIT_STORAGE_URI=REFUSING_REDIS)
def test_staff_log_in_works_while_redis_is_away(client, auth, make_user, redis_down):
    counsellor = make_user(Role.COUNSELLOR)
    response = auth.post_form(
        "/medarbejder/log-ind", {"email": counsellor.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    response = auth.post_form(
        "/medarbejder/log-ind/kode", {"code": auth.next_totp(counsellor)}
    )
    assert response.status_code == 302
    assert client.get("/kalender").status_code == 200
    assert "falling back to in-memory storage" in redis_down.text


@pytest.fixture
def database_down(tmp_path):
    """The portal with its database unreachable, showing errors as production does."""
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": REFUSING_DATABASE, "PROPAGATE_EXCEPTIONS": False}
    )


def test_health_check_says_503_without_the_database(database_down):
    response = database_down.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error"}


def test_pages_show_the_danish_error_page_without_the_database(database_down):
    client = database_down.test_client()
    token = csrf_token_from(client.get("/log-ind").get_data(True))
    response = client.post(
        "/log-ind",
        data={"csrf_token": token, "email": "mor@example.dk", "password": PASSWORD},
    )
    assert response.status_code == 500
    page = response.get_data(True)
    assert "Der skete en fejl hos os" in page and '<html lang="da"' in page
    assert "psycopg" not in page and "127.0.0.1" not in page
