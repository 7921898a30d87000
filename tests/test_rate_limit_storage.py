"""With Redis configured, rate-limit counters are shared by every worker process."""

from __future__ import annotations

import secrets

from portal import create_app
from tests.conftest import TEST_REDIS_URL, csrf_token_from, requires_redis


@requires_redis
def test_two_app_instances_share_the_log_in_limit(tmp_path):
    # A fresh secret gives fresh hashed client keys, so counters left in Redis by an
    # earlier run within the hour (same day, same address) cannot trip this one.
    config = {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(32),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'r.db'}",
        "RATELIMIT_STORAGE_URI": TEST_REDIS_URL,
    }
    import redis

    from portal.db import Base

    store = redis.Redis.from_url(TEST_REDIS_URL)
    keys_before = set(store.keys("*"))
    workers = [create_app(config), create_app(config)]
    Base.metadata.create_all(workers[0].extensions["db_engine"])
    statuses = []
    for attempt in range(12):
        client = workers[attempt % 2].test_client()
        token = csrf_token_from(client.get("/log-ind").get_data(as_text=True))
        response = client.post(
            "/log-ind",
            data={
                "csrf_token": token,
                "email": f"x{attempt}@example.dk",
                "password": "forkert kode",
            },
        )
        statuses.append(response.status_code)
    assert statuses[:10] == [400] * 10
    assert statuses[10:] == [429, 429]
    # The counters are in Redis (Flask-Limiter keeps the first key prefix it saw, so
    # look for what this test added rather than for our prefix).
    new_keys = set(store.keys("*")) - keys_before
    counts = [int(store.get(key)) for key in new_keys if store.type(key) == b"string"]
    assert counts and max(counts) >= 10, "counters should live in Redis"
    assert not any(b"127.0.0.1" in key for key in new_keys)  # never the address
