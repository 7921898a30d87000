"""Two submits of one session's rating at the same moment store one rating.

Each thread has its own session and connection and commits, as a request would;
on PostgreSQL the second insert waits for the first and the unique key refuses it.
"""

from __future__ import annotations

from sqlalchemy import func, select

from portal.booking.models import CounsellingSession
from portal.feedback import ratings
from portal.feedback.errors import FeedbackError
from portal.feedback.models import SessionRating
from tests.booking.test_concurrency import run_concurrently
from tests.conftest import requires_postgresql

GOOD = {"heard": 8, "focus": 7, "method": 9, "overall": 8}


@requires_postgresql
def test_two_concurrent_submits_store_one_rating(
    app, make_session, course, monkeypatch
):
    session_id = make_session(course=course).id
    # Both threads pass the friendly check, as two tabs posting at once would.
    monkeypatch.setattr(ratings, "rating_of", lambda *_args: None)
    refused: list[str] = []

    def rate(db, _i):
        try:
            ratings.rate_session(
                db, db.get(CounsellingSession, session_id), GOOD, "tak"
            )
        except FeedbackError as error:
            refused.append(error.code)  # nothing of this thread's is committed

    outcomes = run_concurrently(app, 2, rate)
    assert outcomes == ["ok", "ok"], outcomes
    assert refused == ["already_rated"]
    with app.extensions["db_sessionmaker"]() as check:
        assert check.scalar(select(func.count(SessionRating.id))) == 1
