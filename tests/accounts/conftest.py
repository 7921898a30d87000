"""Account tests: clients that come from their own address."""

from __future__ import annotations

import pytest

from tests.conftest import Browserless


@pytest.fixture
def client_from(app, db_session):
    """``client_from("10.0.0.1")``: a browser of its own, at that address."""

    def make(address: str) -> Browserless:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return Browserless(client, db_session)

    return make
