"""Account tests: the clock stopped, and clients that come from their own address."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from tests.conftest import Browserless

NOW = datetime(2026, 11, 24, 9, 0, 10, tzinfo=UTC)


@pytest.fixture
def clock():
    """The clock stopped at NOW (``clock.shift``/``clock.move_to`` move it)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def client_from(app, db_session):
    """``client_from("10.0.0.1")``: a browser of its own, at that address."""

    def make(address: str) -> Browserless:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return Browserless(client, db_session)

    return make
