"""The views' one commit: ``db.commit_or_rollback`` keeps a refused change out."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal import db
from portal.booking.models import Topic


def _topics() -> int:
    return db.session().scalar(select(func.count(Topic.id)))


def _topic() -> Topic:
    return Topic(name_da="Søvn", name_en="Sleep", name_ar="النوم")


def test_the_block_commits_what_it_did(app):
    with app.app_context():
        with db.commit_or_rollback() as session:
            session.add(_topic())
        db.session().rollback()  # nothing left to undo: it is committed
        assert _topics() == 1


def test_an_error_in_the_block_rolls_everything_back(app):
    with app.app_context():
        with pytest.raises(LookupError), db.commit_or_rollback() as session:
            session.add(_topic())
            session.flush()
            raise LookupError("a service refused")
        assert _topics() == 0
