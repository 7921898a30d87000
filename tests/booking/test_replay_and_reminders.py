"""The confirm form's key is not a second booking code, reminders follow one rule,
and a lost booking gives its held time back: through HTTP, on either database."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.booking import contact as booking_contact
from portal.booking import errors
from portal.booking.models import Course, SlotHold
from tests.booking.test_views import CODE_IN_PAGE, Parent, courses
from tests.conftest import csrf_token_from
from tests.factories import NOW, local

WED_10 = local(2026, 3, 25, 10)
MADE = "Din booking er lavet"


@pytest.fixture
def counsellor(make_counsellor, clock):
    return make_counsellor()


@pytest.fixture
def parent(client):
    return Parent(client)


def confirmed_form(parent) -> dict:
    """Book through the flow; return the confirm form as the browser sent it."""
    parent.answer_until_time()
    parent.choose_time(WED_10)
    parent.post("/anonym-raadgivning/kontakt", {})
    first, data = parent.confirm()
    assert CODE_IN_PAGE.search(first.get_data(as_text=True))
    return data


def test_the_key_in_another_browser_says_booked_but_never_shows_the_code(
    app, parent, counsellor, db_session
):
    data = confirmed_form(parent)
    other = Parent(app.test_client())
    token = csrf_token_from(other.get("/anonym-raadgivning").get_data(as_text=True))
    replay = other.client.post(
        "/anonym-raadgivning/bekraeft", data={**data, "csrf_token": token}
    )
    assert replay.headers["Location"] == "/min-booking"
    page = other.get("/min-booking").get_data(as_text=True)
    assert MADE in page and not CODE_IN_PAGE.search(page)
    assert len(courses(db_session)) == 1


def test_the_same_browser_gets_the_code_again_only_within_ten_minutes(
    parent, counsellor, clock, db_session
):
    data = confirmed_form(parent)
    clock.shift(timedelta(minutes=9))
    soon = parent.client.post("/anonym-raadgivning/bekraeft", data=data)
    assert CODE_IN_PAGE.search(soon.get_data(as_text=True))
    clock.shift(timedelta(minutes=2))
    late = parent.client.post("/anonym-raadgivning/bekraeft", data=data)
    assert late.headers["Location"] == "/min-booking"
    page = parent.get("/min-booking").get_data(as_text=True)
    assert MADE in page and not CODE_IN_PAGE.search(page)
    assert len(courses(db_session)) == 1


def test_an_overlong_key_is_refused(parent, counsellor, db_session):
    parent.answer_until_time()
    parent.choose_time(WED_10)
    parent.post("/anonym-raadgivning/kontakt", {})
    page = parent.get("/anonym-raadgivning/tjek").get_data(as_text=True)
    response = parent.client.post(
        "/anonym-raadgivning/bekraeft",
        data={"csrf_token": csrf_token_from(page), "idempotency_key": "k" * 65},
    )
    assert response.status_code == 400
    assert courses(db_session) == []


# --- reminders need an e-mail ----------------------------------------------------


def test_my_booking_refuses_reminders_with_only_a_phone_number(
    parent, counsellor, db_session
):
    parent.book(WED_10, contact={"phone": "12345678"})
    response = parent.post(
        "/min-booking/kontakt", {"phone": "87654321", "wants_reminders": "y"}
    )
    assert response.status_code == 400
    assert "Skriv din e-mail, hvis du vil have en påmindelse" in parent.last_page
    assert "Dine kontaktoplysninger er gemt" not in parent.last_page
    [course] = courses(db_session)
    assert (course.contact_phone, course.wants_reminders) == ("+4512345678", False)


def test_the_reminder_rule_is_the_same_for_every_service(
    db_session, counsellor, make_course
):
    with pytest.raises(errors.InvalidBooking) as refused:
        make_course(WED_10, contact_phone="12345678", wants_reminders=True)
    db_session.rollback()
    assert (refused.value.code, refused.value.field) == (
        "reminders_need_email",
        "email",
    )
    course = make_course(WED_10, contact_email="mor@example.dk", wants_reminders=True)
    assert booking_contact.gets_reminders(course.course)
    with pytest.raises(errors.InvalidBooking):
        booking_contact.set_contact(
            db_session, course.course, phone="12345678", wants_reminders=True
        )


# --- a lost booking gives its time back ----------------------------------------------


# The five-session rule alone: all five may lie ahead here.
@pytest.mark.app_config(BOOKING_MAX_UPCOMING=5)
def test_a_course_that_filled_up_meanwhile_releases_the_held_time(
    parent, counsellor, db_session, book_next
):
    parent.book(WED_10)
    [course] = courses(db_session)
    assert parent.post("/min-booking/ny-samtale", {"mode": "centre"}).status_code == 302
    parent.post("/min-booking/ny-samtale/tid", {"time": "2026-04-01T08:00:00Z"})
    page = parent.get("/min-booking/ny-samtale/tjek").get_data(as_text=True)
    key = re.search(r'idempotency_key[^>]*value="([^"]+)"', page).group(1)
    # Meanwhile, in another tab, the course uses the rest of its five talks.
    for day in (26, 27, 30, 31):
        book_next(course, local(2026, 3, day, 9), now=NOW)
    done = parent.post("/min-booking/ny-samtale/tjek", {"idempotency_key": key})
    assert done.headers["Location"] == "/min-booking"
    db_session.expire_all()
    assert db_session.scalar(select(func.count(SlotHold.id))) == 0
    assert db_session.scalar(select(Course.sessions_counted)) == 5
