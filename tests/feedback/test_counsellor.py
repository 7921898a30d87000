"""The counsellor sees their own sessions' ratings at once; a low one (any item
below FEEDBACK_LOW_SCORE, default 6) is marked on the list, on the overview
until a later session has been held, and in the calendar week. Colleagues and
leaders do not see single ratings."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from portal.booking.models import SessionStatus
from portal.cases.overview import counsellor_overview
from portal.feedback import ratings
from tests.factories import NOW

pytestmark = pytest.mark.usefixtures("clock")

GOOD = {"heard": 8, "focus": 7, "method": 9, "overall": 8}
LOW = {**GOOD, "method": 5}


@pytest.fixture
def rate(db_session):
    def give(session, scores, words=""):
        ratings.rate_session(db_session, session, scores, words)
        db_session.commit()

    return give


def test_the_counsellor_sees_their_ratings_with_the_low_one_marked(
    client, auth, make_session, course, family, counsellor, rate
):
    rate(make_session(course=course), GOOD, "Det hjalp <i>meget</i>")
    rate(make_session(family=family), LOW)
    auth.login(counsellor)
    page = client.get("/vurderinger").get_data(as_text=True)
    assert "Blå Ugle" in page and "Familien Holm" in page
    assert "Det hjalp meget" in page
    assert page.count('class="rating-low"') == 1
    assert "Lav vurdering" in page


def test_a_colleague_and_a_leader_cannot_open_the_ratings(
    client, auth, make_session, course, make_user, rate
):
    rate(make_session(course=course), GOOD, "Hemmelige ord")
    colleague = make_user(Role.COUNSELLOR, name="Bo Kollega")
    auth.login(colleague)
    assert "Hemmelige ord" not in client.get("/vurderinger").get_data(as_text=True)
    auth.logout()
    auth.login(make_user(Role.LEADER))
    assert client.get("/vurderinger").status_code == 403


def test_a_low_rating_asks_for_attention_until_the_next_held_session(
    db_session, make_session, family, counsellor, rate
):
    rate(make_session(family=family), LOW)
    [row] = counsellor_overview(db_session, counsellor, NOW)
    assert row.needs_attention and len(row.attention) == 1
    assert "lav vurdering" in row.attention[0].text
    make_session(family=family)  # held after the low one: raised there
    [row] = counsellor_overview(db_session, counsellor, NOW)
    assert row.attention == []


def test_a_good_rating_asks_for_nothing(
    db_session, make_session, family, counsellor, rate
):
    rate(make_session(family=family), {**GOOD, "method": 6})
    [row] = counsellor_overview(db_session, counsellor, NOW)
    assert row.attention == [] and not row.needs_attention


@pytest.mark.app_config(FEEDBACK_LOW_SCORE=8)
def test_the_threshold_is_configurable(
    db_session, make_session, family, counsellor, rate
):
    rate(make_session(family=family), {**GOOD, "focus": 7})
    [row] = counsellor_overview(db_session, counsellor, NOW)
    assert len(row.attention) == 1


def test_the_overview_page_shows_the_low_rating(
    client, auth, make_session, family, counsellor, rate
):
    rate(make_session(family=family), LOW)
    auth.login(counsellor)
    page = client.get("/oversigt").get_data(as_text=True)
    assert "Familien gav samtalen" in page and 'href="/vurderinger"' in page


def test_the_week_marks_the_low_rated_session_for_its_counsellor_only(
    client, auth, make_session, course, counsellor, make_user, rate
):
    low = make_session(course=course)
    good = make_session(course=course)
    make_session(course=course, status=SessionStatus.BOOKED)
    rate(low, LOW)
    rate(good, GOOD)
    auth.login(counsellor)
    page = client.get("/kalender?dato=2026-03-16").get_data(as_text=True)
    assert page.count("cal-low-rated") == 1 and "Lav vurdering" in page
    auth.logout()
    auth.login(make_user(Role.LEADER))
    response = client.get(f"/kalender?dato=2026-03-16&raadgiver={counsellor.public_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and low.public_id in page
    assert "cal-low-rated" not in page
