"""Moving a talk in Min booking: its own time is never offered as the first free
time, the page says when the talk is now, and choosing that time changes nothing."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.booking import holds, timepicker
from portal.booking import sessions as booking_sessions
from portal.booking.models import CounsellingSession, SlotHold
from portal.timeutil import time_value
from tests.booking.test_views import counsellor, parent  # noqa: F401 (fixtures)
from tests.factories import NOW

FIRST_FREE = re.compile(r'class="first-free">.*?name="time" value="([^"]+)"', re.S)


def first_free_time(db_session):
    return timepicker.free_times(db_session, mode="centre", language="da", now=NOW)[
        0
    ].starts_at


def test_moving_to_the_own_time_changes_nothing_in_the_service(
    db_session, make_counsellor, make_course
):
    who = make_counsellor()
    talk = make_course(first_free_time(db_session)).session
    revision, changed_at = talk.revision, talk.changed_at
    held = holds.hold_slot(
        db_session,
        starts_at=talk.starts_at,
        mode="centre",
        language="da",
        now=NOW,
        prefer_counsellor_id=who.id,
        ignore_session_id=talk.id,
    )
    booking_sessions.move_session(db_session, talk, hold_token=held.token, now=NOW)
    db_session.commit()
    db_session.expire_all()
    same = db_session.get(CounsellingSession, talk.id)
    assert (same.revision, same.changed_at) == (revision, changed_at)
    assert db_session.scalar(select(func.count(SlotHold.id))) == 0


def test_the_move_page_never_offers_the_own_time_first_and_keeps_it(
    parent,  # noqa: F811 (fixture)
    counsellor,  # noqa: F811 (fixture)
    db_session,
):
    first = first_free_time(db_session)
    parent.book(first)
    talk = db_session.scalar(select(CounsellingSession))
    url = f"/min-booking/flyt/{talk.public_id}"
    page = parent.get(url).get_data(as_text=True)
    assert "Din samtale er nu" in page
    offered = FIRST_FREE.search(page).group(1)
    assert offered != time_value(first)
    # The own time is still on the list: choosing it changes nothing.
    assert f'value="{time_value(first)}"' in page
    response = parent.post(url, {"time": time_value(first)})
    assert response.headers["Location"] == "/min-booking"
    assert "intet er ændret" in parent.get("/min-booking").get_data(as_text=True)
    db_session.expire_all()
    same = db_session.get(CounsellingSession, talk.id)
    assert same.starts_at == first and same.revision == talk.revision
    assert db_session.scalar(select(func.count(SlotHold.id))) == 0
