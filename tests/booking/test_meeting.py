"""Where and how we meet: one plain sentence per way of talking on every page a
parent reads and in the reminder; for a phone talk where we call, the number is
required, encrypted, shown to the counsellor and erased after the talk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from portal.accounts.models import Role
from portal.booking import sessions as booking_sessions
from portal.booking.meeting import meeting_text
from portal.booking.models import CounsellingSession
from portal.booking.retention import purge
from portal.calendar.reminders import reminder_text
from tests.booking.test_views import CODE_IN_PAGE, Parent
from tests.factories import local

WED_10 = local(2026, 3, 25, 10)
CENTRE = "Vi mødes i familiehuset, Rådhustorvet 1, 7190 Demoby."
WE_CALL = "Vi ringer til dig på det nummer, du gav os"


@pytest.fixture
def counsellor(make_user, give_calendar, clock):
    return give_calendar(make_user(Role.COUNSELLOR, name="Anna Andersen"))


@pytest.fixture
def parent(client):
    return Parent(client)


def test_each_way_of_talking_has_its_sentence_in_each_language(app):
    with app.test_request_context():
        assert meeting_text("centre", "da").startswith(CENTRE)
        assert meeting_text("centre", "en").startswith("We meet at the family centre")
        assert meeting_text("home", "da") == "Vi besøger dig på den adresse, du gav os."
        assert "Min booking" in meeting_text("video", "da")
        assert meeting_text("phone", "da").startswith(WE_CALL)
        assert meeting_text("phone", "ar") != meeting_text("phone", "da")
        app.config["MEETING_WE_CALL"] = False
        assert meeting_text("phone", "da") == (
            "Du ringer til os på 70\u00a010\u00a020\u00a030, når samtalen starter."
        )


@pytest.mark.app_config(
    MEETING_TEXTS={"centre": {"da": "Vi mødes på Torvet 2, 1. sal."}}
)
def test_the_municipality_configures_its_own_sentence_per_language(app):
    with app.test_request_context():
        assert meeting_text("centre", "da") == "Vi mødes på Torvet 2, 1. sal."
        assert meeting_text("centre", "en").startswith("We meet at the family centre")


def test_review_confirmation_and_min_booking_say_where_we_meet(parent, counsellor):
    parent.answer_until_time(mode="centre")
    assert parent.choose_time(WED_10).status_code == 302
    parent.post("/anonym-raadgivning/kontakt", {})
    assert CENTRE in parent.get("/anonym-raadgivning/tjek").get_data(as_text=True)
    response, _data = parent.confirm()
    assert CENTRE in response.get_data(as_text=True)
    assert CENTRE in parent.get("/min-booking").get_data(as_text=True)


def test_a_phone_talk_where_we_call_needs_the_number_and_forgets_it(
    app, parent, counsellor, client, auth, db_session
):
    parent.answer_until_time(mode="phone")
    assert parent.choose_time(WED_10).status_code == 302
    missing = parent.post("/anonym-raadgivning/kontakt", {})
    assert missing.status_code == 400
    assert "Skriv det nummer, vi skal ringe til dig på." in parent.last_page
    wrong = parent.post("/anonym-raadgivning/kontakt", {"call_phone": "123"})
    assert wrong.status_code == 400
    ok = parent.post("/anonym-raadgivning/kontakt", {"call_phone": "20 30 40 50"})
    assert ok.status_code == 302
    review = parent.get("/anonym-raadgivning/tjek").get_data(as_text=True)
    assert WE_CALL in review and "+4520304050" in review
    parent.confirm()

    talk = db_session.scalar(select(CounsellingSession))
    assert talk.call_phone == "+4520304050"
    stored = db_session.execute(text("SELECT call_phone FROM counselling_sessions"))
    assert "20304050" not in str(stored.scalar())  # encrypted at rest

    auth.login(counsellor)
    page = client.get(f"/kalender/samtale/{talk.public_id}").get_data(as_text=True)
    assert 'href="tel:+4520304050"' in page

    subject, body = reminder_text(talk, talk.course)
    assert WE_CALL in body and "20304050" not in body

    purge(db_session, now=talk.ends_at + timedelta(minutes=1))
    db_session.commit()
    db_session.expire_all()
    assert db_session.get(CounsellingSession, talk.id).call_phone is None


def test_cancelling_a_phone_talk_erases_the_number(
    db_session, make_counsellor, make_course
):
    make_counsellor()
    talk = make_course(WED_10, mode="phone", call_phone="20304050").session
    assert talk.call_phone == "+4520304050"
    booking_sessions.cancel_session(db_session, talk, now=WED_10 - timedelta(days=1))
    db_session.commit()
    assert talk.call_phone is None


def test_the_print_page_has_code_qr_time_place_and_address(parent, counsellor):
    parent.answer_until_time(mode="centre")
    assert parent.choose_time(WED_10).status_code == 302
    parent.post("/anonym-raadgivning/kontakt", {})
    response, _data = parent.confirm()
    code = CODE_IN_PAGE.search(response.get_data(as_text=True)).group(1)
    page = parent.get("/anonym-raadgivning/udskriv").get_data(as_text=True)
    assert code in page and "<svg" in page
    assert "25. marts 2026" in page and CENTRE in page
    assert "http://127.0.0.1:5000/min-booking" in page or "/min-booking</p>" in page
    assert 'style="' not in page


def test_the_print_page_is_only_for_the_browser_that_booked(client):
    response = client.get("/anonym-raadgivning/udskriv")
    assert response.headers["Location"] == "/min-booking"
