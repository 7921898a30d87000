"""Rating a session: once, only when held, scores 0-10, words without markup; from
Min booking (anonymous) and from /familie. Bad input: a Danish message and
nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from portal.booking.models import SessionStatus
from portal.feedback import ratings
from portal.feedback.errors import FeedbackError
from portal.feedback.models import SessionRating
from tests.conftest import csrf_token_from
from tests.feedback.conftest import open_my_booking

GOOD = {"heard": 8, "focus": 7, "method": 9, "overall": 8}


def stored(db_session) -> list[SessionRating]:
    db_session.expire_all()
    return list(db_session.scalars(select(SessionRating)))


def post_rating(client, url, **data):
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    token = csrf_token_from(page.get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **GOOD, **data})


# --- the rule, without HTTP -------------------------------------------------------


def test_a_held_session_is_rated_once(db_session, make_session, course):
    session = make_session(course=course)
    rating = ratings.rate_session(db_session, session, GOOD, "Tak for snakken")
    db_session.commit()
    assert rating.scores() == GOOD and rating.anonymous and rating.month == "2026-03"
    with pytest.raises(FeedbackError) as refused:
        ratings.rate_session(db_session, session, GOOD, "")
    assert refused.value.code == "already_rated"
    db_session.rollback()
    assert len(stored(db_session)) == 1


def test_the_unique_key_keeps_one_rating_when_the_python_check_is_passed(
    db_session, make_session, course, monkeypatch
):
    """Two tabs that both passed the "already rated?" check: the database keeps one."""
    session = make_session(course=course)
    ratings.rate_session(db_session, session, GOOD, "")
    db_session.commit()
    monkeypatch.setattr(ratings, "rating_of", lambda *_args: None)
    with pytest.raises(FeedbackError) as refused:
        ratings.rate_session(db_session, session, GOOD, "")
    assert refused.value.code == "already_rated"
    db_session.rollback()
    assert len(stored(db_session)) == 1


@pytest.mark.parametrize(
    "status", [SessionStatus.BOOKED, SessionStatus.NO_SHOW, SessionStatus.CANCELLED]
)
def test_a_session_that_was_not_held_cannot_be_rated(
    db_session, make_session, course, status
):
    session = make_session(course=course, status=status)
    with pytest.raises(FeedbackError) as refused:
        ratings.rate_session(db_session, session, GOOD, "")
    assert refused.value.code == "not_held"
    assert stored(db_session) == []


@pytest.mark.parametrize("bad", [-1, 11, None, 100])
def test_scores_outside_zero_to_ten_or_missing_are_refused(
    db_session, make_session, course, bad
):
    session = make_session(course=course)
    with pytest.raises(FeedbackError) as refused:
        ratings.rate_session(db_session, session, {**GOOD, "focus": bad}, "")
    assert (refused.value.code, refused.value.field) == ("score_out_of_range", "focus")
    assert stored(db_session) == []


def test_the_database_refuses_a_score_above_ten(db_session, make_session, course):
    session = make_session(course=course)
    rating = ratings.rate_session(db_session, session, GOOD, "")
    db_session.commit()
    with pytest.raises(Exception, match="(?i)check"):
        db_session.execute(
            text("UPDATE session_ratings SET overall = 11 WHERE id = :id"),
            {"id": rating.id},
        )
    db_session.rollback()


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("<script>alert(1)</script>Godt", "alert(1)Godt"),
        ('<img src=x onerror="alert(1)">Fint', "Fint"),
        ("&lt;b&gt;fed&lt;/b&gt;", "fed"),
        ("a < b & c > d", "a < b & c > d"),
        ("<!-- skjult -->Ja", "Ja"),
    ],
)
def test_free_text_is_cleaned_by_bleach(typed, kept):
    assert ratings.clean_comment(typed) == kept


def test_free_text_over_a_thousand_characters_is_refused(
    db_session, make_session, course
):
    session = make_session(course=course)
    with pytest.raises(FeedbackError) as refused:
        ratings.rate_session(db_session, session, GOOD, "x" * 1001)
    assert refused.value.code == "comment_too_long"


def test_a_rating_names_no_person(db_session, make_session, family):
    session = make_session(family=family)
    ratings.rate_session(db_session, session, GOOD, "")
    db_session.commit()
    columns = set(SessionRating.__table__.columns.keys())
    assert not columns & {"member_id", "user_id", "author_id", "course_id"}


# --- Min booking ------------------------------------------------------------------


def test_an_anonymous_parent_rates_from_min_booking(
    client, db_session, make_session, course, clock
):
    session = make_session(course=course)
    open_my_booking(client, course)
    page = client.get("/min-booking").get_data(as_text=True)
    url = f"/min-booking/vurdering/{session.public_id}"
    assert url in page
    form = client.get(url).get_data(as_text=True)
    assert form.count('type="range"') == 4
    assert "0 betyder slet ikke" in form and "<output" in form
    response = post_rating(client, url, comment="<b>Tak</b>")
    assert response.status_code == 302 and response.headers["Location"] == (
        "/min-booking"
    )
    [rating] = stored(db_session)
    assert rating.comment == "Tak" and rating.session_id == session.id
    # Rated: the link is gone, and a second tab's submit stores nothing more.
    assert url not in client.get("/min-booking").get_data(as_text=True)
    token = csrf_token_from(client.get("/min-booking").get_data(as_text=True))
    again = client.post(url, data={"csrf_token": token, **GOOD})
    assert again.status_code == 302
    assert len(stored(db_session)) == 1


def test_two_tabs_open_then_both_submit_store_one_rating(
    client, db_session, make_session, course, clock
):
    session = make_session(course=course)
    open_my_booking(client, course)
    url = f"/min-booking/vurdering/{session.public_id}"
    tokens = [csrf_token_from(client.get(url).get_data(as_text=True)) for _ in "ab"]
    first = client.post(url, data={"csrf_token": tokens[0], **GOOD})
    second = client.post(url, data={"csrf_token": tokens[1], **GOOD, "overall": 1})
    assert first.status_code == second.status_code == 302
    [rating] = stored(db_session)
    assert rating.overall == GOOD["overall"]
    assert "allerede svaret" in client.get("/min-booking").get_data(as_text=True)


def test_bad_scores_get_a_danish_message_and_keep_the_words(
    client, db_session, make_session, course, clock
):
    session = make_session(course=course)
    open_my_booking(client, course)
    url = f"/min-booking/vurdering/{session.public_id}"
    response = post_rating(client, url, heard="11", comment="Mine ord")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Der er en fejl i formularen" in page and "Mine ord" in page
    response = post_rating(client, url, focus="")
    assert response.status_code == 400
    assert stored(db_session) == []


def test_another_courses_session_and_an_unheld_one_are_refused(
    client, db_session, make_session, course, clock
):
    other = make_session(course=course)
    mine_course = type(course)(code_hash="e" * 64, pseudonym="Rød Ræv")
    db_session.add(mine_course)
    db_session.commit()
    booked = make_session(course=mine_course, status=SessionStatus.BOOKED)
    open_my_booking(client, mine_course)
    assert client.get(f"/min-booking/vurdering/{other.public_id}").status_code == 404
    response = client.get(f"/min-booking/vurdering/{booked.public_id}")
    assert response.status_code == 302
    page = client.get("/min-booking").get_data(as_text=True)
    assert "når samtalen har fundet sted" in page
    assert stored(db_session) == []


def test_without_min_booking_open_the_code_page_is_shown(
    client, db_session, make_session, course
):
    session = make_session(course=course)
    response = client.get(f"/min-booking/vurdering/{session.public_id}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/min-booking"


def test_a_deleted_course_cannot_rate(client, db_session, make_session, course, clock):
    session = make_session(course=course)
    open_my_booking(client, course)
    db_session.delete(course)
    db_session.commit()
    response = client.get(f"/min-booking/vurdering/{session.public_id}")
    assert response.status_code == 302 and response.headers["Location"] == (
        "/min-booking"
    )
    assert stored(db_session) == []


def test_the_rating_page_speaks_arabic(client, make_session, course, clock):
    session = make_session(course=course)
    open_my_booking(client, course)
    page = client.get(f"/min-booking/vurdering/{session.public_id}?lang=ar").get_data(
        as_text=True
    )
    assert 'dir="rtl"' in page and "كيف كانت المحادثة؟" in page


# --- /familie ---------------------------------------------------------------------


def test_a_family_member_rates_from_the_family_page(
    client, auth, db_session, make_session, family, clock
):
    session = make_session(family=family)
    auth.login(family.members[0])
    url = f"/familie/samtaler/{session.public_id}/vurdering"
    assert url in client.get("/familie").get_data(as_text=True)
    form = client.get(url).get_data(as_text=True)
    assert "Jeres rådgiver ser jeres svar" in form
    response = post_rating(client, url)
    assert response.headers["Location"] == "/familie"
    [rating] = stored(db_session)
    assert not rating.anonymous and rating.session_id == session.id
    assert url not in client.get("/familie").get_data(as_text=True)


def test_a_member_cannot_rate_another_familys_session(
    client, auth, db_session, make_session, family, make_known_family
):
    session = make_session(family=family)
    other = make_known_family("Familien Berg", adults=("Sara Berg",))
    auth.login(other.members[0])
    url = f"/familie/samtaler/{session.public_id}/vurdering"
    assert client.get(url).status_code == 404
    assert client.post(url, data=GOOD).status_code in {400, 404}
    assert db_session.scalar(select(func.count(SessionRating.id))) == 0
