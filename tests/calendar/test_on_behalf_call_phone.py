"""A phone talk where we call needs the number on every booking path: the
counsellor's booking on behalf of a caller (a new course, the next talk of a
code read aloud) asks for it, refuses the form without it and stores nothing,
and keeps it encrypted; the one service rule also holds for a move."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from portal.booking import sessions as booking_sessions
from portal.booking.errors import InvalidBooking
from portal.booking.models import CounsellingSession, Course
from portal.calendar import on_behalf
from tests.calendar.test_on_behalf import code_on, form_of
from tests.factories import local

NEW = "/kalender/book?mode=phone&language=da"
NEXT = "/kalender/book/naeste?mode=phone"
TUE_9 = "2026-03-24T08:00:00Z"
WED_10 = "2026-03-25T09:00:00Z"
MISSING = (
    "Skriv det telefonnummer, vi skal ringe til forælderen på til telefonsamtalen."
)
LABEL = "Telefonnummer, vi ringer til forælderen på"


def _stored_number(db_session) -> str:
    raw = db_session.execute(text("SELECT call_phone FROM counselling_sessions"))
    return str(raw.scalars().all())


def test_booking_a_new_course_for_a_caller_asks_for_the_number(
    client, auth, db_session, counsellor
):
    auth.login(counsellor)
    assert LABEL not in client.get("/kalender/book?mode=centre").get_data(as_text=True)
    page, token, key = form_of(client, NEW)
    assert LABEL in page and 'name="call_phone"' in page
    data = {"csrf_token": token, "idempotency_key": key, "time": TUE_9}

    missing = client.post(NEW, data=data)
    assert missing.status_code == 400
    assert MISSING in missing.get_data(as_text=True)
    wrong = client.post(NEW, data={**data, "call_phone": "123"})
    assert wrong.status_code == 400
    assert db_session.scalar(select(func.count(Course.id))) == 0
    assert db_session.scalar(select(func.count(CounsellingSession.id))) == 0

    made = client.post(NEW, data={**data, "call_phone": "20 30 40 50"})
    assert made.status_code == 200 and code_on(made.get_data(as_text=True))
    talk = db_session.scalar(select(CounsellingSession))
    assert talk.call_phone == "+4520304050"
    assert "20304050" not in _stored_number(db_session)  # encrypted at rest
    session_page = client.get(f"/kalender/samtale/{talk.public_id}")
    assert 'href="tel:+4520304050"' in session_page.get_data(as_text=True)


def test_the_next_talk_of_a_code_read_aloud_asks_for_the_number(
    client, auth, db_session, counsellor, book
):
    made = book(counsellor, local(2026, 3, 24, 10))
    auth.login(counsellor)
    auth.post_form("/kalender/book/kode", {"code": made.code})
    assert LABEL not in client.get("/kalender/book/naeste").get_data(as_text=True)
    page = client.get(NEXT).get_data(as_text=True)
    assert LABEL in page
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page)
    data = {"time": WED_10, "idempotency_key": key.group(1)}

    missing = auth.post_form(NEXT, data, page=NEXT)
    assert missing.status_code == 400
    assert MISSING in missing.get_data(as_text=True)
    db_session.expire_all()
    assert len(db_session.get(Course, made.course.id).sessions) == 1

    done = auth.post_form(NEXT, {**data, "call_phone": "+45 20304050"}, page=NEXT)
    assert done.status_code == 302
    db_session.expire_all()
    talk = db_session.get(Course, made.course.id).sessions[-1]
    assert (talk.mode, talk.call_phone) == ("phone", "+4520304050")
    assert "20304050" not in _stored_number(db_session)
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert 'href="tel:+4520304050"' in page


@pytest.mark.app_config(MEETING_WE_CALL=False)
def test_when_the_parent_calls_us_no_number_is_asked(client, auth, counsellor):
    auth.login(counsellor)
    page, token, key = form_of(client, NEW)
    assert LABEL not in page
    data = {"csrf_token": token, "idempotency_key": key, "time": TUE_9}
    assert client.post(NEW, data=data).status_code == 200


def test_the_service_refuses_a_phone_talk_without_the_number_on_every_path(
    db_session, counsellor, book, hold
):
    starts_at = local(2026, 3, 24, 9)
    with pytest.raises(InvalidBooking) as refused:
        on_behalf.book_new_course(
            db_session,
            counsellor.id,
            starts_at=starts_at,
            mode="phone",
            language="da",
            idempotency_key="k1",
        )
    assert (refused.value.code, refused.value.field) == (
        "call_phone_required",
        "call_phone",
    )
    db_session.rollback()
    made = book(counsellor, local(2026, 3, 24, 10))
    with pytest.raises(InvalidBooking, match="call_phone_required"):
        on_behalf.book_next_for_course(
            db_session,
            counsellor.id,
            made.course,
            starts_at=local(2026, 3, 25, 10),
            mode="phone",
            idempotency_key="k2",
        )
    db_session.rollback()
    # A move into a phone talk needs the number; a phone talk moved keeps it.
    talk = made.session
    moving = dict(now=local(2026, 3, 20, 9))
    with pytest.raises(InvalidBooking, match="call_phone_required"):
        booking_sessions.move_session(
            db_session,
            talk,
            hold_token=hold(local(2026, 3, 25, 11), "phone").token,
            **moving,
        )
    db_session.rollback()
    booking_sessions.move_session(
        db_session,
        talk,
        hold_token=hold(local(2026, 3, 25, 11), "phone").token,
        call_phone="20304050",
        **moving,
    )
    booking_sessions.move_session(
        db_session,
        talk,
        hold_token=hold(local(2026, 3, 26, 11), "phone").token,
        **moving,
    )
    assert (talk.mode, talk.call_phone) == ("phone", "+4520304050")
    assert talk.starts_at == local(2026, 3, 26, 11)
    # Away from the phone, the number is dropped.
    booking_sessions.move_session(
        db_session,
        talk,
        hold_token=hold(local(2026, 3, 26, 11) + timedelta(hours=1), "centre").token,
        **moving,
    )
    assert talk.call_phone is None
