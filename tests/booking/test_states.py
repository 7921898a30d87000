"""States that never contradict: a hold that ran out on the review page, Back after
booking, and Min booking closed for good."""

from __future__ import annotations

import re
from datetime import timedelta

from portal.booking.models import Course
from tests.booking.test_views import CODE_IN_PAGE, Parent, courses
from tests.booking.test_views import counsellor as counsellor  # noqa: PLC0414
from tests.booking.test_views import parent as parent  # noqa: PLC0414
from tests.factories import NOW, local

WANTED = local(2026, 3, 25, 10)
NEAR = re.compile(r'id="near-(\d+)" name="time" value="([^"]+)"')


def held_until_review(parent: Parent) -> None:
    parent.answer_until_time()
    assert parent.choose_time(WANTED).status_code == 302
    assert parent.post("/anonym-raadgivning/kontakt", {}).status_code == 302


def offered(page: str) -> list[str]:
    return [value for _index, value in NEAR.findall(page)]


def test_a_hold_that_ran_out_is_said_once_and_the_same_time_offered(
    parent, counsellor, clock
):
    held_until_review(parent)
    clock.shift(timedelta(minutes=11))
    response = parent.get("/anonym-raadgivning/tjek")
    assert response.headers["Location"] == "/anonym-raadgivning/tid"
    page = parent.get("/anonym-raadgivning/tid").get_data(as_text=True)
    assert page.count("Vi holder ikke længere") == 1
    assert "Vi kunne ikke holde tiden" not in page  # not a second way of saying it
    assert "Vi holder tiden" not in page  # never "we keep it" beside it
    assert "2026-03-25T09:00:00Z" in offered(page)  # the same time, chosen
    assert re.search(
        r'id="near-\d" name="time" value="2026-03-25T09:00:00Z" checked', page
    )
    assert len(re.findall(r'id="near-\d"[^>]* checked>', page)) == 1
    # Said once: a reload shows the week as usual.
    again = parent.get("/anonym-raadgivning/tid").get_data(as_text=True)
    assert "Vi holder ikke længere" not in again


def test_a_hold_that_ran_out_and_was_taken_offers_the_nearest(
    parent, counsellor, clock, make_course
):
    held_until_review(parent)
    clock.shift(timedelta(minutes=11))
    make_course(WANTED, now=NOW + timedelta(minutes=11))
    parent.get("/anonym-raadgivning/tjek")
    page = parent.get("/anonym-raadgivning/tid").get_data(as_text=True)
    assert page.count("Vi holder ikke længere") == 1
    assert offered(page) and "2026-03-25T09:00:00Z" not in offered(page)


def test_back_after_booking_says_it_is_made_and_never_books_twice(
    parent, counsellor, db_session
):
    held_until_review(parent)
    response, data = parent.confirm()
    assert CODE_IN_PAGE.search(response.get_data(as_text=True))
    for step in ("tjek", "kontakt", "tid"):  # the browser's Back, step by step
        back = parent.client.get(f"/anonym-raadgivning/{step}")
        assert back.headers["Location"] == "/min-booking"
    page = parent.get("/min-booking").get_data(as_text=True)
    assert "Din booking er lavet" in page
    assert "Vi kunne ikke holde tiden" not in page
    parent.client.post("/anonym-raadgivning/bekraeft", data=data)
    assert len(courses(db_session)) == 1


def test_closing_min_booking_cannot_be_undone_by_sending_the_confirm_again(
    parent, counsellor, db_session
):
    held_until_review(parent)
    response, data = parent.confirm()
    assert CODE_IN_PAGE.search(response.get_data(as_text=True))
    parent.post("/min-booking/luk", {}, page="/min-booking")
    resent = parent.client.post("/anonym-raadgivning/bekraeft", data=data)
    assert resent.status_code == 302
    assert not CODE_IN_PAGE.search(resent.get_data(as_text=True))
    page = parent.get(resent.headers["Location"]).get_data(as_text=True)
    assert not CODE_IN_PAGE.search(page)
    assert db_session.query(Course).count() == 1
