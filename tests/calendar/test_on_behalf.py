"""Booking on behalf of a parent who phones: same rules, the code shown once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.booking import course_lookup, replay
from portal.booking.errors import CourseFull
from portal.booking.models import CounsellingSession, Course
from portal.calendar import on_behalf
from portal.calendar.on_behalf_forms import NextSessionForm, OnBehalfForm
from tests.calendar.conftest import START, t
from tests.conftest import csrf_token_from
from tests.factories import local

CODE = re.compile(r'class="cal-code"[^>]*>.*?</span>([0-9A-Z -]+)</p>', re.S)


def code_on(page: str) -> str | None:
    found = CODE.search(page)
    return found.group(1).replace(" ", "") if found else None


def form_of(client, url):
    page = client.get(url).get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page)
    key = key or re.search(
        r'id="idempotency_key" name="idempotency_key" '
        r'type="hidden" value="([^"]+)"',
        page,
    )
    return page, csrf_token_from(page), key.group(1) if key else None


def test_new_course_by_phone_shows_the_code_once(client, auth, db_session, counsellor):
    auth.login(counsellor)
    url = "/kalender/book?mode=phone&language=da"
    page, token, key = form_of(client, url)
    assert 'value="2026-03-24T08:00:00Z"' in page  # Tuesday 09.00, own free time
    data = {
        "csrf_token": token,
        "idempotency_key": key,
        "time": "2026-03-24T08:00:00Z",
        "email": "",
        "phone": "12345678",
        "call_phone": "20 30 40 50",
    }
    first = client.post(url, data=data)
    assert first.status_code == 200
    code = code_on(first.get_data(as_text=True))
    assert code and len(code.replace("-", "")) == 16
    course = course_lookup.find_course_by_code(db_session, code)
    assert course is not None and course.contact_phone == "+4512345678"
    [session] = course.sessions
    assert session.counsellor_id == counsellor.id
    assert (session.mode, session.starts_at) == ("phone", local(2026, 3, 24, 9))
    # A double-submitted form books once and shows the same code.
    again = client.post(url, data=data)
    assert code_on(again.get_data(as_text=True)) == code
    assert db_session.scalar(select(func.count(Course.id))) == 1
    # "Done": the code is gone for good, also for a replayed form.
    done_page = again.get_data(as_text=True)
    done = client.post(
        "/kalender/book/faerdig",
        data={"csrf_token": csrf_token_from(done_page), "session": session.public_id},
    )
    assert done.headers["Location"] == f"/kalender/samtale/{session.public_id}"
    replay = client.post(url, data=data)
    assert replay.status_code == 302
    assert (
        code_on(client.get(replay.headers["Location"]).get_data(as_text=True)) is None
    )
    session_page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert code not in session_page
    assert db_session.scalar(select(func.count(Course.id))) == 1


def test_on_behalf_booking_keeps_the_public_rules(client, auth, db_session, counsellor):
    auth.login(counsellor)
    url = "/kalender/book?mode=home&language=da"
    page, token, key = form_of(client, url)
    base = {"csrf_token": token, "idempotency_key": key}
    # Within the minimum notice: not offered and refused.
    assert 'value="2026-03-23T10:00:00Z"' not in page
    too_soon = client.post(url, data={**base, "time": "2026-03-23T10:00:00Z"})
    assert too_soon.status_code == 409
    # A home visit needs an address; a bad e-mail is refused; nothing is booked.
    no_address = client.post(url, data={**base, "time": "2026-03-24T08:00:00Z"})
    assert no_address.status_code == 400
    bad_mail = client.post(
        url,
        data={
            **base,
            "time": "2026-03-24T08:00:00Z",
            "address": "Vej 1",
            "email": "ikke en mail",
        },
    )
    assert bad_mail.status_code == 400
    assert db_session.scalar(select(func.count(Course.id))) == 0
    # A language the counsellor does not speak is not offered.
    arabic = client.get("/kalender/book?language=ar").get_data(as_text=True)
    assert 'value="ar"' not in arabic
    assert '<option selected value="da">' in arabic


def test_next_session_from_the_code_the_parent_reads(
    client, auth, db_session, counsellor, book
):
    made = book(counsellor, local(2026, 3, 24, 10))
    auth.login(counsellor)
    wrong = auth.post_form("/kalender/book/kode", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 400
    assert "AAAA-BBBB" not in wrong.get_data(as_text=True)
    found = auth.post_form("/kalender/book/kode", {"code": made.code.lower()})
    assert found.headers["Location"] == "/kalender/book/naeste"
    page = client.get("/kalender/book/naeste?mode=video").get_data(as_text=True)
    assert t("Course %(name)s", name=made.course.pseudonym) in page
    assert made.code not in page
    response = auth.post_form(
        "/kalender/book/naeste?mode=video",
        {
            "time": "2026-03-25T09:00:00Z",
            "idempotency_key": re.search(
                r'name="idempotency_key" type="hidden" value="([^"]+)"', page
            ).group(1),
        },
        page="/kalender/book/naeste?mode=video",
    )
    assert response.status_code == 302
    db_session.expire_all()
    course = db_session.get(Course, made.course.id)
    assert course.sessions_counted == 2
    assert [s.mode for s in course.sessions] == ["centre", "video"]


# The five-session rule alone: all five may lie ahead here.
@pytest.mark.app_config(BOOKING_MAX_UPCOMING=5)
def test_booking_on_behalf_stops_at_five(
    client, auth, db_session, counsellor, book, book_more
):
    made = book(counsellor, local(2026, 3, 24, 10))
    for day in (25, 26, 27, 30):
        book_more(made.course, counsellor, local(2026, 3, day, 10))
    with pytest.raises(CourseFull):
        on_behalf.book_next_for_course(
            db_session,
            counsellor.id,
            made.course,
            starts_at=local(2026, 3, 31, 10),
            mode="centre",
            idempotency_key=replay.new_idempotency_key(),
            now=START,
        )
    db_session.rollback()
    auth.login(counsellor)
    auth.post_form("/kalender/book/kode", {"code": made.code})
    page = client.get("/kalender/book/naeste").get_data(as_text=True)
    assert t("The course has used all five talks") in page
    assert 'name="time"' not in page
    assert (
        db_session.scalar(
            select(func.count(CounsellingSession.id)).where(
                CounsellingSession.course_id == made.course.id
            )
        )
        == 5
    )


def test_the_next_session_page_needs_a_code_first(client, auth, counsellor):
    auth.login(counsellor)
    response = client.get("/kalender/book/naeste")
    assert response.headers["Location"] == "/kalender/book/kode"


def test_a_replayed_form_shows_the_code_only_within_ten_minutes(
    client, auth, db_session, counsellor, clock
):
    auth.login(counsellor)
    url = "/kalender/book?mode=phone&language=da"
    _page, token, key = form_of(client, url)
    data = {
        "csrf_token": token,
        "idempotency_key": key,
        "time": "2026-03-24T08:00:00Z",
        "call_phone": "20304050",
    }
    code = code_on(client.post(url, data=data).get_data(as_text=True))
    clock.shift(timedelta(minutes=9))
    assert code_on(client.post(url, data=data).get_data(as_text=True)) == code
    clock.shift(timedelta(minutes=2))
    late = client.post(url, data=data)
    assert late.status_code == 302
    page = client.get(late.headers["Location"]).get_data(as_text=True)
    assert code_on(page) is None and code not in page
    assert t("The talk is booked. The code can no longer be shown.") in page
    assert db_session.scalar(select(func.count(Course.id))) == 1


def test_the_key_in_another_staff_browser_never_shows_the_code(
    app, client, auth, db_session, counsellor
):
    auth.login(counsellor)
    url = "/kalender/book?mode=phone&language=da"
    _page, token, key = form_of(client, url)
    data = {
        "csrf_token": token,
        "idempotency_key": key,
        "time": "2026-03-24T08:00:00Z",
        "call_phone": "20304050",
    }
    code = code_on(client.post(url, data=data).get_data(as_text=True))
    other = app.test_client()
    other_auth = type(auth)(other, db_session)
    other_auth.login(counsellor)
    _page, other_token, _key = form_of(other, url)
    replay = other.post(url, data={**data, "csrf_token": other_token})
    assert replay.status_code == 302
    assert code not in other.get(replay.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("form_class", [OnBehalfForm, NextSessionForm])
def test_on_behalf_forms_refuse_an_overlong_key(app, form_class):
    with app.test_request_context(method="POST", data={"idempotency_key": "k" * 65}):
        form = form_class(meta={"csrf": False})
        form.validate()
    assert form.idempotency_key.errors
